/**
 * @module
 * Protobuf snapshot benchmarks: a generated 50,000-ME live snapshot (four
 * client processes concatenated) imported by `runImportJob` (read the file,
 * scan, decode the scalars, sort and encode the ME list: what a worker
 * does), next to a generic decode of the same bytes with `@bufbuild/protobuf`'s
 * `fromBinary` (with and without inflating the scalar payloads it would
 * need too), for both CMSSW variants; and one histogram read back warm with
 * `readPbHisto`. Run standalone with `deno run -A tools/bench/pb.ts`.
 */

import { fromBinary } from "@bufbuild/protobuf";
import { gunzipSync, inflateSync } from "node:zlib";
import { runImportJob } from "../../core/importers/import_job.ts";
import { ImportPool } from "../../core/importers/pool.ts";
import { protobufImporter, readPbHisto } from "../../core/importers/protobuf.ts";
import { ROOTFilePBSchema } from "../../core/pb/mod.ts";
import { FileSource, MemorySource } from "../../core/root/source.ts";
import { generatePbMEs, type PbVariant, writePbFile } from "../../core/writer/mod.ts";
import { type BenchRow, median, row } from "./_rows.ts";

const REQUEST = { dataset: "/Global/Online/ALL", run: 0, lumi: 0 };

async function timeIt(rounds: number, f: () => unknown): Promise<number> {
  await f(); // warm-up: JIT, file cache
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** `fromBinary`, then inflating the scalar payloads as an importer must. */
function genericImport(bytes: Uint8Array, variant: PbVariant, inflate: boolean): number {
  const plain = variant === "gzip" ? gunzipSync(bytes) : bytes;
  const { histo } = fromBinary(ROOTFilePBSchema, plain);
  let n = 0;
  if (inflate && variant === "zlib") {
    for (const h of histo) if ((h.flags & 0xff) <= 3) n += inflateSync(h.streamedHisto).length;
  }
  return n + histo.length;
}

/**
 * Generate the MEs and write both variants, so that the generated objects
 * are garbage by the time imports are timed (a worker imports with a small heap).
 */
async function writeSnapshots(dir: string, count: number, clients: number, rows: BenchRow[]) {
  const t0 = performance.now();
  const mes = generatePbMEs({ count, seed: 1, maxEntries: 500 });
  rows.push(row(`generate ${count} MEs`, performance.now() - t0, "ms"));
  for (const variant of ["zlib", "gzip"] as const) {
    const t1 = performance.now();
    const bytes = writePbFile({ mes, clients, variant });
    await Deno.writeFile(`${dir}/live_${variant}.pb`, bytes);
    const mb = (bytes.length / 1e6).toFixed(1);
    const what = `write the ${variant} snapshot (${clients} clients, ${mb} MB)`;
    rows.push(row(what, performance.now() - t1, "ms"));
  }
}

/** The import rows of one variant. */
async function benchVariant(
  dir: string,
  variant: PbVariant,
  pool: ImportPool,
  rounds: number,
): Promise<BenchRow[]> {
  const file = `${dir}/live_${variant}.pb`;
  const bytes = await Deno.readFile(file);
  const job = { ...REQUEST, file, fileformat: 3 };
  const rows = [
    row(
      `${variant}: import on a worker, as a registration does (ImportPool)`,
      await timeIt(rounds, () => pool.run(job)),
      "ms",
      "<= 300",
    ),
    row(
      `${variant}: runImportJob on this thread (read, scan, scalars, sort + encode)`,
      await timeIt(rounds, () => runImportJob(job)),
      "ms",
    ),
    row(
      `${variant}: protobufImporter.importFile alone (in memory)`,
      await timeIt(
        rounds,
        () => protobufImporter.importFile(new MemorySource(bytes, file), REQUEST),
      ),
      "ms",
    ),
    row(
      `${variant}: @bufbuild/protobuf fromBinary of the same bytes`,
      await timeIt(rounds, () => genericImport(bytes, variant, false)),
      "ms",
    ),
  ];
  if (variant === "zlib") {
    rows.push(row(
      `${variant}: fromBinary + inflate the scalar payloads (node:zlib)`,
      await timeIt(rounds, () => genericImport(bytes, variant, true)),
      "ms",
    ));
  }
  return rows;
}

/** One histogram read back warm from the plain snapshot. */
async function benchRead(dir: string): Promise<BenchRow> {
  const source = await FileSource.open(`${dir}/live_zlib.pb`);
  try {
    const job = await protobufImporter.importFile(source, REQUEST);
    const me = job.lists.get("0:0")!.find((e) => e.kind === "TH2F")!;
    const reads: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await readPbHisto(source, me.seek, me.size, false);
      if (i >= 20) reads.push(performance.now() - start);
    }
    return row("readPbHisto: one TH2F read back (positioned read + inflate)", median(reads), "ms");
  } finally {
    source.close();
  }
}

/**
 * Run the protobuf benchmarks.
 *
 * @param count MEs in the snapshot
 * @param clients client processes concatenated
 * @param rounds timed repetitions (medians are reported)
 * @returns the measured rows
 */
export async function benchPb(count = 50_000, clients = 4, rounds = 11): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = await Deno.makeTempDir({ prefix: "bench-pb-" });
  const pool = new ImportPool({ workers: 1 });
  try {
    await writeSnapshots(dir, count, clients, rows);
    for (const variant of ["zlib", "gzip"] as const) {
      rows.push(...await benchVariant(dir, variant, pool, rounds));
    }
    rows.push(await benchRead(dir));
  } finally {
    pool.close();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchPb()));
}
