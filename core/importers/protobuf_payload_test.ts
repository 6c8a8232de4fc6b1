import assert from "node:assert/strict";
import { RootFormatError } from "../root/errors.ts";
import { readObjString } from "./protobuf_payload.ts";

const CTX = { filePath: "x.pb", histoOffset: 0 };
const BYTE_COUNT = 0x40000000;

function be32(v: number): number[] {
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** A TBufferFile::WriteObject slot of a TObjString, built by hand (spec/formats.md §1.8, §4.2). */
function slot(text: string, fBits = 0x03000000): Uint8Array {
  const chars = new TextEncoder().encode(text);
  const body = [0, 1, 0, 1, ...be32(0), ...be32(fBits)]; // versions 1, fUniqueID, fBits
  if (fBits & 0x10) body.push(0, 7); // PID index of a referenced TObject
  if (chars.length < 255) body.push(chars.length);
  else body.push(255, ...be32(chars.length));
  body.push(...chars);
  const tag = [0xff, 0xff, 0xff, 0xff, ...new TextEncoder().encode("TObjString"), 0];
  const all = [...tag, ...be32((BYTE_COUNT | body.length) >>> 0), ...body];
  return new Uint8Array([...be32((BYTE_COUNT | all.length) >>> 0), ...all]);
}

Deno.test("readObjString() reads the common scalar slot", () => {
  assert.equal(readObjString(slot("<iRun>i=42</iRun>"), CTX), "<iRun>i=42</iRun>");
  assert.equal(readObjString(slot(""), CTX), "");
  const long = "<x>s=" + "é".repeat(300) + "</x>";
  assert.equal(readObjString(slot(long), CTX), long);
});

Deno.test("readObjString() reads a referenced TObject (PID word) through the general reader", () => {
  assert.equal(readObjString(slot("<a>i=1</a>", 0x03000010), CTX), "<a>i=1</a>");
});

Deno.test("readObjString() rejects a TString longer than its slot with RootFormatError", () => {
  const s = slot("<a>i=1</a>");
  const cut = s.slice(0, s.length - 3);
  // Byte counts agree with the shorter slot: only the TString length lies.
  const view = new DataView(cut.buffer);
  view.setUint32(0, (BYTE_COUNT | (cut.length - 4)) >>> 0);
  view.setUint32(19, (BYTE_COUNT | (cut.length - 23)) >>> 0);
  assert.throws(() => readObjString(cut, CTX), RootFormatError);
});

Deno.test("readObjString() rejects a slot that holds another class with RootFormatError", () => {
  const s = slot("<a>i=1</a>");
  s[8] = 0x55; // "UObjString"
  assert.throws(() => readObjString(s, CTX), RootFormatError);
});
