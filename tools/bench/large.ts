/**
 * @module
 * Import of a generated legacy file with 100,000 MEs: first access through
 * the real HTTP server (worker import, store, listing), then a regex search
 * over every path and a quality-test-filtered listing of the whole sample. Run standalone with
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
  // No layouts: the listing then counts exactly the file's MEs.
  const noLayouts = await Deno.makeTempDir({ prefix: "dqmgui-no-layouts-" });
  const server = await startServer(["--layouts", noLayouts]);
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
    // Searches over the whole list, warm (the list is decoded and cached by now).
    const timed = async (path: string) => {
      const ms: number[] = [];
      for (let r = 0; r < 9; r++) {
        const start = performance.now();
        const res = await fetch(`${server.url}${path}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        ms.push(performance.now() - start);
      }
      return median(ms);
    };
    const base = `123456${sample.dataset}`;
    rows.push(
      row(
        `ME search, regex over all ${count} paths (/api/v1/search, warm, median of 9)`,
        await timed(`/api/v1/search/${base}?q=${encodeURIComponent("tracks/.*_1[0-9]$")}`),
        "ms",
        "<= 100",
      ),
      row(
        `top listing with qt=failing over ${count} MEs (warm, median of 9)`,
        await timed(`/api/v1/archive/${base}/?qt=failing`),
        "ms",
        "<= 100",
      ),
    );
  } finally {
    await server.stop();
    await Deno.remove(noLayouts, { recursive: true });
  }
  return rows;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchLargeImport()));
}
