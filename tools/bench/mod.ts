/**
 * @module
 * `deno task bench`: every benchmark in one run, ours and the alternatives
 * side by side, medians of repeated runs. Sections can be chosen:
 * `deno task bench decompress import large store` (default: all).
 * `--json FILE` also writes the rows as JSON.
 */

import { benchDecompression } from "./decompress.ts";
import { benchImports } from "./import.ts";
import { benchLargeImport } from "./large.ts";
import { type BenchRow, formatRows } from "./_rows.ts";
import { benchStore } from "./store.ts";
import { benchRender } from "./render.ts";
import { benchTree } from "./tree.ts";
import { benchDqmio } from "./dqmio.ts";
import { benchPb } from "./pb.ts";
import { benchLive } from "./live.ts";

const SECTIONS: Record<string, { title: string; run: () => Promise<BenchRow[]> }> = {
  decompress: {
    title:
      "Decompression throughput (32 MiB of output; ours vs native node:zlib, fflate, xz and lz4 tools)",
    run: () => benchDecompression({ mebibytes: 32 }),
  },
  import: {
    title: "Imports and listings through the HTTP server (child process, loopback)",
    run: () => benchImports(),
  },
  large: { title: "Import of a generated 100,000-ME legacy file", run: () => benchLargeImport() },
  store: { title: "ME list store (100,000 synthetic MEs)", run: () => benchStore() },
  dqmio: {
    title:
      "DQMIO: a generated 100-lumisection x 10,000-ME file through the server; JSROOT on the same file",
    run: () => benchDqmio(),
  },
  pb: {
    title:
      "Protobuf: a generated 50,000-ME live snapshot (4 clients) imported on a worker and on this thread; @bufbuild/protobuf fromBinary on the same bytes",
    run: () => benchPb(),
  },
  live: {
    title:
      "Live mode: 50,000-ME snapshots registered one after another through the server, with an SSE client",
    run: () => benchLive(),
  },
  tree: {
    title: "TTree reading: ours vs JSROOT on the same branches",
    run: () => benchTree(),
  },
  render: {
    title:
      "Rendering: our cairo daemon vs JSROOT makeSVG + resvg (same histograms), HTTP thumbnails",
    run: () => benchRender(),
  },
};

const args = Deno.args.filter((a) => !a.startsWith("--"));
const jsonAt = Deno.args.indexOf("--json");
const jsonFile = jsonAt >= 0 ? Deno.args[jsonAt + 1] : undefined;
const chosen = args.filter((a) => a !== jsonFile);
const names = chosen.length ? chosen : Object.keys(SECTIONS);
const all: Record<string, BenchRow[]> = {};
let missed = 0;
console.log(
  `DQM GUI benchmarks, ${
    new Date().toISOString()
  }, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`,
);
for (const name of names) {
  const section = SECTIONS[name];
  if (!section) {
    console.error(`Unknown section "${name}"; choose from ${Object.keys(SECTIONS).join(", ")}`);
    Deno.exit(2);
  }
  console.log(`\n## ${section.title}\n`);
  const rows = await section.run();
  all[name] = rows;
  missed += rows.filter((r) => r.ok === false).length;
  console.log(formatRows(rows));
}
if (jsonFile) await Deno.writeTextFile(jsonFile, JSON.stringify(all, null, 2));
console.log(missed ? `\n${missed} target(s) missed` : "\nAll targets met");
