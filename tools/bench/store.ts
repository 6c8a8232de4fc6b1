/**
 * @module
 * Benchmarks of `core/store`: building, encoding and decoding a 100,000-entry
 * ME list, folder listings on a warm list, lookups, and a save/load round trip
 * through SQLite. Each row states its target, so a regression shows as
 * `ok: false`.
 *
 * Run standalone: `deno run -A tools/bench/store.ts` (prints a table).
 */

import { decodeMEList, encodeMEList, type MEEntry, MEList, Store } from "../../core/store/mod.ts";
import { type BenchRow, median, row } from "./_rows.ts";

const SUBSYSTEMS = [
  "PixelPhase1",
  "SiStrip",
  "Tracking",
  "Ecal",
  "EcalBarrel",
  "EcalEndcap",
  "Hcal",
  "CSC",
  "DT",
  "RPC",
  "GEM",
  "L1T",
  "HLT",
  "JetMET",
  "Muons",
  "Egamma",
  "BeamMonitor",
  "CTPPS",
  "Info",
  "OfflinePV",
];
const KINDS = [
  "TH1F",
  "TH1F",
  "TH1F",
  "TH2F",
  "TH2F",
  "TProfile",
  "TH1D",
  "TProfile2D",
  "Int",
  "Float",
  "String",
];

/**
 * A deterministic synthetic ME list shaped like a large DQM sample: 20
 * subsystems, folders three to five levels deep, ~25 MEs per folder, some
 * scalars with values, some quality tests, given in shuffled order.
 *
 * @param n number of entries
 * @returns the entries
 */
export function syntheticEntries(n: number): MEEntry[] {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 0x100000000;
  const out: MEEntry[] = [];
  for (let i = 0; i < n; i++) {
    const folder = Math.floor(i / 25);
    const sub = SUBSYSTEMS[folder % SUBSYSTEMS.length]!;
    const depth = 1 + (folder % 3);
    const parts = [sub];
    for (let d = 0; d < depth; d++) {
      parts.push(`Layer${(folder >> (d * 3)) % 8}_Module${(folder >> (d * 2)) % 37}`);
    }
    const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
    const e: MEEntry = {
      path: `${parts.join("/")}/${kind === "TH2F" ? "map" : "hist"}_${i % 25}_${(i * 7919) % 1000}`,
      kind,
      seek: kind === "Int" || kind === "Float" ? 0 : 1000 + Math.floor(rand() * 3e9),
      offset: 0,
      size: -1,
    };
    if (kind === "Int") e.value = String(Math.floor(rand() * 1e6));
    if (kind === "Float") e.value = String(rand());
    if (i % 20 === 0) {
      e.qtests = [{
        name: "ContentsInRange",
        status: 100,
        result: 1,
        algorithm: "ContentsXRange",
        message: "ok",
      }];
    }
    if (i % 97 === 0) e.efficiency = true;
    out.push(e);
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function timeMs(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function rate(seconds: number, fn: (i: number) => unknown): number {
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) fn(calls++);
  }
  return calls / seconds;
}

/**
 * Run the store benchmarks (about ten seconds).
 *
 * @param n list size (100,000 by default, the size the targets are for)
 * @returns one row per measurement
 */
export function benchStore(n = 100_000): Promise<BenchRow[]> {
  const entries = syntheticEntries(n);
  const rows: BenchRow[] = [];
  rows.push(row(`melist.build ${n} shuffled`, timeMs(5, () => new MEList(entries)), "ms"));
  const list = new MEList(entries);
  const inOrder = Array.from({ length: list.count }, (_, i) => list.entry(i));
  rows.push(row(`melist.build ${n} in order`, timeMs(5, () => new MEList(inOrder)), "ms"));
  rows.push(row(`melist.encode ${n}`, timeMs(7, () => encodeMEList(list)), "ms", "< 150"));
  const blobs = encodeMEList(list);
  rows.push(row("melist.names blob", blobs.names.length, "bytes"));
  rows.push(row("melist.infos blob", blobs.infos.length, "bytes"));
  rows.push(
    row(
      `melist.decode ${n}`,
      timeMs(7, () => decodeMEList(blobs.names, blobs.infos)),
      "ms",
      "< 80",
    ),
  );

  const fresh = decodeMEList(blobs.names, blobs.infos);
  const t0 = performance.now();
  fresh.list("");
  rows.push(row("melist.list first call, root", performance.now() - t0, "ms"));
  const folders = new Set<string>([""]);
  for (let i = 0; i < list.count; i++) {
    const p = list.path(i);
    for (let s = p.indexOf("/"); s >= 0; s = p.indexOf("/", s + 1)) folders.add(p.slice(0, s));
  }
  const folderList = [...folders];
  const t1 = performance.now();
  for (const f of folderList) fresh.list(f);
  const coldRate = folderList.length / ((performance.now() - t1) / 1000);
  rows.push(
    row(
      `melist.list first call on each of ${folderList.length} folders`,
      coldRate,
      "calls/s",
      ">= 2000",
    ),
  );
  list.list("");
  rows.push(
    row(
      "melist.list warm",
      rate(1, (i) => list.list(folderList[i % folderList.length]!)),
      "calls/s",
      ">= 20000",
    ),
  );
  const re = /^hist_1/;
  const filter = (name: string) => re.test(name);
  rows.push(
    row("melist.list warm, root, filtered", rate(1, () => list.list("", filter)), "calls/s"),
  );
  rows.push(
    row(
      "melist.list warm, leaf folder, filtered",
      rate(0.5, (i) => list.list(folderList[1 + (i % 50)]!, filter)),
      "calls/s",
    ),
  );
  rows.push(
    row("melist.indexOf", rate(0.5, (i) => list.indexOf(list.path((i * 7919) % n))), "calls/s"),
  );

  const key = { dataset: "/A/B/DQMIO", run: 1, lumi: 0 };
  const lists = new Map([["1:0", { ...blobs, count: list.count }]]);
  const saves: number[] = [];
  let loadMs = 0;
  for (let r = 0; r < 5; r++) {
    const store = Store.open(":memory:");
    try {
      store.register([{ ...key, file: "/f.root", fileformat: 1 }]);
      const t = performance.now();
      store.saveMELists("/f.root", 1, key.dataset, lists);
      saves.push(performance.now() - t);
      loadMs = timeMs(3, () => {
        const b = store.loadMEList(store.getSample(key)!.melistId!)!;
        decodeMEList(b.names, b.infos);
      });
    } finally {
      store.close();
    }
  }
  rows.push(row("store.saveMELists 1 new list", median(saves), "ms"));
  rows.push(row("store.getSample + loadMEList + decode", loadMs, "ms"));
  return Promise.resolve(rows);
}

if (import.meta.main) {
  console.table(await benchStore());
}
