/**
 * @module
 * Decompression throughput of every algorithm ROOT files use, side by side
 * in one run, to show why each path was chosen (STYLE rule 14, DESIGN.md
 * "decompression"):
 *
 * - zlib (`ZL`): Deno's native `node:zlib` against `fflate` (the browser
 *   fallback);
 * - zstd (`ZS`): native `node:zlib` against the `zstd` tool;
 * - xz (`XZ`): our WASM decoder (`wasm/mod.ts`) against the `xz` tool;
 * - LZ4 (`L4`): our WASM decoder, alone and with the XXH64 check ROOT's
 *   blocks carry, against the `lz4` tool.
 *
 * Throughput is MB/s (10^6 bytes) of decompressed output, the median of
 * several runs after one warm-up, on the same deterministic data for every
 * codec: histogram-like big-endian doubles interleaved with DQM-path text,
 * which compresses about as well as real DQM payloads. The tools decode a
 * file to /dev/null single-threaded (`-T1` for xz); with tens of MB of
 * output their process start-up is well under 1% of the time.
 *
 * The target is WASM within 2x of the native tools for xz and LZ4,
 * so those ratio rows carry `target: ">= 0.5"`.
 *
 * Run standalone: `deno run -A tools/bench/decompress.ts [--mb=32] [--runs=9]`.
 */

import zlib from "node:zlib";
import { unzlibSync } from "fflate";
import { loadDecoders } from "../../wasm/mod.ts";
import { type BenchRow, formatRows, median } from "./_rows.ts";

/** Options for {@linkcode benchDecompression}. */
export interface DecompressBenchOptions {
  /** Size of the uncompressed sample in MiB (default 32). */
  mebibytes?: number;
  /** Timed runs per implementation; the median is reported (default 9). */
  runs?: number;
}

/** WASM must reach half the native tool's throughput (the "within 2x"). */
const WASM_VS_NATIVE_MIN = 0.5;
/** LZ4 frames with independent 4 MiB blocks, the largest the frame format has. */
const LZ4_BLOCK_BYTES = 4 << 20;
const LZ4_FRAME_MAGIC = 0x184d2204;

/** Seeded PRNG (mulberry32) so every run benchmarks the same bytes. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["SiStrip", "Pixel", "Ecal", "Hcal", "Muon", "Tracker", "Layer", "Run summary"];
const NOUNS = ["occupancy", "residual", "charge", "cluster", "digi", "efficiency"];

/**
 * Half histogram-like content (Gaussian bin counts with sparse noise as
 * big-endian doubles, as ROOT stores TH1D), half DQM-path-like text.
 *
 * @param bytes size of the sample
 * @param seed PRNG seed; the same seed gives the same bytes
 * @returns the sample
 */
export function sampleData(bytes: number, seed = 1): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  const encoder = new TextEncoder();
  let pos = 0;
  while (pos < bytes) {
    if (r() < 0.5) {
      const bins = 50 + Math.floor(r() * 500);
      const mean = r() * bins;
      const sigma = 2 + (r() * bins) / 6;
      const entries = Math.floor(r() * 1e5);
      for (let i = 0; i < bins && pos + 8 <= bytes; i++, pos += 8) {
        const g = Math.exp(-((i - mean) ** 2) / (2 * sigma * sigma));
        const noise = r() < 0.1 ? r() * 3 : 0;
        view.setFloat64(pos, Math.round((entries * g) / (sigma * 2.5) + noise), false);
      }
      if (pos + 8 > bytes) pos = bytes;
    } else {
      let text = "";
      for (let i = 0; i < 20; i++) {
        const w = WORDS[Math.floor(r() * WORDS.length)];
        const n = NOUNS[Math.floor(r() * NOUNS.length)];
        text += `DQMData/Run ${Math.floor(r() * 400000)}/${w}/${n}_${Math.floor(r() * 48)} ` +
          `entries=${Math.floor(r() * 1e6)} mean=${(r() * 100).toFixed(3)}\n`;
      }
      const chunk = encoder.encode(text).subarray(0, bytes - pos);
      out.set(chunk, pos);
      pos += chunk.length;
    }
  }
  return out;
}

/**
 * Warm-up before timing: V8 first runs WASM in its baseline compiler and
 * switches a function to optimised code only on a later call, once the
 * background compile is done; the page cache and allocators warm up too.
 */
const WARMUP_MIN_CALLS = 3;
const WARMUP_MIN_MS = 500;

/** Median wall time in ms of `runs` calls after the warm-up. */
async function timeMedian(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < WARMUP_MIN_CALLS || performance.now() - start < WARMUP_MIN_MS; i++) {
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function runTool(cmd: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let written: Promise<void> = Promise.resolve();
  if (stdin) {
    const writer = child.stdin.getWriter();
    written = writer.write(stdin).then(() => writer.close());
  }
  const [out] = await Promise.all([child.output(), written]);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`Cannot run "${cmd} ${args.join(" ")}": ${err}`);
  }
  return out.stdout;
}

/** Runs a tool that decompresses `file` to /dev/null; throws if it fails. */
async function toolToNull(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`Cannot run "${cmd} ${args.join(" ")}": ${err}`);
  }
}

/** The raw blocks of an LZ4 frame (LZ4 Frame Format 1.6: FLG, BD, block sizes). */
function lz4FrameBlocks(frame: Uint8Array): Uint8Array[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== LZ4_FRAME_MAGIC) throw new SyntaxError("not an LZ4 frame");
  const flg = frame[4]!;
  let pos = 7 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
  const blocks: Uint8Array[] = [];
  for (;;) {
    const word = view.getUint32(pos, true);
    pos += 4;
    if (word === 0) return blocks;
    if (word & 0x80000000) throw new SyntaxError("stored LZ4 block in benchmark data");
    blocks.push(frame.subarray(pos, pos + word));
    pos += word + (flg & 0x10 ? 4 : 0);
  }
}

function assertSame(name: string, got: Uint8Array, want: Uint8Array): void {
  if (got.length !== want.length || !got.every((b, i) => b === want[i])) {
    throw new Error(`Cannot benchmark ${name}: its output differs from the input`);
  }
}

/**
 * Measures decompression throughput of zlib, zstd, xz and LZ4 through each
 * available implementation, on the same data.
 *
 * @param options sample size and number of timed runs
 * @returns one throughput row per implementation and one ratio row per
 *   comparison
 */
export async function benchDecompression(
  options: DecompressBenchOptions = {},
): Promise<BenchRow[]> {
  const bytes = (options.mebibytes ?? 32) << 20;
  const runs = options.runs ?? 9;
  const data = sampleData(bytes);
  const decoders = await loadDecoders();
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const rows: BenchRow[] = [];
  const speed = (name: string, ms: number, ratio: number) => {
    rows.push({ name: `${name} (ratio ${ratio.toFixed(2)})`, value: mbps(ms), unit: "MB/s" });
    return mbps(ms);
  };
  const compare = (name: string, ours: number, ref: number, target?: number) => {
    const value = ours / ref;
    rows.push({
      name,
      value,
      unit: "x",
      ...(target === undefined ? {} : { target: `>= ${target}`, ok: value >= target }),
    });
  };

  const tmp = await Deno.makeTempDir({ prefix: "bench_decompress_" });
  try {
    // zlib: native against fflate.
    const zl = zlib.deflateSync(data, { level: 6 });
    assertSame("node:zlib inflate", zlib.inflateSync(zl), data);
    assertSame("fflate unzlib", unzlibSync(zl), data);
    const ratioZl = bytes / zl.length;
    const zlNative = speed(
      "zlib -6: node:zlib",
      await timeMedian(runs, () => zlib.inflateSync(zl)),
      ratioZl,
    );
    const zlFflate = speed(
      "zlib -6: fflate",
      await timeMedian(runs, () => unzlibSync(zl)),
      ratioZl,
    );
    compare("zlib: fflate / node:zlib", zlFflate, zlNative);

    // zstd: native, with the tool for reference.
    const zs = zlib.zstdCompressSync(data);
    await Deno.writeFile(`${tmp}/data.zst`, zs);
    assertSame("node:zlib zstd", zlib.zstdDecompressSync(zs), data);
    const ratioZs = bytes / zs.length;
    const zsNative = speed(
      "zstd -3: node:zlib",
      await timeMedian(runs, () => zlib.zstdDecompressSync(zs)),
      ratioZs,
    );
    const zsTool = speed(
      "zstd -3: zstd -dc tool",
      await timeMedian(runs, () => toolToNull("zstd", ["-dcq", `${tmp}/data.zst`])),
      ratioZs,
    );
    compare("zstd: node:zlib / zstd tool", zsNative, zsTool);

    // xz: ours against the tool (both single-threaded).
    const xz = await runTool("xz", ["-c", "-6", "-T2"], data);
    await Deno.writeFile(`${tmp}/data.xz`, xz);
    assertSame("wasm xz", decoders.xzDecompress(xz, bytes), data);
    const ratioXz = bytes / xz.length;
    const xzWasm = speed(
      "xz -6: wasm (ours)",
      await timeMedian(runs, () => decoders.xzDecompress(xz, bytes)),
      ratioXz,
    );
    const xzTool = speed(
      "xz -6: xz -dc -T1 tool",
      await timeMedian(runs, () => toolToNull("xz", ["-dc", "-T1", `${tmp}/data.xz`])),
      ratioXz,
    );
    compare("xz: wasm / xz tool", xzWasm, xzTool, WASM_VS_NATIVE_MIN);

    // LZ4: raw 4 MiB blocks through ours, the frame through the tool.
    const frame = await runTool("lz4", ["-c", "-1", "-B7"], data);
    await Deno.writeFile(`${tmp}/data.lz4`, frame);
    const blocks = lz4FrameBlocks(frame);
    const sizes = blocks.map((_, i) => Math.min(LZ4_BLOCK_BYTES, bytes - i * LZ4_BLOCK_BYTES));
    // Each output is dropped at once, as a reader that parses a block and
    // moves on would, rather than keeping 32 MiB alive per run.
    const lz4All = (check: boolean) => {
      let total = 0;
      blocks.forEach((b, i) => {
        if (check) decoders.xxh64(b); // what ROOT's L4 header asks to verify
        total += decoders.lz4DecompressBlock(b, sizes[i]!).length;
      });
      return total;
    };
    const joined = new Uint8Array(bytes);
    blocks.forEach((b, i) => {
      joined.set(decoders.lz4DecompressBlock(b, sizes[i]!), i * LZ4_BLOCK_BYTES);
    });
    assertSame("wasm lz4", joined, data);
    const ratioL4 = bytes / frame.length;
    const l4Wasm = speed(
      "lz4 -1: wasm (ours)",
      await timeMedian(runs, () => lz4All(false)),
      ratioL4,
    );
    const l4WasmXxh = speed(
      "lz4 -1: wasm (ours) + XXH64 check",
      await timeMedian(runs, () => lz4All(true)),
      ratioL4,
    );
    const l4Tool = speed(
      "lz4 -1: lz4 -dc tool",
      await timeMedian(runs, () => toolToNull("lz4", ["-dcq", `${tmp}/data.lz4`])),
      ratioL4,
    );
    compare("lz4: wasm / lz4 tool", l4Wasm, l4Tool, WASM_VS_NATIVE_MIN);
    compare("lz4: wasm + XXH64 / lz4 tool", l4WasmXxh, l4Tool, WASM_VS_NATIVE_MIN);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return rows;
}

if (import.meta.main) {
  const arg = (name: string) => {
    const hit = Deno.args.find((a) => a.startsWith(`--${name}=`));
    return hit ? Number(hit.split("=")[1]) : undefined;
  };
  const mebibytes = arg("mb") ?? 32;
  const rows = await benchDecompression({ mebibytes, runs: arg("runs") });
  console.log(`Decompression, ${mebibytes} MiB of output, median MB/s (compression ratio):`);
  console.log(formatRows(rows));
}
