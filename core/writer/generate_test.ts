import { deepStrictEqual, notDeepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { openFile } from "jsroot/io";
import { assertMatchesSource, errorMatching } from "../../tests/support/compare.ts";
import { histogramSummary, jsrootSummary } from "../../tests/support/jsroot_dump.ts";
import type { RootObject, TH1 } from "../root/models/types.ts";
import { generateMEs } from "./generate.ts";
import {
  efficiencyKeyName,
  type LegacyME,
  qtestKeyName,
  scalarKeyName,
  type ScalarME,
  writeLegacyDqmFile,
} from "./legacy.ts";

const isScalar = (v: LegacyME["value"]): v is ScalarME => "kind" in v && !("_typename" in v);

/** Every key (path, cycle, class) the legacy layout must produce for `mes`, plus the sources. */
function expectedKeys(run: number, mes: LegacyME[]) {
  const keys = new Set<string>(["StreamerInfo;1;TList"]);
  const sources = new Map<string, RootObject | string>();
  for (const me of mes) {
    const parts = me.path.split("/");
    const name = parts.pop()!;
    const dirs = ["DQMData", `Run ${run}`, parts[0]!, "Run summary", ...parts.slice(1)];
    for (let i = 1; i <= dirs.length; i++) keys.add(`${dirs.slice(0, i).join("/")};1;TDirectory`);
    const dir = dirs.join("/");
    const strings: string[] = [];
    if (isScalar(me.value)) strings.push(scalarKeyName(name, me.value));
    else {
      keys.add(`${dir}/${name};1;${me.value._typename}`);
      sources.set(`${dir}/${name};1`, me.value);
    }
    if (me.efficiency) strings.push(efficiencyKeyName(name));
    for (const q of me.qtests ?? []) strings.push(qtestKeyName(name, q));
    for (const s of strings) {
      keys.add(`${dir}/${s};1;TObjString`);
      sources.set(`${dir}/${s};1`, s);
    }
  }
  return { keys: [...keys].sort(), sources };
}

Deno.test("generateMEs() returns exactly count MEs, the same for the same seed", () => {
  const a = generateMEs({ count: 300, seed: 11, run: 5 });
  strictEqual(a.length, 300);
  deepStrictEqual(generateMEs({ count: 300, seed: 11, run: 5 }), a);
  notDeepStrictEqual(generateMEs({ count: 300, seed: 12, run: 5 }), a);
  deepStrictEqual(generateMEs({ count: 0, seed: 1 }), []);
  throws(
    () => generateMEs({ count: -1, seed: 1 }),
    errorMatching(TypeError, "Cannot generate -1 MEs"),
  );
});

Deno.test("generateMEs() covers every ME kind, subsystem and legacy feature", () => {
  const mes = generateMEs({ count: 3000, seed: 3, run: 777 });
  strictEqual(new Set(mes.map((m) => m.path)).size, mes.length, "paths are unique");
  const classes = new Set(mes.map((m) => isScalar(m.value) ? m.value.kind : m.value._typename));
  for (
    const c of [
      "TH1F",
      "TH1D",
      "TH1S",
      "TH1I",
      "TH2F",
      "TH2S",
      "TH2D",
      "TH3F",
      "TProfile",
      "TProfile2D",
      "Int",
      "Float",
      "String",
    ]
  ) strictEqual(classes.has(c), true, c);
  strictEqual(new Set(mes.map((m) => m.path.split("/")[0])).size, 15);
  const hists = mes.flatMap((m) => isScalar(m.value) ? [] : [m.value as TH1]);
  strictEqual(hists.some((h) => h.fXaxis.fXbins.length > 0), true, "variable bins");
  strictEqual(hists.some((h) => h.fXaxis.fLabels && h.fYaxis.fLabels), true, "labelled 2D map");
  strictEqual(hists.some((h) => h.fSumw2.length > 0 && h._typename === "TH1D"), true, "weighted");
  strictEqual(mes.some((m) => m.qtests?.some((q) => q.status === 300)), true, "failed qtests");
  strictEqual(mes.some((m) => m.efficiency), true, "efficiency flags");
  deepStrictEqual(mes.find((m) => m.path === "CSC/EventInfo/iRun")?.value, {
    kind: "Int",
    value: 777,
  });
  const map = mes.find((m) => m.path === "CSC/EventInfo/reportSummaryMap")!.value as TH1;
  strictEqual(map.fYaxis.fLabels!.arr[0]!.fString, "ME-4/2");
});

Deno.test("writeLegacyDqmFile() of 4000 generated MEs reads back in JSROOT exactly as generated", async () => {
  const run = 314159;
  const mes = generateMEs({ count: 4000, seed: 2024, run, maxEntries: 300 });
  const bytes = writeLegacyDqmFile({ run, mes });
  const s = await jsrootSummary(bytes, "generated.root");
  const { keys, sources } = expectedKeys(run, mes);
  deepStrictEqual(s.keys.map(([p, c, cls]) => `${p};${c};${cls}`).sort(), keys);
  strictEqual(s.keys.length, keys.length, "no duplicate keys");
  for (const [key, source] of sources) {
    const expected = typeof source === "string"
      ? { class: "TObjString", value: source }
      : histogramSummary(source);
    deepStrictEqual(s.objects[key], expected, key);
  }
  const file = await openFile(bytes.buffer);
  let checked = 0;
  for (const [key, source] of sources) {
    if (typeof source === "string" || checked++ % 40 !== 0) continue;
    assertMatchesSource(await file.readObject(key), source, key);
  }
});

Deno.test("writeLegacyDqmFile() writes byte-identical files for the same seed", () => {
  const write = () =>
    writeLegacyDqmFile({ run: 9, mes: generateMEs({ count: 500, seed: 99, run: 9 }) });
  deepStrictEqual(write(), write());
});
