/**
 * Decodes every `XZ` and `L4` compression block of real ROOT files from
 * `../shared/testdata` with wasm/mod.ts, checks sizes and checksums against
 * the block headers, and compares the content with the `xz` and `lz4`
 * command-line tools decoding the same bytes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadDecoders } from "./mod.ts";
import {
  concat,
  lz4Compress,
  pipeThrough,
  readU64BE,
  type RootBlock,
  rootCompressedRecords,
  testdataUrl,
} from "./_test_helpers.ts";

const decoders = await loadDecoders();

async function blocksOf(file: string, tag: string): Promise<RootBlock[]> {
  const records = rootCompressedRecords(await Deno.readFile(testdataUrl(file)));
  for (const record of records) {
    const total = record.blocks.reduce((n, b) => n + b.uncompressedSize, 0);
    assert.equal(total, record.objLen, `${file} record at ${record.keyOffset}`);
  }
  // Some records (e.g. the streamer list) may use another algorithm.
  const blocks = records.flatMap((r) => r.blocks).filter((b) => b.tag === tag);
  assert.ok(blocks.length > 0, `${file} has no ${tag} blocks`);
  return blocks;
}

for (
  const file of [
    "root-trees/uproot-HZZ-lzma.root",
    "root-trees/uproot-sample-6.20.04-lzma.root",
    "root-trees/tree_with_jagged_array_double.root",
  ]
) {
  Deno.test(`Decoders.xzDecompress() matches the xz tool on every XZ block of ${file}`, async () => {
    const blocks = await blocksOf(file, "XZ");
    const ours = blocks.map((b) => {
      const out = decoders.xzDecompress(b.body, b.uncompressedSize);
      assert.equal(out.length, b.uncompressedSize, `block in key at ${b.keyOffset}`);
      return out;
    });
    // Every .xz stream is a multiple of 4 bytes long, so the bodies
    // concatenate into one valid multi-stream file for the tool.
    const theirs = await pipeThrough("xz", ["-dc"], concat(blocks.map((b) => b.body)));
    assert.deepEqual(concat(ours), theirs);
  });
}

/**
 * Header of an LZ4 frame with independent 4 MiB blocks and no checksums,
 * taken from the lz4 tool itself so that its header checksum is right.
 */
async function lz4FrameHeader(): Promise<Uint8Array> {
  const frame = await lz4Compress(new Uint8Array(5 << 20), ["-B7", "--no-frame-crc"]);
  assert.deepEqual([...frame.subarray(4, 6)], [0x60, 0x70], "FLG and BD of lz4 -B7 --no-frame-crc");
  return frame.slice(0, 7);
}

/** Wraps raw LZ4 blocks into one frame the lz4 tool can decode. */
function lz4Frame(header: Uint8Array, blocks: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [header];
  for (const block of blocks) {
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, block.length, true);
    parts.push(size, block);
  }
  parts.push(new Uint8Array(4)); // end mark
  return concat(parts);
}

const LZ4_FRAME_BLOCK_MAX = 4 << 20;

for (const file of ["root-trees/uproot-HZZ-lz4.root", "root-trees/uproot-HZZ-objects.root"]) {
  Deno.test(`Decoders.lz4DecompressBlock() matches the lz4 tool on every L4 block of ${file}`, async () => {
    const blocks = await blocksOf(file, "L4");
    const raw: Uint8Array[] = [];
    const ours: Uint8Array[] = [];
    for (const b of blocks) {
      // formats.md 1.6: big-endian XXH64 (seed 0) of the LZ4 data, then the data.
      const lz4 = b.body.subarray(8);
      assert.equal(decoders.xxh64(lz4), readU64BE(b.body), `checksum in key at ${b.keyOffset}`);
      const out = decoders.lz4DecompressBlock(lz4, b.uncompressedSize);
      assert.equal(out.length, b.uncompressedSize);
      assert.ok(b.uncompressedSize <= LZ4_FRAME_BLOCK_MAX, "block fits an LZ4 frame block");
      raw.push(lz4);
      ours.push(out);
    }
    const theirs = await pipeThrough("lz4", ["-dc"], lz4Frame(await lz4FrameHeader(), raw));
    assert.deepEqual(concat(ours), theirs);
  });
}
