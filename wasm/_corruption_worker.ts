/**
 * Worker for wasm/corruption_test.ts: truncates, bit-flips and randomises
 * the inputs it is sent, feeds every variant to the decoders, and reports
 * how each call ended. It runs in a worker so that the test can time out
 * and terminate it if a decoder ever loops forever: a synchronous WASM call
 * would otherwise block the test's own timers.
 *
 * @module
 */
import { type Decoders, loadDecoders, WasmDecodeError } from "./mod.ts";
import { prng } from "./_test_helpers.ts";

/** One known-good input and how strictly its variants are judged. */
export interface CorruptionCase {
  name: string;
  kind: "xz" | "lz4";
  src: Uint8Array;
  expectedSize: number;
  /**
   * true when every change must be detected (xz with a CRC32, CRC64 or
   * SHA-256 check); false when a changed input may also decode silently to
   * a same-sized output (xz without a check, LZ4 without ROOT's checksum).
   */
  strict: boolean;
}

/** What the worker found; the test asserts on it. */
export interface CorruptionReport {
  calls: number;
  /** Calls that threw WasmDecodeError, by code. */
  codes: Record<string, number>;
  /** Lenient cases that decoded to the expected size. */
  silent: number;
  /** Anything else: traps, other exceptions, strict cases that passed. */
  failures: string[];
  maxMs: number;
}

function mutations(src: Uint8Array, seed: number): Array<[string, Uint8Array]> {
  const r = prng(seed);
  const out: Array<[string, Uint8Array]> = [];
  const n = src.length;
  // Every truncation for short inputs, else the first and last 300 bytes
  // (headers, footers, index) and 300 random cut points in between.
  const cuts = new Set<number>();
  if (n <= 2000) {
    for (let i = 0; i < n; i++) cuts.add(i);
  } else {
    for (let i = 0; i < 300; i++) cuts.add(i).add(n - 1 - i).add(Math.floor(r() * n));
  }
  for (const cut of cuts) out.push([`truncated to ${cut}`, src.slice(0, cut)]);
  // Bit flips: every byte of short inputs, else both ends and 600 random bytes.
  const flips = new Set<number>();
  if (n <= 2000) {
    for (let i = 0; i < n; i++) flips.add(i);
  } else {
    for (let i = 0; i < 200; i++) flips.add(i).add(n - 1 - i);
    for (let i = 0; i < 600; i++) flips.add(Math.floor(r() * n));
  }
  for (const at of flips) {
    const copy = src.slice();
    const bit = Math.floor(r() * 8);
    copy[at]! ^= 1 << bit;
    out.push([`bit ${bit} of byte ${at} flipped`, copy]);
  }
  // Overwritten runs of random bytes.
  for (let i = 0; i < 100; i++) {
    const copy = src.slice();
    const at = Math.floor(r() * n);
    for (let j = at; j < Math.min(n, at + 1 + Math.floor(r() * 16)); j++) {
      copy[j] = Math.floor(r() * 256);
    }
    out.push([`random run at ${at}`, copy]);
  }
  return out;
}

function run(
  decoders: Decoders,
  cases: CorruptionCase[],
  randomInputs: number,
): CorruptionReport {
  const report: CorruptionReport = { calls: 0, codes: {}, silent: 0, failures: [], maxMs: 0 };
  const attempt = (c: CorruptionCase, label: string, src: Uint8Array, expectedSize: number) => {
    const t0 = performance.now();
    let ok = false;
    try {
      if (c.kind === "xz") decoders.xzDecompress(src, expectedSize);
      else decoders.lz4DecompressBlock(src, expectedSize);
      ok = true;
    } catch (e) {
      if (e instanceof WasmDecodeError) {
        report.codes[e.code] = (report.codes[e.code] ?? 0) + 1;
      } else {
        report.failures.push(`${c.name}, ${label}: ${e instanceof Error ? e.stack : e}`);
      }
    }
    report.calls++;
    report.maxMs = Math.max(report.maxMs, performance.now() - t0);
    if (ok && (c.strict || src === c.src)) {
      report.failures.push(`${c.name}, ${label}: decoded without an error`);
    } else if (ok) {
      report.silent++;
    }
  };
  cases.forEach((c, i) => {
    for (const [label, src] of mutations(c.src, 1000 + i)) attempt(c, label, src, c.expectedSize);
    // The intact input with a wrong expected size must fail too.
    attempt(c, "expected size + 1", c.src, c.expectedSize + 1);
    if (c.expectedSize > 0) attempt(c, "expected size - 1", c.src, c.expectedSize - 1);
  });
  // Pure noise, and noise behind a valid xz stream header.
  const r = prng(42);
  const xzHeader = cases.find((c) => c.kind === "xz")?.src.subarray(0, 12) ?? new Uint8Array();
  for (let i = 0; i < randomInputs; i++) {
    const noise = Uint8Array.from({ length: Math.floor(r() * 4000) }, () => Math.floor(r() * 256));
    const size = Math.floor(r() * 100000);
    const lenient = { name: "random", src: new Uint8Array(), expectedSize: size, strict: false };
    attempt({ ...lenient, kind: "lz4" }, `noise ${i}`, noise, size);
    attempt({ ...lenient, kind: "xz", strict: true }, `noise ${i}`, noise, size);
    const framed = new Uint8Array(xzHeader.length + noise.length);
    framed.set(xzHeader);
    framed.set(noise, xzHeader.length);
    attempt({ ...lenient, kind: "xz", strict: true }, `header + noise ${i}`, framed, size);
  }
  return report;
}

/** The worker global, typed without pulling the worker lib into the tests. */
interface WorkerScope {
  onmessage:
    | ((event: MessageEvent<{ cases: CorruptionCase[]; randomInputs: number }>) => void)
    | null;
  postMessage(report: CorruptionReport): void;
}

const scope = self as unknown as WorkerScope;
// Set before any await: a message that arrives while no handler is set is lost.
scope.onmessage = async (event) => {
  const decoders = await loadDecoders();
  scope.postMessage(run(decoders, event.data.cases, event.data.randomInputs));
};
