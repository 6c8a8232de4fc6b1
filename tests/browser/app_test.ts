/// <reference lib="dom" />
/**
 * The browser app end to end: the real server (main.ts as a child process,
 * under a base path, with its SQLite store and render daemons) and Debian's
 * Chromium driven by playwright-core. A user finds a sample, browses, looks
 * closely, compares, goes interactive, steps runs by keyboard, retries a
 * failed plot and follows live data; any console error or page error fails
 * the test, and so does any serious WCAG A/AA violation axe-core finds in the
 * main views. The second test measures what the
 * README reports: the app's transferred size and the time to the first 20
 * thumbnails of a 100-plot folder.
 */

import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import axe from "axe-core";
import { startServer } from "../../tools/bench/_server.ts";
import type { BenchServer } from "../../tools/bench/_server.ts";
import { buildWeb } from "../../tools/build_web.ts";
import {
  generateMEs,
  generatePbMEs,
  legacyFileName,
  type LegacyME,
  writeLegacyDqmFile,
  writePbFile,
} from "../../core/writer/mod.ts";

const CHROMIUM = "/usr/bin/chromium";
const BASE = "/dqm/offline";
const DATASET = "/BrowserTest/Run2026A-PromptReco-v1/DQMIO";
const RUNS = [500001, 500002, 500003, 500004, 500005];
const LIVE = "/Global/Online/ALL";
const LIVE_RUN = 500100;
const FOLDER = "Perf/Hundred";

/** The MEs of one run: generated subsystems plus a folder of exactly 100 histograms. */
function runMEs(run: number): LegacyME[] {
  const mes = generateMEs({ count: 300, seed: 11, contentSeed: run, run });
  const histograms = generateMEs({ count: 400, seed: 12, contentSeed: run, run })
    .filter((me) => {
      const v = me.value as { _typename?: string };
      return v._typename === "TH1F" || v._typename === "TH1D";
    })
    .slice(0, 100)
    .map((me, i): LegacyME => ({ path: `${FOLDER}/h_${i}`, value: me.value }));
  assert.equal(histograms.length, 100, "the generator gives 100 1D histograms");
  return [...mes, ...histograms];
}

async function setup(server: BenchServer): Promise<void> {
  const items = [];
  for (const run of RUNS) {
    const file = `${server.files}/${legacyFileName(run, DATASET)}`;
    await Deno.writeFile(file, writeLegacyDqmFile({ run, mes: runMEs(run) }));
    items.push({ dataset: DATASET, run, lumi: 0, file, fileformat: 1 });
  }
  await server.register(items);
  await registerSnapshot(server, 0);
}

async function registerSnapshot(server: BenchServer, n: number): Promise<void> {
  const file = `${server.files}/run${LIVE_RUN}_DQMLive_${n}.pb`;
  const mes = generatePbMEs({ count: 150, seed: 21, contentSeed: 100 + n, run: LIVE_RUN });
  await Deno.writeFile(file, writePbFile({ mes, clients: 2 }));
  await server.register([{ dataset: LIVE, run: LIVE_RUN, lumi: 0, file, fileformat: 3 }]);
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A page that records console errors and page errors. */
async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return page;
}

/** axe-core's rule tags we hold the app to: WCAG 2.1 A and AA. */
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Check the page as it is with axe-core (the accessibility engine browsers'
 * dev tools use): fails on any serious or critical WCAG A/AA violation —
 * missing labels, too little contrast, broken ARIA.
 */
async function assertAccessible(page: Page, view: string): Promise<void> {
  const loaded = await page.evaluate(() => "axe" in globalThis);
  if (!loaded) await page.evaluate((axe as unknown as { source: string }).source);
  const found = await page.evaluate(async (tags) => {
    const run = (globalThis as unknown as {
      axe: {
        run(
          ctx: unknown,
          opts: unknown,
        ): Promise<
          { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }
        >;
      };
    }).axe.run;
    const result = await run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) =>
        `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`
      );
  }, WCAG);
  assert.deepEqual(found, [], `accessibility of the ${view}`);
}

/** Loaded thumbnails: `[data-url, naturalWidth, naturalHeight]` of tiles whose image arrived. */
function loadedTiles(page: Page) {
  return page.$$eval(".tiles .plot-image[data-state=ok]", (els) =>
    els.map((el) => {
      const img = el.querySelector("img")!;
      return [el.getAttribute("data-url")!, img.naturalWidth, img.naturalHeight] as const;
    }));
}

Deno.test({
  name:
    "browser: find, browse, search, large view, log y, reload, overlay, JSROOT, keys, failed plot, live — accessible, no console errors",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await buildWeb();
    const server = await startServer([], { basePath: BASE });
    const browser = await launch();
    const errors: string[] = [];
    try {
      await setup(server);
      const page = await openPage(browser, errors);
      const renders: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/api/v1/render")) renders.push(r.url());
      });

      await t.step("find a sample: substring, regex, run range", async () => {
        await page.goto(`${server.url}/`);
        await page.fill("#find-dataset", "browsertest");
        await page.waitForSelector(`.group .dataset:text-is("${DATASET}")`);
        await page.check(".finder-form input[type=checkbox] >> nth=0"); // regex
        await page.fill("#find-dataset", "^/browser.*2026A");
        await page.fill("#find-runs", "500001-500002, 500004");
        await page.waitForFunction(() => document.querySelectorAll(".run-pill").length === 3);
        const runs = await page.$$eval(".run-pill", (els) => els.map((e) => e.textContent));
        assert.deepEqual(runs, ["500004", "500002", "500001"], "latest runs first");
        assert.match(page.url(), /fmatch=regex/);
        await assertAccessible(page, "finder");
        await page.click(`.run-pill:text-is("500002")`);
        await page.waitForSelector(".folders");
        assert.match(page.url(), /ds=%2FBrowserTest.*run=500002/);
      });

      await t.step(
        "open a folder: exact counts, natural order, lazy thumbnails of the requested size",
        async () => {
          await page.click(`.folder:has(.folder-name:text-is("Perf"))`);
          const badge = await page.textContent(
            `.folder:has(.folder-name:text-is("Hundred")) .badge`,
          );
          assert.equal(badge, "100");
          await page.click(`.folder:has(.folder-name:text-is("Hundred"))`);
          await page.waitForFunction(() =>
            document.querySelectorAll(".tiles .plot-image[data-state=ok]").length >= 20
          );
          const names = await page.$$eval(
            ".tile .tile-title",
            (els) => els.map((e) => e.textContent),
          );
          assert.equal(names.length, 100);
          assert.deepEqual(names.slice(0, 4), ["h_0", "h_1", "h_2", "h_3"]);
          assert.equal(names[10], "h_10", "natural order: h_9 before h_10");
          const loaded = await loadedTiles(page);
          assert.ok(loaded.length < 100, `only visible thumbnails load (${loaded.length})`);
          for (const [url, w, h] of loaded) {
            assert.match(url, /w=266&h=200/);
            assert.deepEqual([w, h], [266, 200], url);
          }
          await page.selectOption("#tile-size", "s");
          await page.waitForFunction(() =>
            document.querySelectorAll('.tiles .plot-image[data-state=ok][data-url*="w=200&h=150"]')
              .length >= 20
          );
          for (const [url, w, h] of await loadedTiles(page)) {
            if (url.includes("w=200")) assert.deepEqual([w, h], [200, 150]);
          }
          await assertAccessible(page, "folder view");
        },
      );

      await t.step(
        "the Summary layout gathers every report summary map with its draw options",
        async () => {
          const summaries = await (await fetch(
            `${server.url}/api/v1/archive/500002${DATASET}/Summary`,
          )).json() as { data: { path: string; layout: string }[] };
          assert.ok(summaries.data.length > 0, "the shipped layouts find summary maps");
          await page.click(".breadcrumb .crumb >> nth=0");
          const badge = await page.textContent(
            `.folder:has(.folder-name:text-is("Summary")) .badge`,
          );
          assert.equal(badge, String(summaries.data.length));
          await page.click(`.folder:has(.folder-name:text-is("Summary"))`);
          await page.waitForFunction(
            (n) => document.querySelectorAll(".tiles .plot-image[data-state=ok]").length === n,
            summaries.data.length,
          );
          const shown = await page.$$eval(
            ".tile",
            (els) => els.map((e) => e.getAttribute("data-path")),
          );
          assert.deepEqual(
            shown.sort(),
            summaries.data.map((e) => e.path).sort(),
          );
          for (const [url] of await loadedTiles(page)) assert.match(url, /zmin=0&zmax=1/, url);
          // Each summary map is titled with its subsystem's reportSummary, as the classic GUI did.
          const values = await (await fetch(
            `${server.url}/api/v1/search/500002${DATASET}?q=${
              encodeURIComponent("/EventInfo/reportSummary$")
            }`,
          )).json() as { data: { path: string; value: string }[] };
          const expected = values.data
            .filter((v) =>
              summaries.data.some((s) => s.path.startsWith(v.path.split("/")[0] + "/"))
            )
            .map((v) => `${v.path.split("/")[0]} – ${(Number(v.value) * 100).toFixed(1)} %`);
          assert.ok(expected.length > 0);
          await page.waitForFunction(
            (n) => document.querySelectorAll(".summary-text").length === n,
            expected.length,
          );
          const bars = await page.$$eval(".summary-text", (els) => els.map((e) => e.textContent));
          assert.deepEqual(bars.sort(), expected.sort());
          await assertAccessible(page, "Summary layout");
          await page.click(".breadcrumb .crumb >> nth=0");
          await page.click(`.folder:has(.folder-name:text-is("Perf"))`);
          await page.click(`.folder:has(.folder-name:text-is("Hundred"))`);
          await page.waitForSelector(".tiles .plot-image[data-state=ok]");
        },
      );

      await t.step("search MEs by regex across the sample", async () => {
        await page.fill("#me-search", "HUNDRED/H_1[0-9]$");
        await page.waitForFunction(() =>
          document.querySelector("#me-search-status")?.textContent === "10 matches"
        );
        const paths = await page.$$eval(
          ".tile",
          (els) => els.map((e) => e.getAttribute("data-path")),
        );
        assert.equal(paths.length, 10);
        for (const p of paths) assert.match(p!, /^Perf\/Hundred\/h_1\d$/);
        await page.fill("#me-search", "h_1[");
        await page.waitForSelector("#me-search-status.error");
        await page.fill("#me-search", "hundred/h_1[0-9]$");
        await page.waitForFunction(() => document.querySelectorAll(".tile").length === 10);
      });

      let before = "";
      await t.step(
        "open the large view, then log y changes the image URL and the image",
        async () => {
          await page.click(`.tile[data-path="Perf/Hundred/h_12"]`);
          const big = ".large-plot .plot-image[data-state=ok]";
          await page.waitForSelector(big);
          before = (await page.getAttribute(big, "data-url"))!;
          const [w] = await page.$eval(
            `${big} img`,
            (img) => [(img as HTMLImageElement).naturalWidth],
          );
          assert.ok(w >= 400, `re-rendered at the pane size (${w} px)`);
          await page.click(".large-plot button:text-is('Options')");
          await page.check(".plot-options input[name=ylog]");
          await page.waitForSelector(
            `.large-plot .plot-image[data-state=ok][data-url*="ytype=log"]`,
          );
          const after = (await page.getAttribute(big, "data-url"))!;
          assert.notEqual(after, before);
          const [a, b] = await page.evaluate(async ([u1, u2]) => {
            const bytes = async (u: string) => new Uint8Array(await (await fetch(u)).arrayBuffer());
            const [x, y] = [await bytes(u1!), await bytes(u2!)];
            return [
              Array.from(x.slice(0, 8)).join(","),
              x.length !== y.length || x.some((v, i) => v !== y[i]),
            ];
          }, [before, after]);
          assert.equal(a, "137,80,78,71,13,10,26,10", "a PNG");
          assert.ok(b, "the log-y image differs");
          await assertAccessible(page, "large view with its options");
        },
      );

      await t.step("reload restores the state exactly", async () => {
        const url = page.url();
        await page.reload();
        await page.waitForSelector(`.large-plot .plot-image[data-state=ok][data-url*="ytype=log"]`);
        assert.equal(page.url(), url);
        assert.equal(await page.inputValue("#me-search"), "hundred/h_1[0-9]$");
        assert.equal(await page.inputValue("#tile-size"), "s");
        assert.ok(await page.isChecked(".plot-options input[name=ylog]"));
        await page.goBack();
        await page.goForward();
        await page.waitForSelector(".large-plot");
      });

      await t.step("Copy link gives a short link that opens the same view", async () => {
        const url = page.url();
        await page.click("#copy-link");
        await page.waitForSelector("#copy-link[data-link]");
        const link = (await page.getAttribute("#copy-link", "data-link"))!;
        assert.match(link, new RegExp(`^${server.url}/l/[0-9A-Za-z]{8}$`));
        const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
        try {
          const other = await context.newPage();
          await other.goto(link);
          await other.waitForSelector(".large-plot .plot-image[data-state=ok]");
          assert.equal(other.url(), url, "the link lands on exactly this view");
        } finally {
          await context.close();
        }
      });

      await t.step("overlay another run in ratio mode", async () => {
        await page.click("#compare-toggle");
        await page.fill("#ref-run", "500001");
        await page.fill("#ref-label", "reference");
        await page.click("#ref-add");
        await page.waitForSelector(".refs li");
        await page.selectOption("#overlay-mode", "ratiooverlay");
        const sel =
          `.large-plot .plot-image[data-state=ok][data-url*="render_overlay"][data-url*="ref=ratiooverlay"]`;
        await page.waitForSelector(sel);
        const url = decodeURIComponent((await page.getAttribute(sel, "data-url"))!);
        assert.match(url, /obj=archive\/500002\/BrowserTest\/.*\/Perf\/Hundred\/h_12/);
        assert.match(url, /obj=archive\/500001\/BrowserTest\/.*\/Perf\/Hundred\/h_12/);
        assert.match(url, /reflabel=reference/);
        assert.match(url, /ytype=log/, "the plot's own options reach the overlay");
        await page.waitForSelector(`.tiles .plot-image[data-state=ok][data-url*="render_overlay"]`);
        assert.match(page.url(), /ref=500001%2FBrowserTest/);
        assert.match(page.url(), /mode=ratiooverlay/);
        await assertAccessible(page, "compare panel");
      });

      await t.step("JSROOT mode draws an SVG", async () => {
        await page.check("#jsroot-mode");
        await page.waitForSelector(".jsroot-plot svg", { timeout: 30_000 });
        await page.waitForFunction(() =>
          document.querySelector(".jsroot-wrap")?.getAttribute("aria-busy") === "false"
        );
        assert.equal(await page.$(".jsroot-wrap .message.error"), null);
        assert.match(page.url(), /js=1/);
        await page.uncheck("#jsroot-mode");
        await page.waitForSelector(".large-plot .plot-image[data-state=ok]");
      });

      await t.step("Trend follows the plot over the dataset's runs", async () => {
        await page.click(".large-plot button:text-is('Trend')");
        assert.match(page.url(), /trend=auto/);
        await page.waitForSelector(`.trend-status[data-points="${RUNS.length}"]`);
        await page.waitForSelector(".trend-plot svg");
        const res = await fetch(
          `${server.url}/api/v1/trend${DATASET}/${FOLDER}/h_12?quantity=entries`,
        );
        const entries = await res.json() as { points: { run: number }[] };
        assert.deepEqual(entries.points.map((p) => p.run), RUNS);
        await page.selectOption(".trend-quantity", "entries");
        assert.match(page.url(), /trend=entries/);
        await page.waitForSelector(`.trend-status[data-points="${RUNS.length}"]`);
        await assertAccessible(page, "trend panel");
        // These runs have no per-lumisection samples: the panel says so.
        await page.selectOption(".trend-by", "lumi");
        assert.match(page.url(), /trendby=lumi/);
        await page.waitForSelector('.trend-status[data-points="0"]');
        await page.waitForSelector(".trend .message:text('No lumisection of run 500002')");
        await page.selectOption(".trend-by", "run");
        await page.click(".large-plot button:text-is('Trend')");
        await page.waitForSelector(".trend", { state: "detached" });
      });

      await t.step("the slideshow steps through the plots; Esc stops it", async () => {
        await page.selectOption("#play", "3");
        assert.match(page.url(), /play=3/);
        const first = await page.getAttribute(".large-plot", "aria-label");
        await page.waitForFunction(
          (was) => document.querySelector(".large-plot")?.getAttribute("aria-label") !== was,
          first,
          { timeout: 8_000 },
        );
        const second = (await page.getAttribute(".large-plot", "aria-label"))!;
        const tiles = await page.$$eval(
          ".tile",
          (els) => els.map((e) => e.getAttribute("data-path")),
        );
        assert.equal(
          tiles.indexOf(second),
          (tiles.indexOf(first) + 1) % tiles.length,
          "the next plot",
        );
        assert.equal(
          await page.$$eval(".large-plot", (els) => els.length),
          1,
          "one plot at a time",
        );
        await page.keyboard.press("Escape");
        await page.waitForSelector(".large-plot", { state: "detached" });
        assert.doesNotMatch(page.url(), /play=/);
        await page.click(`.tile[data-path="Perf/Hundred/h_12"]`);
        await page.waitForSelector(".large-plot");
      });

      await t.step("Esc closes the large view; / focuses the search", async () => {
        await page.keyboard.press("Escape");
        await page.waitForSelector(".large-plot", { state: "detached" });
        await page.keyboard.press("/");
        assert.equal(await page.evaluate(() => document.activeElement?.id), "me-search");
        await page.keyboard.press("Escape");
      });

      await t.step("arrow keys step to the next and the previous run", async () => {
        assert.match(page.url(), /run=500002/);
        await page.keyboard.press("ArrowRight");
        await page.waitForFunction(() => location.search.includes("run=500003"));
        await page.waitForSelector(".tiles .plot-image[data-state=ok]");
        await page.keyboard.press("ArrowLeft");
        await page.waitForFunction(() => location.search.includes("run=500002"));
        await page.click("#run-next");
        await page.waitForFunction(() => location.search.includes("run=500003"));
        await page.click("#run-prev");
        await page.waitForFunction(() => location.search.includes("run=500002"));
      });

      await t.step("a plot that fails shows the server's message; Retry draws it", async () => {
        const known = errors.length;
        const fail = (route: import("playwright-core").Route) =>
          route.fulfill({
            status: 500,
            contentType: "application/json",
            body: JSON.stringify({ message: "Internal error: injected by the test" }),
          });
        // Thumbnails are overlays at this point (the reference is still on).
        const plots = /\/api\/v1\/render/;
        await page.route(plots, fail);
        let path: string | null;
        try {
          await page.selectOption("#tile-size", "l");
          const failed = ".tiles .plot-image[data-state=error]";
          await page.waitForSelector(failed);
          assert.equal(
            await page.textContent(`${failed} .plot-error span`),
            "Internal error: injected by the test",
          );
          path = await page.$eval(failed, (el) => el.closest(".tile")!.getAttribute("data-path"));
        } finally {
          await page.unroute(plots, fail);
        }
        await page.click(`.tile[data-path="${path}"] .plot-error button:text-is("Retry")`);
        await page.waitForSelector(`.tile[data-path="${path}"] .plot-image[data-state=ok]`);
        assert.equal(await page.$(".large-plot"), null, "Retry does not open the plot");
        // The browser logs each injected 500 as a failed resource; nothing else may appear.
        const added = errors.splice(known);
        for (const e of added) assert.match(e, /status of 500/, e);
        await page.selectOption("#tile-size", "m");
      });

      await t.step("live mode receives a new snapshot without a reload", async () => {
        await page.goto(`${server.url}/?live=1`);
        await page.waitForFunction(
          (run) => document.querySelector("#live-run")?.textContent === `Run ${run}`,
          LIVE_RUN,
        );
        await page.waitForSelector(".tiles .plot-image[data-state=ok], .folders");
        // The furthest lumisection and event count any subsystem reports, as the API gives them.
        const info = await (await fetch(
          `${server.url}/api/v1/search/${LIVE_RUN}${LIVE}?q=${
            encodeURIComponent("/EventInfo/(iLumiSection|iEvent)$")
          }`,
        )).json() as { data: { path: string; value: string }[] };
        const most = (name: string) =>
          Math.max(...info.data.filter((m) => m.path.endsWith(name)).map((m) => Number(m.value)));
        assert.ok(info.data.length > 0, "the snapshot reports its lumisection and events");
        await page.waitForSelector("#run-facts");
        assert.equal(
          await page.textContent("#run-facts"),
          `LS ${most("/iLumiSection").toLocaleString("en")} · ${
            most("/iEvent").toLocaleString("en")
          } events`,
        );
        const first = Number(await page.getAttribute("#live-updated", "data-updated"));
        await page.evaluate(() => (window as unknown as { marker: number }).marker = 42);
        const rendersBefore = renders.length;
        // Down the first folders until one holds plots.
        for (let depth = 0; depth < 5 && !(await page.$(".tiles .plot-image")); depth++) {
          await page.click(".folder >> nth=0");
          await page.waitForSelector(".tiles, .folders");
          await page.waitForTimeout(200);
        }
        await page.waitForSelector(".tiles .plot-image[data-state=ok]");
        const shown = renders.length;
        assert.ok(shown > rendersBefore);
        await registerSnapshot(server, 1);
        await page.waitForFunction(
          (old) =>
            Number(document.querySelector("#live-updated")?.getAttribute("data-updated")) > old,
          first,
          { timeout: 5_000 },
        );
        const marker = await page.evaluate(() => (window as unknown as { marker: number }).marker);
        assert.equal(marker, 42, "no reload");
        for (let i = 0; i < 50 && renders.length === shown; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(renders.length > shown, "thumbnails refetched after the snapshot");
        await page.click("#live-pause");
        assert.match(page.url(), /pause=1/);
      });

      assert.deepEqual(errors, [], "no console errors");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
