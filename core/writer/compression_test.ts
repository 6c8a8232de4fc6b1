import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { inflateSync, zstdDecompressSync } from "node:zlib";
import { errorMatching } from "../../tests/support/compare.ts";
import { loadDecoders } from "../../wasm/mod.ts";
import { hasCommand, pipeThrough } from "../../wasm/_test_helpers.ts";
import { compressionSetting, compressionSettings, zipPayload } from "./compression.ts";
import { generateMEs } from "./generate.ts";
import { lz4CompressBlock } from "./lz4.ts";
import { lzma2Encode } from "./lzma.ts";
import { writeObject } from "./objects.ts";
import { TBufferWriter } from "./tbuffer_writer.ts";
import { xxh64 } from "./xxhash64.ts";
import { xzCompress } from "./xz.ts";
import type { RootObject } from "../root/models/types.ts";

const decoders = await loadDecoders();
const HAS_XZ = await hasCommand("xz");

/** Serialised histograms: the kind of bytes baskets hold. */
function histogramBytes(count: number): Uint8Array {
  const w = new TBufferWriter();
  for (const me of generateMEs({ count, seed: 5 })) {
    if (!("kind" in me.value)) writeObject(w, me.value as RootObject);
  }
  return w.finish();
}

function samples(): [string, Uint8Array][] {
  const hist = histogramBytes(400);
  const noise = new Uint8Array(5000);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) noise[i] = (x = Math.imul(x, 1103515245) + 12345) >>> 24;
  return [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(7)],
    ["13 bytes", Uint8Array.from({ length: 13 }, (_, i) => i % 3)],
    ["zeros", new Uint8Array(70000)],
    ["noise", noise],
    ["histograms 128 KiB", hist.subarray(0, 131072)],
    ["histograms", hist],
  ];
}

Deno.test("xxh64() matches the wasm XXH64 on every length from 0 to 300", () => {
  for (let n = 0; n <= 300; n++) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    const expected = decoders.xxh64(data);
    const got = new DataView(xxh64(data).buffer).getBigUint64(0);
    strictEqual(got, expected, `length ${n}`);
  }
});

Deno.test("lz4CompressBlock() output decodes with the wasm LZ4 block decoder", () => {
  for (const [label, data] of samples()) {
    const block = lz4CompressBlock(data);
    deepStrictEqual(decoders.lz4DecompressBlock(block, data.length), data, label);
  }
  const hist = histogramBytes(400);
  strictEqual(lz4CompressBlock(hist).length < hist.length / 2, true, "histograms shrink");
});

Deno.test("xzCompress() streams decode with the wasm decoder and with xz -dc", async () => {
  for (const [label, data] of samples()) {
    for (const level of [1, 6, 9]) {
      const xz = xzCompress(data, level);
      deepStrictEqual(decoders.xzDecompress(xz, data.length), data, `${label} level ${level}`);
      if (HAS_XZ) deepStrictEqual(await pipeThrough("xz", ["-dc"], xz), data, `${label} xz -dc`);
    }
  }
});

Deno.test("lzma2Encode() keeps a 128 KiB basket in one LZMA chunk and splits 3 MB ones", () => {
  const hist = histogramBytes(1500);
  const one = lzma2Encode(hist.subarray(0, 131072), 4);
  strictEqual(one[0]! & 0xe0, 0xe0, "dictionary reset, new properties");
  const compressedSize = ((one[3]! << 8) | one[4]!) + 1;
  strictEqual(one.length, 6 + compressedSize + 1, "one chunk, then the end marker");
  const big = new Uint8Array(3_000_000);
  for (let p = 0; p < big.length; p += hist.length) big.set(hist.subarray(0, big.length - p), p);
  const many = lzma2Encode(big, 4);
  strictEqual(many[0]! & 0xe0, 0xe0);
  const firstUncompressed = (((many[0]! & 0x1f) << 16) | (many[1]! << 8) | many[2]!) + 1;
  strictEqual(firstUncompressed <= 1 << 21, true, "at most 2 MiB per chunk");
  deepStrictEqual(decoders.xzDecompress(xzCompress(big, 4), big.length), big);
});

Deno.test("zipPayload() frames ZL, XZ, L4 and ZS blocks as ROOT 6 writes them", () => {
  const data = histogramBytes(60);
  const frames: [string, string, number][] = [
    ["zlib", "ZL", 8],
    ["lzma", "XZ", 0],
    ["lz4", "L4", 1],
    ["zstd", "ZS", 1],
  ];
  for (const [algorithm, tag, method] of frames) {
    const out = zipPayload(data, compressionSettings(algorithm))!;
    strictEqual(new TextDecoder().decode(out.subarray(0, 2)), tag, algorithm);
    strictEqual(out[2], method, `${algorithm} method byte`);
    const csize = out[3]! | (out[4]! << 8) | (out[5]! << 16);
    const usize = out[6]! | (out[7]! << 8) | (out[8]! << 16);
    strictEqual(9 + csize, out.length, `${algorithm} compressed size`);
    strictEqual(usize, data.length, `${algorithm} uncompressed size`);
    const body = out.subarray(9);
    const back = algorithm === "zlib"
      ? inflateSync(body)
      : algorithm === "zstd"
      ? zstdDecompressSync(body)
      : algorithm === "lzma"
      ? decoders.xzDecompress(body, usize)
      : decoders.lz4DecompressBlock(body.subarray(8), usize);
    deepStrictEqual(new Uint8Array(back), data, algorithm);
    if (algorithm === "lz4") deepStrictEqual(body.subarray(0, 8), xxh64(body.subarray(8)));
  }
});

Deno.test("zipPayload() stores short or incompressible payloads as they are", () => {
  const s = compressionSettings("lz4");
  strictEqual(zipPayload(new Uint8Array(256), s), null, "keys: 256 bytes or less");
  strictEqual(zipPayload(new Uint8Array(100), s, 0) !== null, true, "baskets: no minimum");
  const noise = samples().find(([l]) => l === "noise")![1];
  strictEqual(zipPayload(noise, compressionSettings("zlib", 9)), null);
});

Deno.test("compressionSettings() picks ROOT's defaults and fCompress codes", () => {
  deepStrictEqual(
    ["zlib", "lzma", "lz4", "zstd", "none"].map((a) => compressionSetting(compressionSettings(a))),
    [101, 204, 404, 505, 0],
  );
  strictEqual(compressionSetting(compressionSettings("lzma", 9)), 209);
  throws(() => compressionSettings("brotli"), errorMatching(TypeError, '"brotli"'));
  throws(() => compressionSettings("zstd", 10), errorMatching(TypeError, "level 10"));
});
