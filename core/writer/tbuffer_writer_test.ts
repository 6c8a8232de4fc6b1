import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import {
  kByteCountMask,
  kClassMask,
  kNewClassTag,
  TBufferWriter,
  tstringSize,
} from "./tbuffer_writer.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("TBufferWriter primitives are big-endian", () => {
  const w = new TBufferWriter(0, 1);
  w.u8(1).u16(0x0203).i16(-2).u32(0x04050607).i32(-1).i64(258n).f32(1).f64(-2);
  strictEqual(
    hex(w.finish()),
    "01" + "0203" + "fffe" + "04050607" + "ffffffff" + "0000000000000102" + "3f800000" +
      "c000000000000000",
  );
});

Deno.test("TBufferWriter.tstring() uses the 5-byte prefix from 255 bytes on", () => {
  const short = new TBufferWriter().tstring("abc").finish();
  strictEqual(hex(short), "03616263");
  const long = new TBufferWriter().tstring("x".repeat(300)).finish();
  strictEqual(long.length, 305);
  deepStrictEqual(Array.from(long.subarray(0, 5)), [255, 0, 0, 1, 44]);
  strictEqual(tstringSize("x".repeat(254)), 255);
  strictEqual(tstringSize("x".repeat(255)), 260);
});

Deno.test("TBufferWriter.tstring() writes UTF-8 and counts bytes, not characters", () => {
  const b = new TBufferWriter().tstring("µs").finish();
  strictEqual(hex(b), "03c2b573");
  strictEqual(tstringSize("µs"), 4);
});

Deno.test("TBufferWriter.versioned() writes the byte count of what follows", () => {
  const w = new TBufferWriter();
  w.versioned(3, () => w.u32(7));
  strictEqual(hex(w.finish()), (kByteCountMask | 6).toString(16) + "0003" + "00000007");
});

Deno.test("TBufferWriter.classTag() writes a back-reference at tag position + kMapOffset + origin", () => {
  const w = new TBufferWriter(100);
  w.u16(0); // the first tag sits at offset 2
  w.classTag("TObjString").classTag("TObjString");
  const b = w.finish();
  const v = new DataView(b.buffer);
  strictEqual(v.getUint32(2), kNewClassTag);
  strictEqual(new TextDecoder().decode(b.subarray(6, 17)), "TObjString\0");
  strictEqual(v.getUint32(17), (kClassMask | (100 + 2 + 2)) >>> 0);
  deepStrictEqual([...w.taggedClasses], ["TObjString"]);
});

Deno.test("TBufferWriter.objectSlot() frames an object and writes 0 for null", () => {
  const w = new TBufferWriter();
  w.objectSlot(null);
  w.objectSlot("TNamed", () => w.u16(1));
  const b = w.finish();
  const v = new DataView(b.buffer);
  strictEqual(v.getUint32(0), 0);
  strictEqual(v.getUint32(4), (kByteCountMask | (4 + 7 + 2)) >>> 0);
  strictEqual(b.length, 4 + 4 + 4 + 7 + 2);
});

Deno.test("TBufferWriter.array() writes each element type big-endian", () => {
  const w = new TBufferWriter();
  w.array("i8", [-1]).array("i16", [-2]).array("i32", [3]).array("f32", [0.5]).array("f64", [1]);
  strictEqual(hex(w.finish()), "ff" + "fffe" + "00000003" + "3f000000" + "3ff0000000000000");
});

Deno.test("TBufferWriter grows without losing data", () => {
  const w = new TBufferWriter(0, 2);
  for (let i = 0; i < 10000; i++) w.i32(i);
  const v = new DataView(w.finish().buffer);
  strictEqual(v.getInt32(4 * 9999), 9999);
});

Deno.test("TBufferWriter.reset() forgets data and class tags", () => {
  const w = new TBufferWriter();
  w.classTag("TList");
  w.reset();
  strictEqual(w.length, 0);
  w.classTag("TList");
  strictEqual(new DataView(w.finish().buffer).getUint32(0), kNewClassTag);
});

Deno.test("TBufferWriter.endVersion() rejects counts beyond 30 bits", () => {
  const w = new TBufferWriter();
  const start = w.startVersion(1);
  // Pretend the block is 1 GiB long by moving the start back.
  throws(() => w.endVersion(start - 0x40000000), errorMatching(RangeError, "30-bit limit"));
});
