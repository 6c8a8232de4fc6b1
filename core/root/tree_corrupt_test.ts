import assert from "node:assert/strict";
import {
  MemorySource,
  type RootBranch,
  RootFile,
  RootFormatError,
  RootTree,
  type TKey,
} from "./mod.ts";
import { testFiles } from "../../tests/support/testdata.ts";

/** Branches and entries exercised per tree in each damaged copy (keeps the test fast). */
const MAX_BRANCHES = 40;
const MAX_ENTRIES = 3000;
const MAX_MS = 5000;

/** Small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const flatten = (branches: RootBranch[]): RootBranch[] =>
  branches.flatMap((b) => [b, ...flatten(b.branches)]);

async function treeKeys(file: RootFile): Promise<TKey[]> {
  const keys: TKey[] = [];
  for await (const { key } of file.walk()) {
    if (/^(TTree|TNtuple)$/.test(key.fClassName)) keys.push(key);
  }
  return keys;
}

/** Open every tree and read every (sampled) branch; returns what was thrown, if anything. */
async function exercise(bytes: Uint8Array, name: string): Promise<unknown> {
  try {
    const file = await RootFile.open(new MemorySource(bytes, name));
    for (const key of await treeKeys(file)) {
      const tree = await RootTree.open(file, key);
      for (const b of flatten(tree.branches).slice(0, MAX_BRANCHES)) {
        const last = Math.min(b.entries, MAX_ENTRIES);
        if (!b.baskets.length || last === 0) continue;
        if (b.valueKind === "number") {
          await b.readNumbers(0, last);
          await b.readBigInts(0, Math.min(last, 10)).catch((e) => {
            if (!(e instanceof TypeError)) throw e; // floating-point leaves have no BigInt form
          });
        } else if (b.valueKind === "string") await b.readStrings(0, last);
        else if (b.valueKind === "object") await b.readObject(0);
      }
    }
    return null;
  } catch (error) {
    return error;
  }
}

/** Byte ranges worth damaging: the TTree records and the first baskets of a few branches. */
async function targets(bytes: Uint8Array, name: string): Promise<[number, number][]> {
  const file = await RootFile.open(new MemorySource(bytes, name));
  const ranges: [number, number][] = [];
  for (const key of await treeKeys(file)) {
    ranges.push([key.fSeekKey, key.fSeekKey + key.fNbytes]);
    const tree = await RootTree.open(file, key);
    for (const b of flatten(tree.branches).slice(0, 6)) {
      for (const basket of b.baskets.filter((x) => !x.embedded).slice(0, 2)) {
        ranges.push([basket.seek, basket.seek + basket.bytes]);
      }
    }
  }
  return ranges;
}

function corruptions(size: number, ranges: [number, number][], seed: number) {
  const rand = prng(seed);
  const out: { label: string; apply: (b: Uint8Array) => Uint8Array }[] = [];
  const cuts = [100, 300, 1000].filter((c) => c < size);
  for (let i = 1; i < 8; i++) cuts.push(Math.floor((size * i) / 8));
  for (const [a, b] of ranges.slice(0, 6)) cuts.push(Math.floor((a + b) / 2));
  for (const cut of cuts) out.push({ label: `truncated at ${cut}`, apply: (b) => b.slice(0, cut) });
  for (let i = 0; i < 48; i++) {
    const [a, b] = i < 40 && ranges.length ? ranges[i % ranges.length]! : [0, size];
    const at = a + Math.floor(rand() * (b - a));
    const mask = 1 + Math.floor(rand() * 255);
    out.push({
      label: `byte ${at} xor 0x${mask.toString(16)}`,
      apply: (bytes) => {
        const copy = bytes.slice();
        copy[at] = copy[at]! ^ mask;
        return copy;
      },
    });
  }
  return out;
}

const treeFiles = testFiles(["root-trees", "root-histos"]).filter((f) =>
  f.expected.keys.some(([, , cls]) => /^(TTree|TNtuple)$/.test(cls))
);

for (const f of treeFiles) {
  Deno.test(`RootTree on damaged copies of ${f.name} throws RootFormatError or reads, never anything else`, async () => {
    const original = await Deno.readFile(f.path);
    assert.equal(await exercise(original, f.name), null);
    const problems: string[] = [];
    let failed = 0;
    const variants = corruptions(original.length, await targets(original, f.name), original.length);
    for (const { label, apply } of variants) {
      const started = performance.now();
      const error = await exercise(apply(original), f.name);
      const ms = performance.now() - started;
      if (error instanceof RootFormatError) failed++;
      else if (error !== null) {
        problems.push(`${label}: ${(error as Error)?.name}: ${(error as Error)?.message}`);
      }
      if (error instanceof RootFormatError && !error.message.includes(f.name)) {
        problems.push(`${label}: message does not name the file: ${error.message}`);
      }
      if (ms > MAX_MS) problems.push(`${label}: took ${ms.toFixed(0)} ms`);
    }
    assert.deepEqual(problems, []);
    assert.ok(failed > 0, "no damaged copy was rejected");
  });
}
