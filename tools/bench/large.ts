/**
 * @module
 * Import of a generated legacy file with 100,000 MEs: first access through
 * the real HTTP server (worker import, store, listing). Run standalone with
 * `deno run -A tools/bench/large.ts`.
 */

import { generateMEs, writeLegacyDqmFile } from "../../core/writer/mod.ts";
import { type BenchRow, median, row } from "./_rows.ts";
import { startServer } from "./_server.ts";

/**
 * Write a 100k-ME file, register it, and time its first access a few times.
 *
 * @param count MEs in the file
 * @param rounds timed first accesses
 * @returns the measured rows
 */
export async function benchLargeImport(count = 100_000, rounds = 3): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const bytes = writeLegacyDqmFile({
    run: 123456,
    mes: generateMEs({ count, seed: 1, run: 123456, maxEntries: 200 }),
  });
  rows.push(
    row(
      `generate + write ${count}-ME legacy file (${(bytes.length / 1e6).toFixed(0)} MB)`,
      performance.now() - t0,
      "ms",
    ),
  );
  const server = await startServer();
  try {
    const file = `${server.files}/large.root`;
    await Deno.writeFile(file, bytes);
    const sample = {
      dataset: "/Large/Generated-v1/DQMIO",
      run: 123456,
      lumi: 0,
      file,
      fileformat: 1,
    };
    const times: number[] = [];
    for (let r = 0; r < rounds + 1; r++) {
      await server.register([sample]);
      const start = performance.now();
      const res = await fetch(`${server.url}/api/v1/archive/123456${sample.dataset}/`);
      const body = await res.json();
      if (res.status !== 200) {
        throw new Error(`Cannot import the large file: ${JSON.stringify(body)}`);
      }
      const total = body.data.reduce(
        (n: number, e: { me_count?: number }) => n + (e.me_count ?? 1),
        0,
      );
      if (total !== count) throw new Error(`Imported ${total} MEs, expected ${count}`);
      if (r > 0) times.push(performance.now() - start); // the first round warms the worker
    }
    rows.push(
      row(
        `first access of a ${count}-ME legacy file (median of ${rounds})`,
        median(times),
        "ms",
        "<= 1000",
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchLargeImport()));
}
