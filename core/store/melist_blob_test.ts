import assert from "node:assert/strict";
import { deflateSync, inflateSync } from "node:zlib";
import { type MEEntry, MEList } from "./melist.ts";
import { decodeMEList, encodeMEList } from "./melist_blob.ts";

function me(path: string, extra: Partial<MEEntry> = {}): MEEntry {
  return { path, kind: "TH1F", seek: 0, offset: 0, size: -1, ...extra };
}

function entries(list: MEList): MEEntry[] {
  return Array.from({ length: list.count }, (_, i) => list.entry(i));
}

function throwsWith(fn: () => unknown, classes: ErrorConstructor[], text: string): void {
  assert.throws(
    fn,
    (e: unknown) => classes.some((c) => e instanceof c) && (e as Error).message.includes(text),
  );
}

const qt = {
  name: "KolmogorovTest",
  status: 200,
  result: 0.25,
  algorithm: "Comp2RefKolmogorov",
  message: "ok ✓",
};
const SAMPLE = [
  me("Pixel/EventInfo/reportSummary", { kind: "Float", value: "0.98" }),
  me("Pixel/EventInfo/iRun", { kind: "Int", value: "-5" }),
  me("Pixel/EventInfo/text", { kind: "String", value: "line1\nline2 \u{1F600}" }),
  me("Pixel/Tracks/charge", {
    seek: 2 ** 53,
    efficiency: true,
    qtests: [qt, { ...qt, name: "A", status: 300 }],
  }),
  me("Pixel/Tracks/\u{1D538}", {
    kind: "TMyUnknownClass",
    seek: 4_000_000_000,
    offset: 123,
    size: 5_000_000_000,
  }),
  me("Pixel/Tracks/\uFF46", { kind: "TH2Poly", seek: 1, offset: -7, size: 3 }),
  me("Strip/r\rn", { kind: "TProfile2D" }),
];

Deno.test("decodeMEList() round-trips every field of encodeMEList()", () => {
  const list = new MEList(SAMPLE);
  const { names, infos, hash } = encodeMEList(list);
  assert.match(hash, /^[0-9a-f]{64}$/);
  const back = decodeMEList(names, infos);
  assert.deepEqual(entries(back), entries(list));
  assert.equal(back.indexOf("Strip/r\rn"), 6);
  assert.equal(back.indexOf("Pixel/Tracks/\u{1D538}"), 5);
});

Deno.test("encodeMEList() names blob is zlib of the sorted paths joined with newlines", () => {
  const list = new MEList([me("B/x"), me("A/y"), me("A/x")]);
  const text = new TextDecoder().decode(inflateSync(encodeMEList(list).names));
  assert.equal(text, "A/x\nA/y\nB/x");
});

Deno.test("encodeMEList() hash depends on content only", () => {
  const a = encodeMEList(new MEList([me("A/x", { seek: 1 }), me("A/y")]));
  const b = encodeMEList(new MEList([me("A/y"), me("A/x", { seek: 1 })]));
  const c = encodeMEList(new MEList([me("A/x", { seek: 2 }), me("A/y")]));
  const d = encodeMEList(
    new MEList([me("A/x\nA/y".split("\n")[0]!, { seek: 1 }), me("A/y", { kind: "TH1D" })]),
  );
  assert.equal(a.hash, b.hash);
  assert.notEqual(a.hash, c.hash);
  assert.notEqual(a.hash, d.hash);
});

Deno.test("decodeMEList() round-trips an empty list and a 100,000-entry list", () => {
  const empty = encodeMEList(new MEList([]));
  assert.equal(decodeMEList(empty.names, empty.infos).count, 0);
  const many: MEEntry[] = [];
  for (let i = 0; i < 100_000; i++) {
    many.push(
      me(`S${i % 13}/F${i % 97}/h${i}`, {
        seek: i * 1000,
        offset: i % 5,
        size: i,
        value: i % 10 ? undefined : `${i}`,
      }),
    );
  }
  const list = new MEList(many);
  const { names, infos } = encodeMEList(list);
  const back = decodeMEList(names, infos);
  assert.equal(back.count, 100_000);
  for (let i = 0; i < 100_000; i += 101) assert.deepEqual(back.entry(i), list.entry(i));
});

function reencode(infos: Uint8Array, edit: (raw: Uint8Array) => Uint8Array): Uint8Array {
  return deflateSync(edit(new Uint8Array(inflateSync(infos))));
}

Deno.test("decodeMEList() rejects corrupt blobs with SyntaxError or RangeError", () => {
  const { names, infos } = encodeMEList(new MEList(SAMPLE));
  const S = [SyntaxError];
  throwsWith(
    () => decodeMEList(new Uint8Array([1, 2, 3]), infos),
    S,
    "names blob: not valid zlib data",
  );
  throwsWith(
    () => decodeMEList(names, infos.subarray(0, infos.length - 4)),
    S,
    "infos blob: not valid zlib data",
  );
  throwsWith(
    () => decodeMEList(names, reencode(infos, (r) => (r[0] = 0x58, r))),
    S,
    'bad magic "XQML"',
  );
  throwsWith(
    () => decodeMEList(names, reencode(infos, (r) => (r[4] = 2, r))),
    S,
    "unsupported version 2",
  );
  throwsWith(
    () => decodeMEList(names, reencode(infos, (r) => (r[6] = 9, r))),
    S,
    "unknown column encoding 9",
  );
  throwsWith(() => decodeMEList(names, reencode(infos, (r) => r.subarray(0, r.length - 3))), [
    RangeError,
  ], "truncated");
  throwsWith(
    () => decodeMEList(names, reencode(infos, (r) => new Uint8Array([...r, 0]))),
    S,
    "1 unexpected bytes",
  );
  throwsWith(
    () => decodeMEList(names, reencode(infos, (r) => (r[12] = 200, r))),
    [RangeError],
    "count 200",
  );
  throwsWith(() => decodeMEList(names, reencode(infos, (r) => (r[12] = 6, r))), [
    RangeError,
    SyntaxError,
  ], "");
  const swapped = deflateSync(new TextEncoder().encode(SAMPLE.map((e) => e.path).join("\n")));
  throwsWith(() => decodeMEList(swapped, infos), S, "paths out of order");
  throwsWith(
    () => decodeMEList(deflateSync(new Uint8Array([0xff, 0xfe])), infos),
    S,
    "invalid UTF-8",
  );
  throwsWith(
    () => decodeMEList(deflateSync(new TextEncoder().encode("a\0b")), infos),
    S,
    "contains NUL",
  );
});

Deno.test("decodeMEList() never fails other than SyntaxError or RangeError on flipped bytes", () => {
  const { names, infos } = encodeMEList(new MEList(SAMPLE));
  const raw = new Uint8Array(inflateSync(infos));
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  let failures = 0;
  for (let k = 0; k < 2000; k++) {
    const flipped = raw.slice();
    const flip = (b: Uint8Array) => {
      const at = rand(b.length);
      b[at] = b[at]! ^ (1 << rand(8));
    };
    for (let f = 0; f <= rand(3); f++) flip(flipped);
    const blob = k % 2 ? deflateSync(flipped) : infos.slice();
    if (k % 2 === 0) flip(blob);
    try {
      decodeMEList(names, blob);
    } catch (e) {
      failures++;
      assert.ok(e instanceof SyntaxError || e instanceof RangeError, `unexpected ${e}`);
    }
  }
  assert.ok(failures > 500);
});
