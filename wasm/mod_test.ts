/**
 * Parity tests for wasm/mod.ts against independent references: the `xz` and
 * `lz4` command-line tools (STYLE rule 14) and published XXH64 vectors.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadDecoders, WasmDecodeError } from "./mod.ts";
import {
  concat,
  hasCommand,
  lz4Compress,
  parseLz4Frame,
  pipeThrough,
  sampleMixed,
  sampleSets,
  sampleText,
  xzCompress,
} from "./_test_helpers.ts";

const decoders = await loadDecoders();
const SETS = sampleSets(300_000);

/** Compresses with xz, decodes with ours and with `xz -dc`, compares all three. */
async function assertXzParity(data: Uint8Array, args: string[], label: string): Promise<void> {
  const packed = await xzCompress(data, args);
  const ours = decoders.xzDecompress(packed, data.length);
  assert.deepEqual(ours, data, `${label} xz ${args.join(" ")}`);
  const theirs = await pipeThrough("xz", ["-dc"], packed);
  assert.deepEqual(theirs, ours, `${label} xz -dc ${args.join(" ")}`);
}

Deno.test("loadDecoders() returns the same instance on every call", async () => {
  assert.equal(await loadDecoders(), decoders);
});

Deno.test("Decoders.xzDecompress() matches the xz tool on presets -0 to -9e", async () => {
  for (const [name, data] of Object.entries(SETS)) {
    for (const preset of ["-0", "-1", "-3", "-6", "-9e"]) {
      await assertXzParity(data, [preset], name);
    }
  }
});

Deno.test("Decoders.xzDecompress() matches the xz tool with every --check", async () => {
  for (const check of ["crc32", "crc64", "none", "sha256"]) {
    await assertXzParity(SETS.mixed!, [`--check=${check}`], "mixed");
    await assertXzParity(SETS.text!, ["-9e", `--check=${check}`], "text");
  }
});

Deno.test("Decoders.xzDecompress() verifies CRC32, CRC64 and SHA-256 checks", async () => {
  const data = SETS.text!;
  for (const [check, size] of [["crc32", 4], ["crc64", 8], ["sha256", 32]] as const) {
    const packed = await xzCompress(data, [`--check=${check}`]);
    // One block: its check field ends where the index starts, and the
    // footer's backward size gives the index size (xz-file-format 2.1.2.2).
    const footer = packed.length - 12;
    const view = new DataView(packed.buffer, packed.byteOffset);
    const indexSize = (view.getUint32(footer + 4, true) + 1) * 4;
    const checkEnd = footer - indexSize;
    for (const at of [checkEnd - size, checkEnd - 1]) {
      const bad = packed.slice();
      bad[at]! ^= 0x10;
      assert.throws(
        () => decoders.xzDecompress(bad, data.length),
        (e) => e instanceof WasmDecodeError && e.code === -16 && /integrity check/.test(e.message),
        `${check} byte ${at}`,
      );
    }
  }
});

Deno.test("Decoders.xzDecompress() matches the xz tool on multi-block streams", async () => {
  await assertXzParity(SETS.mixed!.subarray(0, 3000), ["--block-size=1"], "mixed[3000]");
  for (const blockSize of ["1000", "65536", "100000"]) {
    await assertXzParity(SETS.mixed!, [`--block-size=${blockSize}`], "mixed");
  }
  // Threaded mode records compressed and uncompressed sizes in block headers.
  await assertXzParity(sampleMixed(1_500_000, 9), ["-1", "-T2", "--block-size=200000"], "mixed");
});

Deno.test("Decoders.xzDecompress() matches the xz tool with varied lc, lp, pb and dictionaries", async () => {
  const options = [
    "lc=0,lp=0,pb=0",
    "lc=4,lp=0,pb=4",
    "lc=0,lp=4,pb=2",
    "lc=1,lp=3,pb=1",
    "preset=6,dict=4KiB",
    "preset=9,dict=64KiB,nice=273,mf=bt4,mode=normal",
    "preset=1,mode=fast,mf=hc3",
  ];
  for (const opt of options) {
    for (const name of ["mixed", "runs", "histograms"]) {
      await assertXzParity(SETS[name]!, [`--lzma2=${opt}`], name);
    }
  }
});

Deno.test("Decoders.xzDecompress() matches the xz tool on empty and tiny inputs", async () => {
  for (const size of [0, 1, 2, 5, 17, 255, 4096]) {
    await assertXzParity(sampleText(size), ["-6"], `text[${size}]`);
  }
});

Deno.test("Decoders.xzDecompress() decodes concatenated streams with stream padding", async () => {
  const a = SETS.text!;
  const b = SETS.histograms!;
  const packed = concat([
    await xzCompress(a, ["-1"]),
    new Uint8Array(8),
    await xzCompress(b, ["-6", "--check=crc64"]),
    new Uint8Array(4),
  ]);
  const theirs = await pipeThrough("xz", ["-dc"], packed);
  assert.deepEqual(decoders.xzDecompress(packed, a.length + b.length), theirs);
  assert.deepEqual(theirs, concat([a, b]));
});

Deno.test("Decoders.xzDecompress() rejects padding that is not a multiple of four", async () => {
  const packed = concat([await xzCompress(SETS.text!, ["-1"]), new Uint8Array(3)]);
  assert.throws(
    () => decoders.xzDecompress(packed, SETS.text!.length),
    (e) => e instanceof WasmDecodeError && e.code === -17 && /padding/.test(e.message),
  );
});

Deno.test("Decoders.xzDecompress() rejects filters other than LZMA2 with a clear code", async () => {
  const data = SETS.histograms!;
  for (
    const filters of [["--x86", "--lzma2"], ["--delta=dist=8", "--lzma2"], ["--arm", "--lzma2"]]
  ) {
    const packed = await xzCompress(data, filters);
    assert.throws(
      () => decoders.xzDecompress(packed, data.length),
      (e) =>
        e instanceof WasmDecodeError && e.code === -14 && /unsupported xz filter/.test(e.message),
      filters.join(" "),
    );
  }
});

Deno.test("Decoders.xzDecompress() rejects the legacy .lzma format as not xz", async () => {
  const packed = await xzCompress(SETS.text!, ["--format=lzma"]);
  assert.throws(
    () => decoders.xzDecompress(packed, SETS.text!.length),
    (e) => e instanceof WasmDecodeError && e.code === -10 && /magic/.test(e.message),
  );
});

Deno.test("Decoders.xzDecompress() throws when the content size differs from expectedSize", async () => {
  const data = SETS.text!;
  const packed = await xzCompress(data, ["-6"]);
  assert.throws(
    () => decoders.xzDecompress(packed, data.length - 1),
    (e) => e instanceof WasmDecodeError && e.code === -3 && /larger than expected/.test(e.message),
  );
  assert.throws(
    () => decoders.xzDecompress(packed, data.length + 1),
    (e) => e instanceof WasmDecodeError && e.code === -5 && /smaller than expected/.test(e.message),
  );
  assert.throws(() => decoders.xzDecompress(packed, -1), RangeError);
  assert.throws(() => decoders.xzDecompress(packed, 1.5), RangeError);
});

/** Compresses with lz4, splits the frame, decodes each raw block with ours. */
async function assertLz4Parity(data: Uint8Array, args: string[], label: string): Promise<number> {
  const frame = await lz4Compress(data, args);
  const { blockMaxSize, blocks } = parseLz4Frame(frame);
  const parts: Uint8Array[] = [];
  let remaining = data.length;
  let decoded = 0;
  for (const block of blocks) {
    // The tool fills every block but the last to the frame's maximum.
    const size = Math.min(blockMaxSize, remaining);
    if (block.compressed) {
      parts.push(decoders.lz4DecompressBlock(block.data, size));
      decoded++;
    } else {
      parts.push(block.data);
    }
    remaining -= size;
  }
  assert.deepEqual(concat(parts), data, `${label} lz4 ${args.join(" ")}`);
  assert.deepEqual(await pipeThrough("lz4", ["-dc"], frame), data);
  return decoded;
}

Deno.test("Decoders.lz4DecompressBlock() matches the lz4 tool on levels and block sizes", async () => {
  let decoded = 0;
  for (const [name, data] of Object.entries(SETS)) {
    for (const level of ["--fast=8", "-1", "-9", "-12", "--favor-decSpeed"]) {
      for (const blockSize of ["-B4", "-B5", "-B7"]) {
        decoded += await assertLz4Parity(data, [level, blockSize], name);
      }
    }
    decoded += await assertLz4Parity(data, ["-BX", "--no-frame-crc"], name);
  }
  assert.ok(decoded > 50, `only ${decoded} compressed blocks were exercised`);
});

Deno.test("Decoders.lz4DecompressBlock() decodes hand-built edge cases", () => {
  // Empty input: one token with no literals.
  assert.deepEqual(decoders.lz4DecompressBlock(new Uint8Array([0x00]), 0), new Uint8Array());
  // "ab", then a match of 4 + 15 + 255 + 3 = 277 bytes at offset 2, then
  // 15 + 0 literals.
  const block = new Uint8Array([
    0x2f,
    0x61,
    0x62,
    0x02,
    0x00,
    0xff,
    0x03,
    0xf0,
    0x00,
    ...new Uint8Array(15).fill(0x7a),
  ]);
  const expected = concat([
    new TextEncoder().encode("ab".repeat(140).slice(0, 279)),
    new Uint8Array(15).fill(0x7a),
  ]);
  assert.deepEqual(decoders.lz4DecompressBlock(block, expected.length), expected);
  // Offsets 1 to 8 over a 300-byte match each.
  for (let off = 1; off <= 8; off++) {
    const lits = Array.from({ length: off }, (_, i) => 0x41 + i);
    const b = new Uint8Array([(off << 4) | 0x0f, ...lits, off, 0, 0xff, 300 - 4 - 15 - 255, 0x00]);
    const want = Uint8Array.from({ length: off + 300 }, (_, i) => 0x41 + (i % off));
    assert.deepEqual(decoders.lz4DecompressBlock(b, want.length), want, `offset ${off}`);
  }
});

Deno.test("Decoders.lz4DecompressBlock() rejects bad offsets and blocks ending in a match", () => {
  const codeOf = (src: number[], size: number) => {
    try {
      decoders.lz4DecompressBlock(new Uint8Array(src), size);
    } catch (e) {
      assert.ok(e instanceof WasmDecodeError);
      return e.code;
    }
    return 0;
  };
  assert.equal(codeOf([0x10, 0x61, 0x00, 0x00, 0x00], 5), -30); // offset 0
  assert.equal(codeOf([0x10, 0x61, 0x02, 0x00, 0x00], 5), -30); // before the output
  assert.equal(codeOf([0x10, 0x61, 0x01, 0x00], 5), -4); // ends after a match
  assert.equal(codeOf([0x50, 0x61], 5), -4); // literals cut short
  assert.equal(codeOf([0x20, 0x61, 0x62], 1), -3); // more output than expected
  assert.equal(codeOf([0x20, 0x61, 0x62], 3), -5); // less output than expected
  assert.equal(codeOf([], 0), -4);
});

/**
 * xxHash's sanity buffer (xxhsum.c, "fillTestBuffer": byte i is the top byte
 * of 2654435761 * 11400714785074694797^i mod 2^64). The values for lengths
 * 0, 1, 14 and 222 with seeds 0 and 2654435761 are xxhsum's own sanity-check
 * table; the rest were computed with the python-xxhash package (the
 * reference C library) for this test.
 */
const XXH64_VECTORS: [number, bigint, bigint, bigint][] = [
  [0, 0xef46db3751d8e999n, 0xac75fda2929b17efn, 0x298f4c84b24f5380n],
  [1, 0xe934a84adb052768n, 0x5014607643a9b4c3n, 0x8ba3328805e37c90n],
  [4, 0x9136a0dca57457een, 0xcaab286bd8e9fdb5n, 0x159fbdb3fc3fc1d6n],
  [8, 0xcdbcf538e71d1348n, 0xfe0c047a5353cdacn, 0x568e81b1596e8283n],
  [14, 0x8282dcc4994e35c8n, 0xc3bd6bf63deb6df0n, 0x8523c9ee6f9548edn],
  [31, 0x299b39a290e6d783n, 0xda673d5feb5c1d79n, 0x6ed1061f61c686e5n],
  [32, 0x18b216492bb44b70n, 0xb3f33bdf93ade409n, 0x3a793d9020113c2an],
  [33, 0x55c8dc3e578f5b59n, 0xe92c292f64bc3071n, 0x3e29b6e70f2543dan],
  [63, 0xa9efbe0fa0f3f4e7n, 0x6c911fadb05b6fc2n, 0x93b7c9e8ce6de24cn],
  [64, 0xef558f8acac2b5cdn, 0xb5eeba99264cc44fn, 0xd48294c0c6d5d9fdn],
  [100, 0x4bfe019cd91d9ea4n, 0x4853706dc9625caen, 0x2fe1b1460f4666c4n],
  [222, 0xb641ae8cb691c174n, 0x20cb8ab7ae10c14an, 0x61920bef9b9a65can],
  [1000, 0x52bd1358f22e9ef7n, 0x72751a2408017e26n, 0xf681d3b0e9e495aen],
  [2367, 0xa82418ddec0ea581n, 0xa36a93c18052673an, 0x14371c2901c92a60n],
];

function sanityBuffer(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let gen = 2654435761n;
  for (let i = 0; i < length; i++) {
    out[i] = Number(gen >> 56n);
    gen = (gen * 11400714785074694797n) & 0xffff_ffff_ffff_ffffn;
  }
  return out;
}

Deno.test("Decoders.xxh64() matches xxHash's published sanity values for three seeds", () => {
  const buffer = sanityBuffer(2367);
  for (const [length, seed0, seedPrime, seedMax] of XXH64_VECTORS) {
    const bytes = buffer.subarray(0, length);
    assert.equal(decoders.xxh64(bytes), seed0, `length ${length} seed 0`);
    assert.equal(decoders.xxh64(bytes, 2654435761n), seedPrime, `length ${length}`);
    assert.equal(decoders.xxh64(bytes, 0xffff_ffff_ffff_ffffn), seedMax, `length ${length}`);
  }
  assert.throws(() => decoders.xxh64(buffer, -1n), RangeError);
  assert.throws(() => decoders.xxh64(buffer, 1n << 64n), RangeError);
});

const HAS_XXHSUM = await hasCommand("xxhsum", ["-V"]);

Deno.test({
  name: "Decoders.xxh64() matches the xxhsum tool on sample data",
  ignore: !HAS_XXHSUM, // reason: the optional "xxhash" Debian package is not installed
  fn: async () => {
    for (const data of [...Object.values(SETS), sanityBuffer(12345), new Uint8Array(1 << 20)]) {
      const line = new TextDecoder().decode(await pipeThrough("xxhsum", ["-H64", "-"], data));
      assert.equal(decoders.xxh64(data), BigInt(`0x${line.split(/\s+/)[0]}`));
    }
  },
});
