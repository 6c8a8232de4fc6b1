import { errorMatching } from "../../tests/support/compare.ts";
import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  encodeRequest,
  isPng,
  parseReplyHeader,
  PROTO_FLAG_EFFICIENCY,
  PROTO_FLAG_OBJECT,
  PROTO_HEADER_BYTES,
  PROTO_MAX_FRAME_BYTES,
  PROTO_MAX_NAME_BYTES,
  PROTO_MAX_OBJECTS,
  PROTO_MAX_REPLY_BYTES,
  toRenderResult,
} from "./protocol.ts";
import type { RenderOptions } from "./types.ts";

const DEFAULTS: RenderOptions = { width: 266, height: 200, stats: true, norm: true, errors: false };
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function hex(text: string): Uint8Array {
  return new Uint8Array(text.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}

function fields(frame: Uint8Array): number[] {
  const view = new DataView(frame.buffer, frame.byteOffset);
  return Array.from({ length: 11 }, (_, i) => view.getUint32(i * 4, true));
}

Deno.test("encodeRequest() writes the 67-byte scalar frame of spec/render.md §1.2 byte for byte", () => {
  const expected = hex(`
    43 00 00 00 04 00 00 00 0f 00 00 00 00 00 00 00
    00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00
    0b 00 00 00 0c 00 00 00 00 00 00 00 68 3d 32 30
    30 3b 77 3d 32 36 36 4d 45 20 6e 6f 74 20 66 6f
    75 6e 64`);
  const frame = encodeRequest({ kind: "scalar", text: "ME not found", options: DEFAULTS });
  strictEqual(frame.length, 67);
  deepStrictEqual(frame, expected);
});

Deno.test("encodeRequest() lays out object records as u32 len, i32 displacement, bytes", () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([9]);
  const frame = encodeRequest({
    kind: "objects",
    name: "A/b",
    efficiency: true,
    records: [{ bytes: a, displacement: 42 }, { bytes: b, displacement: -7 }],
    options: DEFAULTS,
  });
  const spec = "h=200;w=266";
  const data = [3, 0, 0, 0, 42, 0, 0, 0, 1, 2, 3, 1, 0, 0, 0, 0xf9, 0xff, 0xff, 0xff, 9];
  deepStrictEqual(fields(frame), [
    PROTO_HEADER_BYTES + 3 + spec.length + data.length,
    4,
    PROTO_FLAG_OBJECT | PROTO_FLAG_EFFICIENCY,
    0,
    0,
    2,
    0,
    3,
    spec.length,
    data.length,
    0,
  ]);
  strictEqual(new TextDecoder().decode(frame.subarray(44, 47 + spec.length)), "A/b" + spec);
  deepStrictEqual(Array.from(frame.subarray(47 + spec.length)), data);
});

Deno.test("encodeRequest() sets only the object flag without efficiency", () => {
  const frame = encodeRequest({
    kind: "objects",
    name: "x",
    efficiency: false,
    records: [{ bytes: new Uint8Array(0), displacement: 0 }],
    options: DEFAULTS,
  });
  strictEqual(fields(frame)[2], 0x10);
});

Deno.test("encodeRequest() refuses 0 or more than 10 objects, bad displacements and oversized frames", () => {
  const one = { bytes: new Uint8Array(1), displacement: 0 };
  const req = (records: typeof one[]) => ({
    kind: "objects" as const,
    name: "x",
    efficiency: false,
    records,
    options: DEFAULTS,
  });
  throws(() => encodeRequest(req([])), errorMatching(RangeError, "0 objects, expected 1..10"));
  throws(
    () => encodeRequest(req(Array(PROTO_MAX_OBJECTS + 1).fill(one))),
    errorMatching(RangeError, "11 objects"),
  );
  encodeRequest(req(Array(PROTO_MAX_OBJECTS).fill(one)));
  throws(
    () => encodeRequest(req([{ ...one, displacement: 2 ** 31 }])),
    errorMatching(RangeError, "not a 32-bit integer"),
  );
  throws(
    () => encodeRequest(req([{ ...one, displacement: 0.5 }])),
    errorMatching(RangeError, "not a 32-bit integer"),
  );
  throws(
    () => encodeRequest(req([{ bytes: new Uint8Array(PROTO_MAX_FRAME_BYTES), displacement: 0 }])),
    errorMatching(RangeError, "exceed the 268435456-byte frame limit"),
  );
});

Deno.test("encodeRequest() refuses names and specs beyond the daemon's limits", () => {
  const req = (name: string, drawopts = "") => ({
    kind: "objects" as const,
    name,
    efficiency: false,
    records: [{ bytes: new Uint8Array(1), displacement: 0 }],
    options: { ...DEFAULTS, drawopts },
  });
  encodeRequest(req("x".repeat(PROTO_MAX_NAME_BYTES)));
  throws(
    () => encodeRequest(req("é".repeat(1025))),
    errorMatching(RangeError, "ME name of 2050 bytes exceeds 2048"),
  );
  throws(
    () => encodeRequest(req("x", ",".repeat(3000))),
    errorMatching(RangeError, "bytes exceeds 8192"),
  );
});

Deno.test("parseReplyHeader() reads native-order code and length and refuses huge lengths", () => {
  deepStrictEqual(parseReplyHeader(new Uint8Array([1, 0, 0, 0, 0x10, 0x27, 0, 0])), {
    code: 1,
    length: 10000,
  });
  const huge = new Uint8Array(8);
  new DataView(huge.buffer).setUint32(4, PROTO_MAX_REPLY_BYTES + 1, true);
  throws(
    () => parseReplyHeader(huge),
    errorMatching(RangeError, "payload length 67108865 exceeds"),
  );
  throws(
    () => parseReplyHeader(new Uint8Array(5)),
    errorMatching(RangeError, "header has 5 bytes"),
  );
});

Deno.test("toRenderResult() keeps PNGs and turns other error payloads into a message", () => {
  const png = new Uint8Array([...PNG_HEAD, 0, 0]);
  deepStrictEqual(toRenderResult(0, png), { code: 0, png });
  deepStrictEqual(toRenderResult(1, png), { code: 1, png });
  const text = new TextEncoder().encode("Protocol error: bad spec");
  deepStrictEqual(toRenderResult(2, text), {
    code: 2,
    png: new Uint8Array(0),
    message: "Protocol error: bad spec",
  });
  deepStrictEqual(toRenderResult(2, new Uint8Array(0)), {
    code: 2,
    png: new Uint8Array(0),
    message: "",
  });
  strictEqual(isPng(png), true);
  strictEqual(isPng(png.subarray(0, 7)), false);
});
