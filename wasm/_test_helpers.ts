/**
 * Test support for the wasm decoders: deterministic sample data, the `xz`
 * and `lz4` command-line tools as independent references, an LZ4 frame
 * parser, and a linear walk over the compression blocks of a ROOT file.
 * Used by the `*_test.ts` files beside it; not part of the public API.
 *
 * @module
 */

import { TESTDATA_URL } from "../tests/support/testdata.ts";

/** A small, fast, seeded PRNG (mulberry32) so every run sees the same bytes. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "SiStrip",
  "Pixel",
  "Ecal",
  "Hcal",
  "Muon",
  "DT",
  "CSC",
  "Tracker",
  "Layer",
  "Wheel",
  "occupancy",
  "residual",
  "charge",
  "efficiency",
  "Run summary",
];

/** Log- and path-like ASCII text, moderately compressible. */
export function sampleText(size: number, seed = 1): Uint8Array {
  const r = prng(seed);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)];
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const line = `DQMData/Run ${Math.floor(r() * 400000)}/${pick()}/${pick()}_${
      Math.floor(r() * 48)
    } entries=${Math.floor(r() * 1e6)} mean=${(r() * 100).toFixed(3)} rms=${
      (r() * 10).toFixed(4)
    }\n`;
    parts.push(line);
    n += line.length;
  }
  return new TextEncoder().encode(parts.join("")).slice(0, size);
}

/**
 * Histogram-like content: runs of big-endian doubles holding Gaussian-shaped
 * bin counts with sparse noise, the way ROOT stores TH1D arrays.
 */
export function sampleHistograms(size: number, seed = 2): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  while (pos + 8 <= size) {
    const bins = 50 + Math.floor(r() * 500);
    const mean = r() * bins;
    const sigma = 2 + (r() * bins) / 6;
    const entries = Math.floor(r() * 1e5);
    for (let i = 0; i < bins && pos + 8 <= size; i++, pos += 8) {
      const g = Math.exp(-((i - mean) ** 2) / (2 * sigma * sigma));
      const noise = r() < 0.1 ? r() * 3 : 0;
      view.setFloat64(pos, Math.round((entries * g) / (sigma * 2.5) + noise), false);
    }
  }
  return out;
}

/** Uniform random bytes: incompressible, so LZMA2 stores them raw. */
export function sampleRandom(size: number, seed = 3): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
}

/** Short repeating patterns and zero runs: long, overlapping matches. */
export function sampleRuns(size: number, seed = 4): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(size);
  let pos = 0;
  while (pos < size) {
    const period = 1 + Math.floor(r() * 9);
    const len = Math.min(size - pos, 1 + Math.floor(r() * 5000));
    const pattern = Array.from({ length: period }, () => (r() < 0.3 ? 0 : Math.floor(r() * 256)));
    for (let i = 0; i < len; i++) out[pos + i] = pattern[i % period]!;
    pos += len;
  }
  return out;
}

/** Every kind above, interleaved in blocks. */
export function sampleMixed(size: number, seed = 5): Uint8Array {
  const r = prng(seed);
  const makers = [sampleText, sampleHistograms, sampleRandom, sampleRuns];
  const out = new Uint8Array(size);
  let pos = 0;
  while (pos < size) {
    const len = Math.min(size - pos, 1000 + Math.floor(r() * 60000));
    const maker = makers[Math.floor(r() * makers.length)]!;
    out.set(maker(len, Math.floor(r() * 1e9)), pos);
    pos += len;
  }
  return out;
}

/** Named data sets used by the parity and corruption tests. */
export function sampleSets(size: number): Record<string, Uint8Array> {
  return {
    text: sampleText(size),
    histograms: sampleHistograms(size),
    random: sampleRandom(Math.min(size, 200_000)),
    runs: sampleRuns(size),
    mixed: sampleMixed(size),
  };
}

/** Runs a command with `input` on stdin and returns its stdout; throws on failure. */
export async function pipeThrough(
  cmd: string,
  args: string[],
  input: Uint8Array,
): Promise<Uint8Array> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "piped" })
      .spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      // The parity tests need the reference tools; CI installs them.
      throw new Error(`Cannot run "${cmd}": not found (install the Debian package that has it)`);
    }
    throw err;
  }
  const writer = child.stdin.getWriter();
  const written = writer.write(input).then(() => writer.close());
  const [out] = await Promise.all([child.output(), written]);
  if (!out.success) {
    throw new Error(
      `Cannot run "${cmd} ${args.join(" ")}": ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return out.stdout;
}

/** Whether a command exists on the PATH (for tests that need optional tools). */
export async function hasCommand(cmd: string, args = ["--version"]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** `xz -c ARGS` of data. */
export function xzCompress(data: Uint8Array, args: string[]): Promise<Uint8Array> {
  return pipeThrough("xz", ["-c", "-q", ...args], data);
}

/** `lz4 -c ARGS` of data: an LZ4 frame. */
export function lz4Compress(data: Uint8Array, args: string[]): Promise<Uint8Array> {
  return pipeThrough("lz4", ["-c", "-q", ...args], data);
}

/** One data block of an LZ4 frame. */
export interface Lz4FrameBlock {
  data: Uint8Array;
  /** false when the frame stored the block uncompressed (high bit of its size). */
  compressed: boolean;
}

/** The blocks of one LZ4 frame ("LZ4 Frame Format Description" 1.6.x). */
export interface Lz4Frame {
  blockMaxSize: number;
  blocks: Lz4FrameBlock[];
}

/** Magic number of the LZ4 frame format (little-endian on disk). */
const LZ4_FRAME_MAGIC = 0x184d2204;

/** Splits an LZ4 frame into its raw blocks; dependent-block frames are rejected. */
export function parseLz4Frame(frame: Uint8Array): Lz4Frame {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== LZ4_FRAME_MAGIC) throw new SyntaxError("not an LZ4 frame");
  const flg = frame[4]!;
  const bd = frame[5]!;
  // FLG: bit 5 block independence, 4 block checksums, 3 content size,
  // 0 dictionary ID; BD bits 4-6: block maximum size 64 KiB << 2 * (n - 4).
  if (!(flg & 0x20)) throw new SyntaxError("dependent LZ4 blocks are not raw-decodable");
  const blockChecksums = (flg & 0x10) !== 0;
  let pos = 7 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
  const blockMaxSize = 1 << (8 + 2 * ((bd >> 4) & 7));
  const blocks: Lz4FrameBlock[] = [];
  for (;;) {
    const word = view.getUint32(pos, true);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    blocks.push({ data: frame.subarray(pos, pos + size), compressed: (word & 0x80000000) === 0 });
    pos += size + (blockChecksums ? 4 : 0);
  }
  return { blockMaxSize, blocks };
}

/** One compression block of a ROOT record (shared/spec/formats.md 1.6). */
export interface RootBlock {
  /** "XZ", "L4", "ZL", "ZS" or "CS". */
  tag: string;
  /** Offset of the record (TKey) that holds it. */
  keyOffset: number;
  /** Decompressed size from the block header. */
  uncompressedSize: number;
  /** The body after the 9-byte header (for L4: checksum + LZ4 block). */
  body: Uint8Array;
}

/** A compressed record and its blocks. */
export interface RootRecord {
  keyOffset: number;
  objLen: number;
  blocks: RootBlock[];
}

/** URL of a file in the shared test data (never copied into the repository). */
export function testdataUrl(path: string): URL {
  return new URL(path, TESTDATA_URL);
}

/**
 * Walks the records between fBEGIN and fEND linearly (formats.md 1.2-1.4)
 * and returns each compressed record with its compression blocks.
 */
export function rootCompressedRecords(file: Uint8Array): RootRecord[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (new TextDecoder().decode(file.subarray(0, 4)) !== "root") throw new SyntaxError("not ROOT");
  const large = view.getInt32(4) >= 1000000;
  const begin = view.getInt32(8);
  const end = Math.min(large ? Number(view.getBigInt64(12)) : view.getInt32(12), file.length);
  const records: RootRecord[] = [];
  let pos = begin;
  while (pos + 26 < end) {
    const nbytes = view.getInt32(pos);
    if (nbytes < 0) {
      pos -= nbytes; // a free gap of -nbytes bytes
      continue;
    }
    if (nbytes === 0) throw new SyntaxError(`zero-size record at ${pos}`);
    const objLen = view.getInt32(pos + 6);
    const keyLen = view.getInt16(pos + 14);
    if (objLen > nbytes - keyLen) {
      const blocks: RootBlock[] = [];
      let at = pos + keyLen;
      let produced = 0;
      while (produced < objLen && at + 9 <= pos + nbytes) {
        const tag = String.fromCharCode(file[at]!, file[at + 1]!);
        const c = file[at + 3]! | (file[at + 4]! << 8) | (file[at + 5]! << 16);
        const u = file[at + 6]! | (file[at + 7]! << 8) | (file[at + 8]! << 16);
        blocks.push({
          tag,
          keyOffset: pos,
          uncompressedSize: u,
          body: file.subarray(at + 9, at + 9 + c),
        });
        produced += u;
        at += 9 + c;
      }
      records.push({ keyOffset: pos, objLen, blocks });
    }
    pos += nbytes;
  }
  return records;
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Reads an unsigned big-endian 64-bit value. */
export function readU64BE(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false);
}
