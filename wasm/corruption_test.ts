/**
 * Corruption tests for wasm/mod.ts (STYLE rule 23): truncated, bit-flipped
 * and random inputs must end in a WasmDecodeError (or, where the format
 * carries no check, a same-sized output), never in a trap and never in a
 * hang. The sweep runs in a worker (`_corruption_worker.ts`) so that a hang
 * shows up as a timeout here instead of blocking the test run.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { CorruptionCase, CorruptionReport } from "./_corruption_worker.ts";
import {
  lz4Compress,
  parseLz4Frame,
  rootCompressedRecords,
  sampleMixed,
  sampleText,
  testdataUrl,
  xzCompress,
} from "./_test_helpers.ts";

/** Generous: the whole sweep takes a few seconds. */
const SWEEP_TIMEOUT_MS = 180_000;

async function sweep(cases: CorruptionCase[], randomInputs: number): Promise<CorruptionReport> {
  const worker = new Worker(new URL("./_corruption_worker.ts", import.meta.url), {
    type: "module",
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<CorruptionReport>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Corruption sweep did not finish in ${SWEEP_TIMEOUT_MS} ms`)),
        SWEEP_TIMEOUT_MS,
      );
      worker.onmessage = (e: MessageEvent<CorruptionReport>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`Corruption worker failed: ${e.message}`));
      };
      worker.postMessage({ cases, randomInputs });
    });
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}

function rootBlocks(file: string, tag: string, count: number) {
  return Deno.readFile(testdataUrl(file)).then((bytes) =>
    rootCompressedRecords(bytes).flatMap((r) => r.blocks).filter((b) => b.tag === tag)
      .slice(0, count)
  );
}

Deno.test("Decoders.xzDecompress() throws WasmDecodeError on truncated, flipped and random input, never traps or hangs", async () => {
  const small = sampleMixed(1500, 11);
  const medium = sampleMixed(40_000, 12);
  const cases: CorruptionCase[] = [];
  for (const check of ["crc32", "crc64", "none", "sha256"]) {
    const strict = check !== "none";
    for (const [data, label] of [[small, "small"], [medium, "medium"]] as const) {
      cases.push({
        name: `xz ${label} --check=${check}`,
        kind: "xz",
        src: await xzCompress(data, ["-6", `--check=${check}`]),
        expectedSize: data.length,
        strict,
      });
    }
  }
  cases.push({
    name: "xz multi-block",
    kind: "xz",
    src: await xzCompress(medium, ["-1", "--block-size=7000"]),
    expectedSize: medium.length,
    strict: true,
  });
  const text = sampleText(3000, 13);
  cases.push({
    name: "xz stored chunks",
    kind: "xz",
    src: await xzCompress(text, ["--lzma2=preset=0,dict=4KiB", "--block-size=1000"]),
    expectedSize: text.length,
    strict: true,
  });
  for (const b of await rootBlocks("root-trees/uproot-HZZ-lzma.root", "XZ", 3)) {
    cases.push({
      name: `ROOT XZ block in key at ${b.keyOffset}`,
      kind: "xz",
      src: b.body,
      expectedSize: b.uncompressedSize,
      strict: true,
    });
  }
  const report = await sweep(cases, 300);
  assert.deepEqual(report.failures, []);
  assert.ok(report.calls > 10_000, `only ${report.calls} calls`);
  assert.ok(report.maxMs < 5_000, `slowest call took ${report.maxMs} ms`);
});

Deno.test("Decoders.lz4DecompressBlock() throws WasmDecodeError or keeps the size on truncated, flipped and random input, never traps or hangs", async () => {
  const cases: CorruptionCase[] = [];
  for (const [size, level] of [[1500, "-1"], [40_000, "-1"], [40_000, "-12"]] as const) {
    const data = sampleMixed(size, 20 + size);
    const { blocks } = parseLz4Frame(await lz4Compress(data, [level, "-B4"]));
    const first = blocks[0]!;
    assert.ok(first.compressed);
    cases.push({
      name: `lz4 ${size} ${level}`,
      kind: "lz4",
      src: first.data,
      expectedSize: Math.min(size, 64 << 10),
      strict: false,
    });
  }
  for (const b of await rootBlocks("root-trees/uproot-HZZ-lz4.root", "L4", 3)) {
    cases.push({
      name: `ROOT L4 block in key at ${b.keyOffset}`,
      kind: "lz4",
      src: b.body.subarray(8),
      expectedSize: b.uncompressedSize,
      strict: false,
    });
  }
  const report = await sweep(cases, 300);
  assert.deepEqual(report.failures, []);
  assert.ok(report.calls > 5_000, `only ${report.calls} calls`);
  assert.ok(report.maxMs < 5_000, `slowest call took ${report.maxMs} ms`);
});
