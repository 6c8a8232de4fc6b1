import { errorMatching } from "../../tests/support/compare.ts";
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import {
  BUILTIN_CLASSES,
  classResolver,
  Cursor,
  FileSource,
  ObjectReader,
  RootFile,
  RootFormatError,
} from "../root/mod.ts";
import type { RootObject, StreamerSet, TKey } from "../root/mod.ts";
import { makeTH1 } from "../writer/mod.ts";
import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
import { payloadIsCurrent } from "./_versions.ts";
import { DAEMON_CLASS_VERSIONS, recordFromKeyPayload, recordFromObject } from "./records.ts";
import type { RenderRecord } from "./types.ts";

const LEGACY = `${TESTDATA_DIR}dqm-legacy/`;
const RENDERABLE = /^(TH[123][CSIFD]|TProfile|TProfile2D|TObjString)$/;

interface Sampled {
  key: TKey;
  path: string;
  payload: Uint8Array;
  direct: RootObject;
}

/** Up to `perClass` keys of every renderable class of a file, with the key's own decoding. */
async function sample(file: RootFile, perClass: number): Promise<Sampled[]> {
  const counts = new Map<string, number>();
  const out: Sampled[] = [];
  for await (const { key, path } of file.walk()) {
    if (!RENDERABLE.test(key.fClassName)) continue;
    const n = counts.get(key.fClassName) ?? 0;
    if (n >= perClass) continue;
    counts.set(key.fClassName, n + 1);
    const { object } = await file.readObject(key);
    out.push({ key, path, payload: await file.readPayload(key), direct: object });
  }
  return out;
}

/** Read a record as the daemon does: ReadObjectAny with tags shifted by the displacement. */
function readRecord(
  record: RenderRecord,
  streamers?: StreamerSet,
): { object: RootObject; warnings: string[] } {
  const c = new Cursor(record.bytes, record.displacement);
  const reader = new ObjectReader(c, streamers ? classResolver(streamers) : BUILTIN_CLASSES);
  const object = reader.readObjectAny();
  ok(object, "record holds an object");
  strictEqual(c.pos, record.bytes.length, "record read to its end");
  return { object, warnings: reader.warnings };
}

/** Every member of `expected` (recursively) has the same value in `actual`. */
function assertSubset(actual: unknown, expected: unknown, where: string): void {
  if (ArrayBuffer.isView(expected)) {
    const a = actual as ArrayLike<number>;
    const e = expected as unknown as ArrayLike<number>;
    strictEqual(a.length, e.length, `${where}: length`);
    for (let i = 0; i < e.length; i++) if (a[i] !== e[i]) strictEqual(a[i], e[i], `${where}[${i}]`);
    return;
  }
  if (Array.isArray(expected)) {
    ok(Array.isArray(actual), `${where}: array`);
    strictEqual((actual as unknown[]).length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertSubset((actual as unknown[])[i], e, `${where}[${i}]`));
    return;
  }
  if (expected && typeof expected === "object") {
    ok(actual && typeof actual === "object", `${where}: object`);
    for (const [k, v] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    }
    return;
  }
  // Attribute sizes and offsets are f32 on disk: a double given to the writer comes back rounded.
  if (typeof expected === "number" && actual === Math.fround(expected)) return;
  strictEqual(actual, expected, where);
}

/** No placeholder anywhere inside. */
function assertDecoded(obj: unknown, where: string): void {
  if (!obj || typeof obj !== "object" || ArrayBuffer.isView(obj)) return;
  ok(!(obj as RootObject)._unknown, `${where}: not decoded`);
  for (const [k, v] of Object.entries(obj)) assertDecoded(v, `${where}.${k}`);
}

Deno.test("recordFromKeyPayload() wraps ROOT 6 payloads whose tags resolve through the displacement", async () => {
  const file = await RootFile.open(await FileSource.open(`${LEGACY}DQM_V0001_GEM_R000344518.root`));
  const classes = new Set<string>();
  let labelled = 0;
  for (const s of await sample(file, 40)) {
    ok(payloadIsCurrent(s.key.fClassName, s.payload), `${s.path} is current`);
    const record = recordFromKeyPayload(
      s.key.fClassName,
      s.payload,
      s.key.fKeyLen,
      await file.streamers(),
    );
    const prepended = 9 + s.key.fClassName.length;
    strictEqual(record.displacement, s.key.fKeyLen - prepended, s.path);
    deepStrictEqual(record.bytes.subarray(prepended), s.payload, s.path);
    const { object, warnings } = readRecord(record);
    deepStrictEqual(warnings, [], s.path);
    deepStrictEqual(object, s.direct, s.path);
    classes.add(s.key.fClassName);
    if ((s.direct.fXaxis as RootObject | undefined)?.fLabels) labelled++;
  }
  file.close();
  deepStrictEqual([...classes].sort(), [
    "TH1F",
    "TH2F",
    "TH2S",
    "TObjString",
    "TProfile",
    "TProfile2D",
  ]);
  ok(labelled > 0, "labelled axes (class back-references inside the payload) covered");
});

Deno.test("recordFromKeyPayload() re-encodes old class versions at the daemon's versions", async () => {
  const files = [
    "reference_DQM_V0001_R000067141__GlobalCruzet4-A__CMSSW_2_1_X-Testing__RECO.root",
    "DQM_V0001_R000000001__Global__CMSSW_X_Y_Z__RECO.root",
    "HcalRecHitValidationHB_ref.root",
  ];
  const classes = new Set<string>();
  for (const name of files) {
    const file = await RootFile.open(await FileSource.open(LEGACY + name));
    const streamers = await file.streamers();
    for (const s of await sample(file, 25)) {
      const cls = s.key.fClassName;
      const record = recordFromKeyPayload(cls, s.payload, s.key.fKeyLen, streamers);
      if (cls === "TObjString") {
        // TObjString has been v1 since ROOT 3: always sent as stored.
        strictEqual(record.displacement, s.key.fKeyLen - 19, s.path);
        continue;
      }
      ok(!payloadIsCurrent(cls, s.payload), `${name}: ${s.path} has old versions`);
      strictEqual(record.displacement, 0, s.path);
      // Hand-written ROOT 6 readers only: proves every class in the record is at a daemon version.
      const { object, warnings } = readRecord(record);
      deepStrictEqual(warnings, [], s.path);
      assertDecoded(object, s.path);
      assertSubset(object, s.direct, `${name}: ${s.path}`);
      strictEqual(object.fStatOverflows, 2, `${s.path}: ROOT 6 default for a member v5 lacks`);
      classes.add(cls);
    }
    file.close();
  }
  deepStrictEqual([...classes].sort(), ["TH1F", "TH2F", "TProfile"]);
});

Deno.test("recordFromKeyPayload() re-encodes a histogram whose fFunctions is not empty, dropping what the daemon cannot decode", async () => {
  const file = await RootFile.open(
    await FileSource.open(`${TESTDATA_DIR}root-histos/uproot-hepdata-example.root`),
  );
  const key = file.top.keys.find((k) => k.fName === "hpx")!;
  const payload = await file.readPayload(key);
  const { object: direct } = await file.readObject(key);
  deepStrictEqual(
    (direct.fFunctions as RootObject).arr &&
      (direct.fFunctions as { arr: RootObject[] }).arr.map((o) => o._typename),
    ["TPaveStats"],
  );
  ok(!payloadIsCurrent("TH1F", payload), "a non-empty fFunctions is not sent as stored");
  const record = recordFromKeyPayload("TH1F", payload, key.fKeyLen, await file.streamers());
  file.close();
  const { object } = readRecord(record);
  deepStrictEqual((object.fFunctions as { arr: unknown[] }).arr, []);
  const { fFunctions: _a, ...expected } = direct;
  assertSubset(object, expected, "hpx");
});

Deno.test("recordFromKeyPayload() refuses classes the daemon cannot draw", () => {
  throws(
    () => recordFromKeyPayload("TGraph", new Uint8Array(16), 60),
    errorMatching(TypeError, 'Cannot render class "TGraph"'),
  );
  throws(
    () => recordFromKeyPayload("TProfile3D", new Uint8Array(16), 60),
    errorMatching(TypeError, "TProfile2D and TObjString only"),
  );
});

Deno.test("recordFromKeyPayload() throws RootFormatError for a truncated old payload", async () => {
  const file = await RootFile.open(await FileSource.open(`${LEGACY}Reference.root`));
  const [s] = await sample(file, 1);
  const streamers = await file.streamers();
  file.close();
  throws(
    () =>
      recordFromKeyPayload(
        s!.key.fClassName,
        s!.payload.subarray(0, 100),
        s!.key.fKeyLen,
        streamers,
      ),
    errorMatching(RootFormatError, "buffer ends after"),
  );
});

Deno.test("recordFromKeyPayload() throws RootFormatError for an old version without streamer info", async () => {
  const file = await RootFile.open(await FileSource.open(`${LEGACY}Reference.root`));
  const [s] = await sample(file, 1);
  file.close();
  throws(
    () => recordFromKeyPayload(s!.key.fClassName, s!.payload, s!.key.fKeyLen),
    errorMatching(RootFormatError, "was not decoded"),
  );
});

Deno.test("recordFromObject() re-encodes a decoded object in a slot at position 0", () => {
  const h = makeTH1("TH1D", {
    name: "h",
    title: "t",
    x: { nbins: 3, min: 0, max: 3, labels: ["a", "b", "c"] },
  });
  const record = recordFromObject(h);
  strictEqual(record.displacement, 0);
  const { object, warnings } = readRecord(record);
  deepStrictEqual(warnings, []);
  assertSubset(object, h, "h");
});

Deno.test("recordFromObject() refuses placeholders and unsupported classes", () => {
  throws(
    () => recordFromObject({ _typename: "TH1F", _unknown: true, version: 1, byteCount: 10 }),
    errorMatching(RootFormatError, '"TH1F" v1 was not decoded'),
  );
  throws(
    () => recordFromObject({ _typename: "TGraph" }),
    errorMatching(TypeError, 'Cannot render class "TGraph"'),
  );
  throws(
    () => recordFromObject({ _typename: "TH1F", fName: "h" }),
    errorMatching(RootFormatError, "member fNcells is missing"),
  );
});

Deno.test("DAEMON_CLASS_VERSIONS() lists the ROOT 6 versions of spec/formats.md §1.9", () => {
  deepStrictEqual(
    Object.entries(DAEMON_CLASS_VERSIONS).filter(([c]) =>
      /^T(H1|H2|H3|Axis|Profile|Profile2D|ObjString|List)$/.test(c)
    ),
    [["TObjString", 1], ["TList", 5], ["TAxis", 10], ["TH1", 8], ["TH2", 5], ["TH3", 6], [
      "TProfile",
      7,
    ], ["TProfile2D", 8]],
  );
  ok(Object.isFrozen(DAEMON_CLASS_VERSIONS));
});
