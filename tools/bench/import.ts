/**
 * @module
 * Import and listing benchmarks through the real HTTP server (a child
 * process): first-access import of every real test file, concurrent imports,
 * uncached directory listings. Run standalone with
 * `deno run -A tools/bench/import.ts`.
 */

import { type BenchRow, median, row } from "./_rows.ts";
import { getAll, startServer } from "./_server.ts";
import { testFiles } from "../../tests/support/testdata.ts";

/** Options of `benchImports`. */
export interface ImportBenchOptions {
  /** Timed first accesses per file (default 5). */
  rounds?: number;
  /** Samples imported at once in the concurrency test (default 200). */
  concurrentSamples?: number;
  /** Seconds of listing load (default 3). */
  listingSeconds?: number;
}

/**
 * Run the import and listing benchmarks.
 *
 * @param options sizes
 * @returns the measured rows
 */
export async function benchImports(options: ImportBenchOptions = {}): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 5;
  const rows: BenchRow[] = [];
  const server = await startServer();
  try {
    const files = testFiles(["dqm-legacy", "root-histos"]);
    const samples = [];
    for (const [i, f] of files.entries()) {
      const file = `${server.files}/${f.name}`;
      await Deno.copyFile(f.path, file);
      samples.push({
        dataset: `/Bench/${f.name.replace(/\.root$/, "")}/ROOT`,
        run: i + 1,
        lumi: 0,
        file,
        fileformat: 1,
      });
    }
    // Warm the workers and the JIT: a server in use has imported many files.
    for (let pass = 0; pass < 4; pass++) {
      await server.register(samples);
      await getAll(server.url, samples.map((s) => `/api/v1/archive/${s.run}${s.dataset}/`), 2);
    }

    const perFile: number[] = [];
    for (const s of samples) {
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        await server.register([s]); // re-registration forces a fresh import
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/v1/archive/${s.run}${s.dataset}/`);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`Cannot import ${s.file}: HTTP ${res.status}`);
      }
      perFile.push(median(times));
      rows.push(row(`first access ${s.file.split("/").pop()}`, median(times), "ms", "< 20"));
    }
    rows.push(
      row("first access, slowest real file (median of runs)", Math.max(...perFile), "ms", "< 20"),
    );
    rows.push(row("first access, median over real files", median(perFile), "ms", "< 20"));

    const n = options.concurrentSamples ?? 200;
    const legacy = samples.slice(0, testFiles(["dqm-legacy"]).length);
    const many = Array.from(
      { length: n },
      (_, i) => ({ ...legacy[i % legacy.length]!, dataset: `/Concurrent/S${i}/ROOT` }),
    );
    await server.register(many);
    const burst = await getAll(
      server.url,
      many.map((s) => `/api/v1/archive/${s.run}${s.dataset}/`),
      32,
    );
    if (burst.statuses.some((s) => s !== 200)) {
      throw new Error(`Concurrent imports failed: ${burst.statuses}`);
    }
    rows.push(
      row(
        `concurrent first accesses (${n} samples, 32 clients)`,
        (n * 1000) / burst.ms,
        "imports/s",
        ">= 100",
      ),
    );

    const gem = samples.find((s) => s.file.includes("DQM_V0001_GEM"))!;
    const folders = await collectFolders(server.url, `/api/v1/archive/${gem.run}${gem.dataset}/`);
    const paths: string[] = [];
    const deadline = (options.listingSeconds ?? 3) * 1000;
    const probe = await getAll(server.url, folders, 16);
    const perRequest = probe.ms / folders.length;
    const count = Math.max(folders.length, Math.ceil(deadline / Math.max(perRequest, 0.05)));
    for (let i = 0; i < count; i++) paths.push(folders[i % folders.length]!);
    const load = await getAll(server.url, paths, 16);
    rows.push(
      row(
        `archive listings, ${folders.length} folders of a 626-ME sample (16 clients)`,
        (paths.length * 1000) / load.ms,
        "req/s",
        ">= 2000",
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

async function collectFolders(base: string, root: string): Promise<string[]> {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    const res = await fetch(base + out[i]);
    const body = await res.json();
    for (const e of body.data) {
      if (e.subdir !== undefined) out.push(`${out[i]}${encodeURIComponent(e.subdir)}/`);
    }
  }
  return out;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchImports()));
}
