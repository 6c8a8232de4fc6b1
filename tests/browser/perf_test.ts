/// <reference lib="dom" />
/**
 * What the README reports about the app in a real browser (Chromium, the
 * real server on loopback): the bytes transferred to load the app (HTML,
 * JS, CSS, icon; target ≤ 300 KB before JSROOT, which loads only in the
 * interactive mode), and the time from navigation to the first 20
 * thumbnails drawn for a folder of 100 plots (target ≤ 1.5 s), cold (first
 * visit of a run: import, render) and warm. Timings are printed, not
 * asserted (the machine is shared); the size is asserted.
 */

import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServer } from "../../tools/bench/_server.ts";
import { buildWeb } from "../../tools/build_web.ts";
import {
  generateMEs,
  legacyFileName,
  type LegacyME,
  writeLegacyDqmFile,
} from "../../core/writer/mod.ts";

const DATASET = "/PerfTest/Run2026A-PromptReco-v1/DQMIO";
const RUNS = [510001, 510002, 510003, 510004, 510005];
const FOLDER = "Perf/Hundred";
const APP_BUDGET_KB = 300;

function hundred(run: number): LegacyME[] {
  return generateMEs({ count: 400, seed: 12, contentSeed: run, run })
    .filter((me) => ["TH1F", "TH1D"].includes((me.value as { _typename?: string })._typename ?? ""))
    .slice(0, 100)
    .map((me, i) => ({ path: `${FOLDER}/h_${i}`, value: me.value }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

Deno.test({
  name: "browser: app transfer size and time to the first 20 thumbnails of a 100-plot folder",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await buildWeb();
    const server = await startServer();
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const errors: string[] = [];
    try {
      const items = [];
      for (const run of RUNS) {
        const file = `${server.files}/${legacyFileName(run, DATASET)}`;
        await Deno.writeFile(file, writeLegacyDqmFile({ run, mes: hundred(run) }));
        items.push({ dataset: DATASET, run, lumi: 0, file, fileformat: 1 });
      }
      await server.register(items);

      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });

      // Transferred size of the app itself (everything but API calls), cache disabled.
      await page.goto(`${server.url}/`);
      await page.waitForSelector(".finder-form");
      await page.waitForLoadState("networkidle");
      const appBytes = await page.evaluate(() => {
        const entries = [
          ...performance.getEntriesByType("navigation"),
          ...performance.getEntriesByType("resource"),
        ] as PerformanceResourceTiming[];
        return entries.filter((e) => !e.name.includes("/api/"))
          .reduce((sum, e) => sum + e.transferSize, 0);
      });
      const appKB = appBytes / 1024;
      assert.ok(appKB > 5, `transfer sizes are measured (${appKB.toFixed(1)} KB)`);
      assert.ok(appKB <= APP_BUDGET_KB, `app ${appKB.toFixed(1)} KB > ${APP_BUDGET_KB} KB`);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });

      // Navigation to 20 drawn thumbnails: cold = first visit of a run's folder.
      const first20 = async (run: number) => {
        await page.goto(
          `${server.url}/?ds=${encodeURIComponent(DATASET)}&run=${run}&dir=${FOLDER}`,
        );
        await page.waitForFunction(
          () => {
            const w = window as unknown as { t20?: number };
            if (document.querySelectorAll(".tiles .plot-image[data-state=ok] img").length >= 20) {
              w.t20 ??= performance.now();
              return true;
            }
            return false;
          },
          undefined,
          { polling: "raf", timeout: 30_000 },
        );
        return await page.evaluate(() => (window as unknown as { t20: number }).t20);
      };
      const cold = [];
      for (const run of RUNS) cold.push(await first20(run));
      const warm = [];
      for (let i = 0; i < 5; i++) warm.push(await first20(RUNS[i % RUNS.length]!));
      console.log(
        `BROWSER-PERF ${
          JSON.stringify({
            appKB: Math.round(appKB * 10) / 10,
            first20ColdMs: cold.map(Math.round),
            first20ColdMedianMs: Math.round(median(cold)),
            first20WarmMs: warm.map(Math.round),
            first20WarmMedianMs: Math.round(median(warm)),
          })
        }`,
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
