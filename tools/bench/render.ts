/**
 * @module
 * Rendering benchmarks, ours next to the pure-JavaScript route a user would
 * pick instead (JSROOT's makeSVG + @resvg/resvg-js to PNG), on the same
 * histograms: a 100-bin TH1F and a 100×100 TH2F drawn COLZ, at 266×200 and
 * 1000×800. Ours is timed (a) inside the daemon, with the drawing harness
 * `render-native/build/bench_render` when built, and (b) through one daemon
 * over its UNIX socket from Deno; then HTTP thumbnails/s through the server.
 * Run standalone with `deno run -A tools/bench/render.ts`.
 */

import { Resvg } from "@resvg/resvg-js";
import { makeSVG } from "jsroot";
import { fill, fill2, makeTH1, makeTH2, writeLegacyDqmFile } from "../../core/writer/mod.ts";
import {
  defaultRenderCommand,
  recordFromObject,
  RenderPool,
  type RenderRequest,
} from "../../core/render/mod.ts";
import { toRootJson } from "../../core/json/root_json.ts";
import type { RootObject } from "../../core/root/models/types.ts";
import { type BenchRow, median, row } from "./_rows.ts";
import { getAll, startServer } from "./_server.ts";

/** Deterministic normal deviates. */
function gaussian(seed: number): () => number {
  let s = seed;
  const uniform = () => ((s = (s * 1103515245 + 12345) >>> 0) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The benchmark histograms: a 100-bin TH1F and a 100×100 TH2F, 10,000 fills each. */
export function benchHistograms(): { th1: RootObject; th2: RootObject } {
  const g = gaussian(7);
  const th1 = makeTH1("TH1F", {
    name: "th1",
    title: "p_{T} of tracks",
    x: { nbins: 100, min: -5, max: 5, title: "p_{T} [GeV]" },
  });
  for (let i = 0; i < 10_000; i++) fill(th1, g());
  const th2 = makeTH2("TH2F", {
    name: "th2",
    title: "Occupancy #eta vs #phi",
    x: { nbins: 100, min: -3, max: 3, title: "#eta" },
    y: { nbins: 100, min: -3.2, max: 3.2, title: "#phi" },
  });
  th2.fOption = "colz";
  for (let i = 0; i < 10_000; i++) fill2(th2, g(), g());
  return { th1: th1 as unknown as RootObject, th2: th2 as unknown as RootObject };
}

const SIZES: [number, number][] = [[266, 200], [1000, 800]];

async function timeMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function daemonHarness(rows: BenchRow[]): Promise<void> {
  const harness = new URL("../../render-native/build/bench_render", import.meta.url).pathname;
  try {
    await Deno.stat(harness);
  } catch {
    rows.push(row("in-daemon drawing (render-native/build/bench_render not built)", NaN, "ms"));
    return;
  }
  const out = await new Deno.Command(harness, {
    args: ["--json"],
    cwd: new URL("../../render-native/", import.meta.url).pathname,
    stdout: "piped",

    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+(\d+)x(\d+)\s+([\d.]+)\s*ms/.exec(line.trim());
    if (!m) continue;
    const thumb = m[2] === "266" && m[3] === "200";
    const target = thumb ? (m[1]!.startsWith("th2") ? "<= 3" : "<= 1") : undefined;
    rows.push(
      row(`in daemon: ${m[1]} ${m[2]}x${m[3]} (renderPng, median)`, Number(m[4]), "ms", target),
    );
  }
}

/**
 * Run the rendering benchmarks.
 *
 * @param runs timed runs per case
 * @returns the measured rows
 */
export async function benchRender(runs = 200): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { th1, th2 } = benchHistograms();
  await daemonHarness(rows);

  const state = await Deno.makeTempDir({ prefix: "dqmgui-bench-render-" });
  const pool = await RenderPool.start({
    command: await defaultRenderCommand(),
    count: 1,
    runDir: state,
  });
  try {
    for (const [label, object] of [["TH1F", th1], ["TH2F COLZ", th2]] as const) {
      const record = recordFromObject(object);
      const json = JSON.stringify(toRootJson(object));
      const jsrootObject = (await import("jsroot")).parse(json);
      for (const [w, h] of SIZES) {
        const request: RenderRequest = {
          kind: "objects",
          name: `Bench/${label}`,
          efficiency: false,
          records: [record],
          options: { width: w, height: h, stats: true, norm: true, errors: false },
        };
        const ours = await timeMs(runs, () => pool.render(request));
        const svgMs = await timeMs(
          Math.max(10, runs / 10),
          () =>
            makeSVG({
              object: jsrootObject,
              option: label === "TH1F" ? "" : "colz",
              width: w,
              height: h,
            }),
        );
        const svg = await makeSVG({
          object: jsrootObject,
          option: label === "TH1F" ? "" : "colz",
          width: w,
          height: h,
        });
        const pngMs = await timeMs(Math.max(10, runs / 10), () => new Resvg(svg).render().asPng());
        rows.push(row(`${label} ${w}x${h}: ours, one daemon over its socket`, ours, "ms"));
        rows.push(row(`${label} ${w}x${h}: JSROOT makeSVG + resvg PNG`, svgMs + pngMs, "ms"));
        rows.push(row(`${label} ${w}x${h}: speed-up`, (svgMs + pngMs) / ours, "x"));
      }
    }
  } finally {
    await pool.close();
    await Deno.remove(state, { recursive: true });
  }

  // HTTP: the real server with 2 daemons, distinct thumbnails (no PNG cache hits).
  const server = await startServer(["--renderers", "2"]);
  try {
    const file = `${server.files}/bench.root`;
    const mes = Array.from(
      { length: 40 },
      (_, i) => ({ path: `Bench/h${i}`, value: i % 2 ? th2 : th1 }),
    );
    await Deno.writeFile(file, writeLegacyDqmFile({ run: 1, mes }));
    await server.register([{
      dataset: "/Bench/Render-v1/ROOT",
      run: 1,
      lumi: 0,
      file,
      fileformat: 1,
    }]);
    const urls = (n: number, offset: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `/api/v1/render/1/Bench/Render-v1/ROOT/Bench/h${i % 40}?w=${
            266 + ((i + offset) % 400)
          }&h=200`,
      );
    await getAll(server.url, urls(200, 1000), 16);
    const n = 2000;
    const { statuses, ms } = await getAll(server.url, urls(n, 0), 16);
    if (statuses.some((s) => s !== 200)) {
      throw new Error(`HTTP renders failed: ${statuses.filter((s) => s !== 200).length}`);
    }
    rows.push(
      row(
        `HTTP thumbnails (TH1F/TH2F alternating, distinct, 16 clients, 2 daemons)`,
        (n * 1000) / ms,
        "images/s",
        ">= 500",
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchRender()));
}
