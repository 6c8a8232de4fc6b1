/**
 * @module
 * Benchmarks of the DQM writers: generating MEs and writing them as legacy
 * files (serialisation, zlib compression, KeysLists, StreamerInfo) and as
 * DQMIO files (trees, baskets). Run with
 * `deno bench -A core/writer/writer_bench.ts`.
 */

import { generateMEs } from "./generate.ts";
import { writeLegacyDqmFile } from "./legacy.ts";
import { writeDqmioChunks } from "./dqmio.ts";

const COUNT = 10_000;
const mes = generateMEs({ count: COUNT, seed: 1, run: 123456 });

Deno.bench(`generateMEs() ${COUNT} MEs`, { group: "writer" }, () => {
  generateMEs({ count: COUNT, seed: 1, run: 123456 });
});

Deno.bench(
  `writeLegacyDqmFile() ${COUNT} MEs, zlib level 1`,
  { group: "writer", baseline: true },
  () => {
    writeLegacyDqmFile({ run: 123456, mes });
  },
);

Deno.bench(`writeLegacyDqmFile() ${COUNT} MEs, uncompressed`, { group: "writer" }, () => {
  writeLegacyDqmFile({ run: 123456, mes, compression: "none" });
});

Deno.bench(
  "writeDqmioChunks() 10 lumisections x 2000 MEs, zlib level 1",
  { group: "dqmio" },
  () => {
    writeDqmioChunks({ run: 123456, lumis: 10, mesPerLumi: 2000, manifest: "none" });
  },
);

Deno.bench("writeDqmioChunks() 10 lumisections x 2000 MEs, lz4", { group: "dqmio" }, () => {
  writeDqmioChunks({
    run: 123456,
    lumis: 10,
    mesPerLumi: 2000,
    compression: "lz4",
    manifest: "none",
  });
});
