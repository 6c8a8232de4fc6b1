/**
 * @module
 * Benchmarks of the legacy DQM writer: generating MEs and writing them
 * (serialisation, zlib compression, KeysLists, StreamerInfo). Run with
 * `deno bench -A core/writer/writer_bench.ts`.
 */

import { generateMEs } from "./generate.ts";
import { writeLegacyDqmFile } from "./legacy.ts";

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
