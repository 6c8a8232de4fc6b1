import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import {
  type BasketContext,
  type BasketInfo,
  entryRange,
  MemorySource,
  readBasket,
  RootFormatError,
} from "./mod.ts";
import { decodeBigInto, decodeInto, stringRange } from "./_decode.ts";

const SEEK = 1000;
const enc = new TextEncoder();

interface RecordSpec {
  /** Entry data, `fLast - fKeyLen` bytes. */
  data: Uint8Array;
  /** Entry starts in data coordinates (written from the key start), or none. */
  offsets?: number[];
  /** Values written instead of offsets (kGenerateOffsetMap sizes). */
  rawTable?: number[];
  displacements?: number[];
  nevBuf: number;
  nevBufSize?: number;
  ioBits?: number;
  flag?: number;
  className?: string;
  seekKey?: number;
  compress?: boolean;
}

/** A TBasket record (64-bit key, TBasket v3) at SEEK in an otherwise empty file. */
function basketFile(spec: RecordSpec): { source: MemorySource; info: BasketInfo } {
  const name = enc.encode("Value");
  const title = enc.encode("Ints");
  const cls = enc.encode(spec.className ?? "TBasket");
  const keyLen = 34 + 3 + cls.length + name.length + title.length + 19 + (spec.ioBits ? 1 : 0);
  const table = spec.rawTable ?? spec.offsets?.map((o) => o + keyLen);
  const tableBytes = table ? 4 * (table.length + 2) : 0;
  const dispBytes = spec.displacements ? 4 * (spec.displacements.length + 2) : 0;
  const objLen = spec.data.length + tableBytes + dispBytes;
  const payload = new Uint8Array(objLen);
  const pv = new DataView(payload.buffer);
  payload.set(spec.data);
  let at = spec.data.length;
  for (const arr of [table, spec.displacements]) {
    if (!arr) continue;
    pv.setInt32(at, arr.length + 1);
    arr.forEach((v, i) => pv.setInt32(at + 4 + 4 * i, v));
    at += 4 * (arr.length + 2);
  }
  let stored = payload;
  if (spec.compress) {
    const z = deflateSync(payload);
    stored = new Uint8Array(9 + z.length);
    stored.set([0x5a, 0x4c, 8, z.length & 255, (z.length >> 8) & 255, z.length >> 16]);
    stored.set([objLen & 255, (objLen >> 8) & 255, objLen >> 16], 6);
    stored.set(z, 9);
  }
  const nbytes = keyLen + stored.length;
  const rec = new Uint8Array(nbytes);
  const v = new DataView(rec.buffer);
  v.setInt32(0, nbytes);
  v.setInt16(4, 1004);
  v.setInt32(6, objLen);
  v.setInt16(14, keyLen);
  v.setBigInt64(18, BigInt(spec.seekKey ?? SEEK));
  v.setBigInt64(26, 100n);
  let p = 34;
  for (const s of [cls, name, title]) {
    rec[p++] = s.length;
    rec.set(s, p);
    p += s.length;
  }
  v.setUint16(p, 3);
  v.setInt32(p + 2, 32000);
  v.setInt32(p + 6, spec.ioBits ? -(spec.nevBufSize ?? 0) : spec.nevBufSize ?? 0);
  p += 10;
  if (spec.ioBits) rec[p++] = spec.ioBits;
  v.setInt32(p, spec.nevBuf);
  v.setInt32(p + 4, keyLen + spec.data.length);
  rec[p + 8] = spec.flag ?? 0;
  rec.set(stored, keyLen);
  const file = new Uint8Array(SEEK + nbytes);
  file.set(rec, SEEK);
  return {
    source: new MemorySource(file, "baskets.root"),
    info: { seek: SEEK, bytes: nbytes, firstEntry: 40, entryCount: spec.nevBuf, embedded: false },
  };
}

const ctx = (entryOffsetLen: number): BasketContext => ({
  filePath: "baskets.root",
  branch: "Value",
  index: 2,
  entryOffsetLen,
});

const ints = (...xs: number[]) => {
  const b = new Uint8Array(4 * xs.length);
  xs.forEach((x, i) => new DataView(b.buffer).setInt32(4 * i, x));
  return b;
};

/** Three std::string entries: "a", "bcd", "" (u8 length + bytes). */
const STRINGS = new Uint8Array([1, 97, 3, 98, 99, 100, 0]);
/** Fifty "aaaa" entries: compressible enough that ROOT would store them compressed. */
const MANY = new Uint8Array(250).map((_, i) => i % 5 ? 97 : 4);
const MANY_OFFSETS = Array.from({ length: 50 }, (_, i) => 5 * i);

Deno.test("readBasket() decodes fixed-size entries without an offset table", async () => {
  const { source, info } = basketFile({ data: ints(7, -8, 9), nevBuf: 3, nevBufSize: 4 });
  const b = await readBasket(source, info, ctx(0));
  assert.equal(b.entryOffsets, null);
  assert.equal(b.entrySize, 4);
  assert.equal(b.border, 12);
  assert.equal(b.firstEntry, 40);
  assert.deepEqual(entryRange(b, 2), [8, 12]);
});

Deno.test("readBasket() turns the entry-offset table into payload coordinates", async () => {
  const { source, info } = basketFile({
    data: STRINGS,
    offsets: [0, 2, 6],
    nevBuf: 3,
    nevBufSize: 10,
    flag: 1,
  });
  const b = await readBasket(source, info, ctx(10));
  assert.deepEqual(Array.from(b.entryOffsets!), [0, 2, 6]);
  assert.deepEqual([0, 1, 2].map((k) => entryRange(b, k)), [[0, 2], [2, 6], [6, 7]]);
  assert.equal(b.displacements, null);
});

Deno.test("readBasket() reads a ZL-compressed basket like a stored one", async () => {
  const spec = { data: MANY, offsets: MANY_OFFSETS, nevBuf: 50, nevBufSize: 60 };
  const stored = basketFile(spec);
  const zipped = basketFile({ ...spec, compress: true });
  assert.ok(zipped.info.bytes !== stored.info.bytes);
  const a = await readBasket(stored.source, stored.info, ctx(10));
  const b = await readBasket(zipped.source, zipped.info, ctx(10));
  assert.deepEqual(b.payload, a.payload);
  assert.deepEqual(b.entryOffsets, a.entryOffsets);
});

Deno.test("readBasket() rebuilds offsets stored as sizes (TIOFeatures kGenerateOffsetMap)", async () => {
  const { source, info } = basketFile({
    data: STRINGS,
    rawTable: [0, 2, 4, 1],
    nevBuf: 3,
    nevBufSize: 10,
    ioBits: 1,
  });
  const b = await readBasket(source, info, ctx(10));
  assert.deepEqual(Array.from(b.entryOffsets!), [0, 2, 6]);
});

Deno.test("readBasket() keeps the displacement array of moved entries", async () => {
  const { source, info } = basketFile({
    data: STRINGS,
    offsets: [0, 2, 6],
    displacements: [500, 502, 506],
    nevBuf: 3,
    nevBufSize: 10,
  });
  const b = await readBasket(source, info, ctx(10));
  assert.deepEqual(Array.from(b.displacements!), [500, 502, 506]);
});

const failures: [string, RecordSpec, number, Partial<BasketInfo>, string][] = [
  [
    "fNevBuf disagrees with the branch index",
    {
      data: ints(1, 2, 3),
      nevBuf: 3,
      nevBufSize: 4,
    },
    0,
    { entryCount: 4 },
    "fNevBuf is 3, the branch index says 4",
  ],
  [
    "fixed-size entries do not fill fLast",
    {
      data: ints(1, 2, 3),
      nevBuf: 2,
      nevBufSize: 4,
    },
    0,
    { entryCount: 2 },
    "2 entries of 4 bytes do not fill",
  ],
  [
    "offsets go backwards",
    {
      data: STRINGS,
      offsets: [0, 6, 2],
      nevBuf: 3,
    },
    10,
    {},
    "entry 2 starts at payload byte 2",
  ],
  [
    "an offset points past fLast",
    {
      data: STRINGS,
      offsets: [0, 2, 60],
      nevBuf: 3,
    },
    10,
    {},
    "entry 2 starts at payload byte 60",
  ],
  [
    "the offset table is shorter than fNevBuf",
    {
      data: STRINGS,
      offsets: [0],
      nevBuf: 3,
    },
    10,
    {},
    "entry-offset table of 2 values",
  ],
  ["the offset table is missing", { data: STRINGS, nevBuf: 3 }, 10, {}, "no entry-offset table"],
  [
    "the record is not a TBasket",
    {
      data: ints(1),
      nevBuf: 1,
      nevBufSize: 4,
      className: "TH1F",
    },
    0,
    {},
    'record is a "TH1F"',
  ],
  [
    "the key does not point to itself",
    {
      data: ints(1),
      nevBuf: 1,
      nevBufSize: 4,
      seekKey: 999,
    },
    0,
    {},
    "fSeekKey 999",
  ],
  [
    "the offsets must be generated from the leaf",
    {
      data: STRINGS,
      nevBuf: 3,
      flag: 80,
    },
    10,
    {},
    "kGenerateOffsetMap",
  ],
  [
    "the record lies past the end of the file",
    {
      data: ints(1),
      nevBuf: 1,
      nevBufSize: 4,
    },
    0,
    { bytes: 5000 },
    "is outside the file",
  ],
];

for (const [what, spec, eol, infoPatch, message] of failures) {
  Deno.test(`readBasket() throws RootFormatError naming the basket when ${what}`, async () => {
    const { source, info } = basketFile(spec);
    await assert.rejects(readBasket(source, { ...info, ...infoPatch }, ctx(eol)), (e: unknown) => {
      assert.ok(e instanceof RootFormatError, String(e));
      assert.match(e.message, /basket 2 of branch "Value"/);
      assert.ok(e.message.includes(message), e.message);
      assert.equal(e.offset, SEEK);
      assert.equal(e.filePath, "baskets.root");
      return true;
    });
  });
}

Deno.test("readBasket() throws RootFormatError on corrupt compressed data", async () => {
  const { source, info } = basketFile({
    data: MANY,
    offsets: MANY_OFFSETS,
    nevBuf: 50,
    nevBufSize: 60,
    compress: true,
  });
  const bytes = await source.read(0, source.size);
  const copy = bytes.slice();
  copy[SEEK + info.bytes - 6]! ^= 0xff;
  await assert.rejects(
    readBasket(new MemorySource(copy, "baskets.root"), info, ctx(60)),
    (e: unknown) =>
      e instanceof RootFormatError && /decompression failed/.test((e as Error).message),
  );
});

Deno.test("readBasket() throws RootFormatError on a truncated key header", async () => {
  const { source, info } = basketFile({ data: ints(1), nevBuf: 1, nevBufSize: 4 });
  await assert.rejects(
    readBasket(source, { ...info, bytes: 30 }, ctx(0)),
    (e: unknown) => e instanceof RootFormatError && /bad key header/.test((e as Error).message),
  );
});

Deno.test("stringRange() reads a std::string entry with or without its bc+version header", () => {
  const plain = new Uint8Array([3, 97, 98, 99]);
  const headed = new Uint8Array([0x40, 0, 0, 6, 0, 1, 3, 97, 98, 99]);
  for (const bytes of [plain, headed]) {
    const view = new DataView(bytes.buffer);
    assert.deepEqual(stringRange(bytes, view, 0, bytes.length, "optional"), [
      bytes.length - 3,
      bytes.length,
    ]);
  }
  const view = new DataView(headed.buffer);
  assert.match(
    String(stringRange(headed, view, 0, headed.length, "none")),
    /does not fill the entry/,
  );
});

Deno.test("stringRange() reads the 255 + i32 long-length form", () => {
  const text = "x".repeat(300);
  const bytes = new Uint8Array(5 + 300);
  bytes[0] = 255;
  new DataView(bytes.buffer).setInt32(1, 300);
  bytes.set(enc.encode(text), 5);
  assert.deepEqual(stringRange(bytes, new DataView(bytes.buffer), 0, bytes.length, "none"), [
    5,
    305,
  ]);
});

Deno.test("stringRange() rejects a length prefix that disagrees with the entry length", () => {
  const bytes = new Uint8Array([5, 97, 98]);
  assert.match(
    String(stringRange(bytes, new DataView(bytes.buffer), 0, 3, "optional")),
    /string of 5 bytes does not fill the entry/,
  );
  const cut = new Uint8Array([255, 0, 0]);
  assert.match(String(stringRange(cut, new DataView(cut.buffer), 0, 3, "none")), /cut off/);
});

Deno.test("decodeBigInto() is exact above 2^53 where decodeInto() rounds", () => {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, 2n ** 62n + 1n);
  const big = new BigUint64Array(1);
  decodeBigInto(view, 0, 1, "u64", big, 0);
  assert.equal(big[0], 2n ** 62n + 1n);
  const approx = new Float64Array(1);
  decodeInto(view, 0, 1, "u64", approx, 0);
  assert.equal(approx[0], 2 ** 62);
  view.setBigInt64(0, -5n);
  const signed = new BigInt64Array(1);
  decodeBigInto(view, 0, 1, "i64", signed, 0);
  decodeInto(view, 0, 1, "i64", approx, 0);
  assert.equal(signed[0], -5n);
  assert.equal(approx[0], -5);
});
