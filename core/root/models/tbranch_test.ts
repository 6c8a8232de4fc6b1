import assert from "node:assert/strict";
import { Cursor, ObjectReader, RootFormatError } from "../mod.ts";
import { BUILTIN_CLASSES } from "./mod.ts";

/** Big-endian byte builder for hand-made buffers. */
class Bytes {
  readonly out: number[] = [];
  u8(v: number) {
    this.out.push(v & 255);
    return this;
  }
  i16(v: number) {
    return this.u8(v >> 8).u8(v);
  }
  i32(v: number) {
    return this.i16(v >>> 16).i16(v);
  }
  i64(v: number) {
    return this.i32(Math.floor(v / 2 ** 32)).i32(v >>> 0);
  }
  f64(v: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v);
    b.forEach((x) => this.u8(x));
    return this;
  }
  str(s: string) {
    this.u8(s.length);
    for (const ch of s) this.u8(ch.charCodeAt(0));
    return this;
  }
  /** Byte count + version, then the body. */
  counted(version: number, body: (b: Bytes) => void) {
    const inner = new Bytes();
    body(inner);
    return this.i32(0x40000000 | (inner.out.length + 2)).i16(version).raw(inner.out);
  }
  raw(xs: number[]) {
    this.out.push(...xs);
    return this;
  }
}

/** A TBranch v8 as ROOT 4 wrote it, with `seekFlag` as fBasketSeek's "is present" byte. */
function oldBranch(seekFlag: number): Uint8Array {
  const b = new Bytes().counted(8, (x) => {
    x.counted(1, (n) => n.i16(1).i32(0).i32(0x03000000).str("px").str("px/F"));
    x.counted(1, (a) => a.i16(0).i16(1001));
    x.i32(1).i32(32000).i32(0).i32(2).i32(2).i32(0).i32(3).i32(0);
    x.f64(1500).f64(6000).f64(4000);
    for (let i = 0; i < 3; i++) x.counted(3, (o) => o.i16(1).i32(0).i32(0).str("").i32(0).i32(0));
    x.u8(1).i32(3000).i32(3000).i32(0);
    x.u8(1).i32(0).i32(1000).i32(1500);
    x.u8(seekFlag);
    for (const seek of [5000, 3_000_000_000, 0]) {
      seekFlag === 2 ? x.i64(seek) : x.i32(seek % 2 ** 31);
    }
    x.str("");
  });
  return new Uint8Array(b.out);
}

Deno.test("readTBranchOld() reads ROOT 4 TBranch v8 with 4-byte seeks", () => {
  const r = new ObjectReader(new Cursor(oldBranch(1)), BUILTIN_CLASSES);
  const branch = r.readClass("TBranch");
  assert.equal(branch.fName, "px");
  assert.equal(branch.fEntries, 1500);
  assert.equal(branch.fWriteBasket, 2);
  assert.deepEqual(Array.from(branch.fBasketEntry as Float64Array), [0, 1000, 1500]);
  assert.deepEqual(Array.from(branch.fBasketSeek as Float64Array), [
    5000,
    3_000_000_000 % 2 ** 31,
    0,
  ]);
  assert.deepEqual(r.warnings, []);
});

Deno.test("readTBranchOld() reads 8-byte seeks when fBasketSeek's flag byte is 2", () => {
  const r = new ObjectReader(new Cursor(oldBranch(2)), BUILTIN_CLASSES);
  const branch = r.readClass("TBranch");
  assert.deepEqual(Array.from(branch.fBasketSeek as Float64Array), [5000, 3_000_000_000, 0]);
  assert.deepEqual(r.warnings, []);
});

Deno.test("readTBranchOld() rejects an impossible fMaxBaskets", () => {
  const bytes = oldBranch(1);
  // fMaxBaskets sits after TNamed (bc+v, TObject, "px", "px/F"), TAttFill and six ints.
  new DataView(bytes.buffer).setInt32(6 + 4 + 2 + 10 + 3 + 5 + 10 + 24, 1 << 28);
  assert.throws(
    () => new ObjectReader(new Cursor(bytes), BUILTIN_CLASSES).readClass("TBranch"),
    (e: unknown) =>
      e instanceof RootFormatError && /impossible fMaxBaskets/.test((e as Error).message),
  );
});
