/// <reference lib="dom" />
/**
 * @module
 * `deno task screenshots`: the README's pictures of the app, taken from the
 * real server with its demo data (and the live demo) in Chromium. Writes
 * docs/app_*.png.
 */

import { chromium, type Page } from "playwright-core";
import { startServer } from "./bench/_server.ts";
import { buildWeb } from "./build_web.ts";

const OUT = new URL("../docs/", import.meta.url).pathname;
const DATASET = "/ZeroBias/Run2026A-PromptReco-v1/DQMIO";

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() =>
    document.querySelectorAll(".plot-image[data-state=loading]").length === 0
  );
  await page.waitForTimeout(300);
}

async function shoot(page: Page, name: string, url: string, act?: () => Promise<void>) {
  await page.goto(url);
  await settle(page);
  if (act) {
    await act();
    await settle(page);
  }
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/${name}.png`);
}

if (import.meta.main) {
  await buildWeb();
  const server = await startServer(["--demo-live", "--demo-live-interval", "2"], { demo: true });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    const ds = encodeURIComponent(DATASET);
    await shoot(page, "app_finder", `${server.url}/?fds=zerobias`);
    await shoot(page, "app_browse", `${server.url}/?ds=${ds}&run=400851&dir=PixelPhase1%2FTracks`);
    await shoot(page, "app_summary", `${server.url}/?ds=${ds}&run=400853&dir=Summary`);
    await shoot(
      page,
      "app_large_view",
      `${server.url}/?ds=${ds}&run=400851&dir=PixelPhase1%2FTracks&size=s&sel=${
        encodeURIComponent("PixelPhase1/Tracks/pt_12|ytype=log")
      }`,
      () => page.click(".large-plot button:text-is('Options')"),
    );
    await shoot(
      page,
      "app_compare",
      `${server.url}/?ds=${ds}&run=400853&dir=PixelPhase1%2FTracks&size=s&mode=ratiooverlay&ref=${
        encodeURIComponent(`400850${DATASET}|run 400850`)
      }&sel=${encodeURIComponent("PixelPhase1/Tracks/pt_12")}`,
    );
    await shoot(
      page,
      "app_jsroot",
      `${server.url}/?ds=${ds}&run=400851&dir=PixelPhase1%2FTracks&size=s&js=1&sel=${
        encodeURIComponent("PixelPhase1/Tracks/energy_vs_phi_8")
      }`,
      () => page.waitForSelector(".jsroot-plot svg").then(() => {}),
    );
    await shoot(
      page,
      "app_trend",
      `${server.url}/?ds=${ds}&run=400853&dir=PixelPhase1%2FTracks&size=s&trend=auto&sel=${
        encodeURIComponent("PixelPhase1/Tracks/pt_12")
      }`,
      () => page.waitForSelector(".trend-plot svg").then(() => {}),
    );
    await page.waitForTimeout(3000); // let the live demo register a few snapshots
    await shoot(page, "app_live", `${server.url}/?live=1&dir=PixelPhase1%2FEventInfo`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
