import assert from "node:assert/strict";
import { MemorySource, RootFile, RootFormatError } from "./mod.ts";
import { testFiles } from "../../tests/support/testdata.ts";

/** Small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Open, walk, read streamers and up to `maxObjects` objects; returns what failed, if anything. */
async function exercise(bytes: Uint8Array, name: string, maxObjects = 25): Promise<unknown> {
  try {
    const file = await RootFile.open(new MemorySource(bytes, name));
    let objects = 0;
    for await (const { key } of file.walk()) {
      if (objects < maxObjects && /^(TH|TProfile|TObjString|TNamed)/.test(key.fClassName)) {
        objects++;
        await file.readObject(key);
      }
    }
    await file.streamers();
    return null;
  } catch (error) {
    return error;
  }
}

function corruptions(
  size: number,
  seed: number,
): { label: string; apply: (b: Uint8Array) => Uint8Array }[] {
  const rand = prng(seed);
  const out: { label: string; apply: (b: Uint8Array) => Uint8Array }[] = [];
  const cuts = [0, 3, 10, 40, 64, 99, 100, 150, 300, 1000].filter((c) => c < size);
  for (let i = 1; i < 12; i++) cuts.push(Math.floor((size * i) / 12));
  for (const cut of cuts) out.push({ label: `truncated at ${cut}`, apply: (b) => b.slice(0, cut) });
  for (let i = 0; i < 40; i++) {
    // Bias flips towards the header and the end, where the directory structure lives.
    const r = rand();
    const at = i < 10
      ? Math.floor(r * Math.min(size, 120))
      : i < 25
      ? Math.floor(size - 1 - r * Math.min(size, 4096))
      : Math.floor(r * size);
    const mask = 1 + Math.floor(rand() * 255);
    out.push({
      label: `byte ${at} xor 0x${mask.toString(16)}`,
      apply: (b) => {
        const c = b.slice();
        c[at] = c[at]! ^ mask;
        return c;
      },
    });
  }
  return out;
}

for (const file of testFiles()) {
  Deno.test(`RootFile on corrupted copies of ${file.name} throws RootFormatError or succeeds, never anything else`, async () => {
    const original = await Deno.readFile(file.path);
    const problems: string[] = [];
    for (const { label, apply } of corruptions(original.length, original.length)) {
      const started = performance.now();
      const error = await exercise(apply(original), file.name);
      const ms = performance.now() - started;
      if (error !== null && !(error instanceof RootFormatError)) {
        problems.push(`${label}: ${(error as Error)?.name}: ${(error as Error)?.message}`);
      }
      if (error instanceof RootFormatError && !error.message.includes(file.name)) {
        problems.push(`${label}: message does not name the file: ${error.message}`);
      }
      if (ms > 5000) problems.push(`${label}: took ${ms.toFixed(0)} ms`);
    }
    assert.deepEqual(problems, []);
  });
}

Deno.test("RootFile corruption test really corrupts: most damaged copies fail with RootFormatError", async () => {
  const file = testFiles().find((f) => f.name === "DQM_V0001_GEM_R000344518.root")!;
  const original = await Deno.readFile(file.path);
  let failed = 0;
  const variants = corruptions(original.length, 1);
  for (const { apply } of variants) {
    if ((await exercise(apply(original), file.name)) instanceof RootFormatError) failed++;
  }
  assert.ok(
    failed >= variants.length / 3,
    `only ${failed} of ${variants.length} corrupted copies failed`,
  );
});
