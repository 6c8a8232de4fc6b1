/**
 * @module
 * DQMIO benchmarks through the real server: a generated 100-lumisection ×
 * 10,000-ME DQMIO file registered with lumi -1; first access to one
 * lumisection, all lumisections, and one histogram read warm (JSON, which
 * reads the object from its basket). Ours next to JSROOT reading the same
 * lumisection's names from the same file. Run standalone with
 * `deno run -A tools/bench/dqmio.ts`.
 */

import { DQMIO_TREES, writeDqmioFile } from "../../core/writer/mod.ts";
import { jsrootOpen, jsrootValues } from "../../tests/support/jsroot_tree.ts";
import { type BenchRow, median, row } from "./_rows.ts";
import { getAll, startServer } from "./_server.ts";

const RUN = 355100;
const DATASET = "/DQMIO/Bench-v1/DQMIO";

/**
 * Run the DQMIO benchmarks.
 *
 * @param lumis lumisections in the file
 * @param mes MEs per lumisection
 * @returns the measured rows
 */
export async function benchDqmio(lumis = 100, mes = 10_000): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const { bytes } = writeDqmioFile({ run: RUN, lumis, mesPerLumi: mes, perRunMEs: mes, seed: 11 });
  rows.push(
    row(
      `generate a ${lumis}-lumi x ${mes}-ME DQMIO file (${(bytes.length / 1e6).toFixed(0)} MB)`,
      performance.now() - t0,
      "ms",
    ),
  );
  const server = await startServer();
  try {
    const file = `${server.files}/dqmio.root`;
    await Deno.writeFile(file, bytes);
    const t1 = performance.now();
    await server.register([{ dataset: DATASET, run: RUN, lumi: -1, file, fileformat: 2 }]);
    rows.push(
      row(`register with lumi -1 (lists ${lumis + 1} samples)`, performance.now() - t1, "ms"),
    );

    const firsts: number[] = [];
    for (const lumi of [37, 73, 5]) {
      const start = performance.now();
      const res = await fetch(`${server.url}/api/v1/archive/${RUN}:${lumi}${DATASET}/`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`Cannot import lumi ${lumi}: HTTP ${res.status}`);
      firsts.push(performance.now() - start);
    }
    rows.push(
      row("first access to one lumisection (median of 3 lumis)", median(firsts), "ms", "<= 300"),
    );

    const rest = Array.from({ length: lumis + 1 }, (_, l) => l).filter((l) =>
      ![37, 73, 5].includes(l)
    );
    const all = await getAll(
      server.url,
      rest.map((l) => `/api/v1/archive/${RUN}:${l}${DATASET}/`),
      4,
    );
    const failed = rest.filter((_, i) => all.statuses[i] !== 200);
    if (failed.length) {
      throw new Error(
        `Cannot import lumisections ${failed.join(", ")}: HTTP ${
          all.statuses.filter((s) => s !== 200)
        }`,
      );
    }

    rows.push(
      row(
        `first access to all other ${rest.length} lumisections (4 clients)`,
        all.ms + firsts.reduce((a, b) => a + b),
        "ms",
        "<= 10000",
      ),
    );

    // One histogram, read warm: the object comes out of its (cached) basket.
    const findTH1F = async (path: string): Promise<string | undefined> => {
      const body = await (await fetch(`${server.url}/api/v1/archive/${RUN}:37${DATASET}/${path}`))
        .json();
      const h = body.data.find((e: { kind?: string }) => e.kind === "TH1F");
      if (h) return h.path;
      for (const sub of body.data.filter((e: { subdir?: string }) => e.subdir !== undefined)) {
        const found = await findTH1F(`${path}${encodeURIComponent(sub.subdir)}/`);
        if (found) return found;
      }
      return undefined;
    };
    const me = await findTH1F("");
    if (!me) throw new Error("Cannot find a TH1F in lumisection 37");
    const url = `${server.url}/api/v1/json/${RUN}:37${DATASET}/${
      me.split("/").map(encodeURIComponent).join("/")
    }`;
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const s = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      if (i >= 10) times.push(performance.now() - s);
    }
    rows.push(row("one histogram read warm (GET /api/v1/json, TH1F)", median(times), "ms", "<= 2"));

    // JSROOT reading the same lumisection's ME names (Indices + FullName ranges).
    const jsStart = performance.now();
    const jf = await jsrootOpen(file);
    const indices = await jf.readObject("Indices");
    const col = async (n: string) =>
      await jsrootValues(
        indices,
        indices.fBranches.arr.find((b: { fName: string }) => b.fName === n),
      ) as number[];
    const [lumiCol, type, first, last] = await Promise.all(
      ["Lumi", "Type", "FirstIndex", "LastIndex"].map(col),
    );
    let names = 0;
    for (let i = 0; i < lumiCol!.length; i++) {
      if (lumiCol![i] !== 37 || type![i] === 1000) continue;
      const tree = await jf.readObject(DQMIO_TREES[type![i]!]!);
      const fullName = tree.fBranches.arr.find((b: { fName: string }) => b.fName === "FullName");
      names += (await jsrootValues(
        tree,
        fullName,
        Number(first![i]),
        Number(last![i]) - Number(first![i]) + 1,
      )).length;
    }
    rows.push(
      row(
        `JSROOT: open + read the ${names} ME names of one lumisection`,
        performance.now() - jsStart,
        "ms",
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchDqmio()));
}
