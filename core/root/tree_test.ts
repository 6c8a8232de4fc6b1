import assert from "node:assert/strict";
import { FileSource, isHistogram, type RootBranch, RootFile, RootTree, type TKey } from "./mod.ts";
import { histogramSummary } from "../../tests/support/jsroot_dump.ts";
import {
  type JsrootAny,
  jsrootBranches,
  jsrootOpen,
  jsrootTree,
  jsrootValues,
} from "../../tests/support/jsroot_tree.ts";
import { testFiles } from "../../tests/support/testdata.ts";

/** Branches compared per tree at most (the rest are sampled evenly). */
const MAX_BRANCHES = 120;
/** Trees longer than this are compared on a few entry windows, across basket boundaries. */
const MAX_ENTRIES = 30000;

const flatten = (branches: RootBranch[]): RootBranch[] =>
  branches.flatMap((b) => [b, ...flatten(b.branches)]);

/** Entry windows `[first, last)` to compare: all entries, or windows around basket boundaries. */
function windows(branch: RootBranch): [number, number][] {
  if (branch.entries <= MAX_ENTRIES) return [[0, branch.entries]];
  const middle = branch.baskets[branch.baskets.length >> 1]!.firstEntry;
  return [[0, 12000], [middle - 150, middle + 150], [branch.entries - 2000, branch.entries]];
}

/** JSROOT's value of one entry as a plain array of numbers, a string, or as is. */
function normalise(v: unknown, ours: RootBranch, mine: unknown): unknown {
  if (typeof v === "boolean") return [+v];
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.map((x) => typeof x === "boolean" ? +x : x);
  if (typeof v === "string" && ours.valueKind === "number" && Array.isArray(mine)) {
    // JSROOT turns fixed Char_t arrays into strings cut at the first NUL, so
    // only the bytes before it (and the NUL itself) can be compared.
    const codes = [...v].map((ch) => ch.charCodeAt(0));
    const signed = !ours.leafType.startsWith("U");
    return (mine as number[]).map((m, i) =>
      i < codes.length
        ? (signed && codes[i]! > 127 ? codes[i]! - 256 : codes[i])
        : i === codes.length
        ? 0
        : m
    );
  }
  return v;
}

/** Our values per entry for `[first, last)`: arrays of numbers, or strings. */
async function ourValues(b: RootBranch, first: number, last: number): Promise<unknown[]> {
  if (b.valueKind === "string") return await b.readStrings(first, last);
  const { values, offsets } = await b.readNumberArrays(first, last);
  return Array.from(
    { length: last - first },
    (_, i) => Array.from(values.subarray(offsets[i], offsets[i + 1])),
  );
}

/** Plain JSON-able form: typed arrays become arrays, JSROOT's methods and `$` members go. */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).filter(([k, x]) => typeof x !== "function" && !k.startsWith("$")).map((
        [k, x],
      ) => [k, plain(x)]),
    );
  }
  return v;
}

/** Objects of the first entries: histogram summaries, or every member JSROOT reads. */
async function compareObjects(b: RootBranch, jtree: JsrootAny, j: JsrootAny): Promise<string[]> {
  const count = Math.min(b.entries, 20);
  const ref = await jsrootValues(jtree, j, 0, count);
  const problems: string[] = [];
  for (let e = 0; e < count; e++) {
    const { object, warnings } = await b.readObject(e);
    if (warnings.length) problems.push(`${b.name}[${e}]: warnings ${warnings.join("; ")}`);
    const theirs = ref[e] as JsrootAny;
    if (object && isHistogram(object)) {
      const [x, y] = [histogramSummary(object), histogramSummary(theirs)];
      if (JSON.stringify(x) !== JSON.stringify(y)) {
        problems.push(`${b.name}[${e}]: histograms differ`);
      }
      continue;
    }
    for (const k of Object.keys(plain(theirs) as object)) {
      const [x, y] = [plain((object as JsrootAny)?.[k]), plain(theirs[k])];
      if (JSON.stringify(x) !== JSON.stringify(y)) {
        problems.push(
          `${b.name}[${e}].${k}: ours ${JSON.stringify(x)}, JSROOT ${JSON.stringify(y)}`,
        );
      }
    }
  }
  return problems;
}

async function compareTree(
  path: string,
  key: TKey,
  keyPath: string,
): Promise<{ problems: string[]; compared: number }> {
  const problems: string[] = [];
  let compared = 0;
  const file = await RootFile.open(await FileSource.open(path));
  try {
    const tree = await RootTree.open(file, key);
    const jtree = await jsrootTree(await jsrootOpen(path), keyPath, key.fCycle);
    assert.equal(tree.entries, jtree.fEntries);
    problems.push(...tree.warnings.map((w) => `warning: ${w}`));
    const ours = flatten(tree.branches);
    const theirs: JsrootAny[] = jsrootBranches(jtree.fBranches.arr);
    assert.deepEqual(ours.map((b) => b.name), theirs.map((b) => b.fName));
    const step = Math.ceil(ours.length / MAX_BRANCHES);
    for (let i = 0; i < ours.length; i++) {
      const b = ours[i]!;
      const j = theirs[i];
      const diskBaskets = b.baskets.filter((x) => !x.embedded);
      const embedded = j.fBaskets.arr.filter((x: JsrootAny) => x && x.fNevBuf > 0).length;
      const expectedSeeks = Array.from(j.fBasketSeek ?? [], Number).slice(0, j.fWriteBasket);
      if (
        b.entries !== j.fEntries || diskBaskets.length !== j.fWriteBasket ||
        b.baskets.length !== j.fWriteBasket + embedded ||
        JSON.stringify(diskBaskets.map((x) => x.seek)) !== JSON.stringify(expectedSeeks)
      ) {
        problems.push(`${b.name}: entries/baskets differ from JSROOT`);
      }
      const sampled = i % step === 0 || /^(run|luminosityBlock|event)$/.test(b.name);
      if (!sampled || !b.baskets.length || b.valueKind === null) continue;
      if (b.valueKind === "object") {
        compared++;
        problems.push(...await compareObjects(b, jtree, j));
        continue;
      }
      compared++;
      for (const [first, last] of windows(b)) {
        const mine = await ourValues(b, first, last);
        const ref = await jsrootValues(jtree, j, first, last - first);
        if (ref.length !== mine.length) {
          problems.push(`${b.name} [${first}, ${last}): JSROOT read ${ref.length} entries`);
          continue;
        }
        const bad = mine.findIndex((m, e) =>
          JSON.stringify(m) !== JSON.stringify(normalise(ref[e], b, m))
        );
        if (bad >= 0) {
          problems.push(
            `${b.name}[${first + bad}] (${b.leafType}): ours ${
              JSON.stringify(mine[bad]).slice(0, 80)
            }, JSROOT ${JSON.stringify(ref[bad]).slice(0, 80)}`,
          );
        }
      }
    }
  } finally {
    file.close();
  }
  return { problems, compared };
}

/** Files whose trees hold no branch this reader decodes, and why. */
const NOTHING_TO_COMPARE: Record<string, string> = {
  "tree_with_vector_string.root":
    "its only branch is a vector<string>, which readStrings does not decode",
};

const treeFiles = testFiles(["root-trees", "root-histos"]).filter((f) =>
  f.expected.keys.some(([, , cls]) => /^(TTree|TNtuple)$/.test(cls))
);

for (const f of treeFiles) {
  Deno.test(`RootTree.open() reads every tree of ${f.name} like JSROOT (entries, branches, baskets, values)`, async () => {
    const file = await RootFile.open(await FileSource.open(f.path));
    const trees: { path: string; key: TKey }[] = [];
    for await (const { path, key } of file.walk()) {
      if (/^(TTree|TNtuple)$/.test(key.fClassName)) trees.push({ path, key });
    }
    file.close();
    assert.ok(trees.length > 0);
    const problems: string[] = [];
    let compared = 0;
    for (const { path, key } of trees) {
      const found = await compareTree(f.path, key, path);
      problems.push(...found.problems.map((p) => `${path};${key.fCycle} ${p}`));
      compared += found.compared;
    }
    assert.deepEqual(problems.slice(0, 10), []);
    assert.ok(compared > 0 || f.name in NOTHING_TO_COMPARE, "no branch values were compared");
  });
}

Deno.test("RootTree.branch() finds top-level and dotted sub-branch paths", async () => {
  const path = treeFiles.find((f) => f.name === "uproot-small-evnt-tree-fullsplit.root")!.path;
  const file = await RootFile.open(await FileSource.open(path));
  try {
    const tree = await RootTree.open(file, file.top.keys.find((k) => k.fName === "tree")!);
    assert.equal(tree.branch("evt")?.name, "evt");
    assert.equal(tree.branch("evt.I32")?.name, "I32");
    assert.equal(tree.branch("evt.P3.Px")?.name, "P3.Px");
    assert.equal(tree.branch("evt.P3")?.branches.length, 3);
    assert.equal(tree.branch("I32"), undefined);
    assert.equal(tree.branch("evt.nothing"), undefined);
  } finally {
    file.close();
  }
});

Deno.test("RootTree.open() rejects a key that is not a tree", async () => {
  const path = testFiles(["root-histos"]).find((f) => f.name === "TH2_5.root")!.path;
  const file = await RootFile.open(await FileSource.open(path));
  try {
    await assert.rejects(
      RootTree.open(file, file.top.keys[0]!),
      (e: unknown) => e instanceof TypeError && /its class is "TH2F"/.test((e as Error).message),
    );
  } finally {
    file.close();
  }
});
