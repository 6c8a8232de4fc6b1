import assert from "node:assert/strict";
import { FileSource, MemorySource, RootFile, RootFormatError } from "./mod.ts";
import { diff, summarise } from "../../tests/support/root_summary.ts";
import { testFiles } from "../../tests/support/testdata.ts";

// The reference dump writes key paths without double quotes (a TObjString key
// named "CMSSW_2_1_9" with quotes appears as CMSSW_2_1_9); object values keep them.
const unquote = (s: string) => s.replaceAll('"', "");

for (const file of testFiles()) {
  Deno.test(`RootFile.walk() lists every key of ${file.name} as JSROOT does`, async () => {
    const root = await RootFile.open(await FileSource.open(file.path));
    try {
      const keys: [string, number, string][] = [];
      for await (const { path, key } of root.walk()) {
        keys.push([unquote(path), key.fCycle, key.fClassName]);
      }
      assert.deepEqual(keys, file.expected.keys);
      assert.equal(root.header.fVersion, file.expected.version);
      assert.equal(root.header.fCompress, file.expected.compression);
    } finally {
      root.close();
    }
  });

  Deno.test(`RootFile.readObject() decodes ${file.name} like JSROOT`, async () => {
    const root = await RootFile.open(await FileSource.open(file.path));
    try {
      const byName = new Map<string, Awaited<ReturnType<RootFile["readKeyAt"]>>>();
      for await (const { path, key } of root.walk()) {
        byName.set(`${unquote(path)};${key.fCycle}`, key);
      }
      const problems: string[] = [];
      for (const [name, expected] of Object.entries(file.expected.objects)) {
        const key = byName.get(name);
        if (!key) {
          problems.push(`${name}: key not found`);
          continue;
        }
        const { object, warnings } = await root.readObject(key);
        if (warnings.length) problems.push(`${name}: warnings ${warnings.join("; ")}`);
        const summary = summarise(object);
        problems.push(...diff(summary, expected, 1e-9, name));
      }
      assert.deepEqual(problems.slice(0, 20), []);
      // Streamer infos decode in every compression the file uses (XZ, ZS, L4 included).
      const streamers = await root.streamers();
      assert.ok(streamers.size > 0 || root.streamerInfoKey === null);
    } finally {
      root.close();
    }
  });
}

Deno.test("RootFile.open() reads the same keys from a MemorySource and a FileSource", async () => {
  const path = testFiles(["root-histos"]).find((f) => f.name === "tdir_complicated.root")!.path;
  const fromMemory = await RootFile.open(new MemorySource(await Deno.readFile(path), path));
  const fromFile = await RootFile.open(await FileSource.open(path));
  const list = async (f: RootFile) => {
    const out: string[] = [];
    for await (const e of f.walk()) out.push(`${e.path};${e.key.fCycle}@${e.key.fSeekKey}`);
    return out;
  };
  assert.deepEqual(await list(fromMemory), await list(fromFile));
  fromFile.close();
});

Deno.test("RootFile.open() rejects a file without the root magic", async () => {
  await assert.rejects(
    RootFile.open(new MemorySource(new TextEncoder().encode("not a root file at all"), "x.root")),
    (e: unknown) =>
      e instanceof RootFormatError && /missing "root" magic/.test(e.message) &&
      e.filePath === "x.root",
  );
});

Deno.test("RootFile.readKeyAt() rejects a key that does not point to itself", async () => {
  const path = testFiles(["root-histos"]).find((f) => f.name === "TH2_5.root")!.path;
  const root = await RootFile.open(await FileSource.open(path));
  try {
    const key = root.top.keys[0]!;
    await assert.rejects(root.readKeyAt(key.fSeekKey + 1), RootFormatError);
    assert.equal((await root.readKeyAt(key.fSeekKey)).fName, key.fName);
  } finally {
    root.close();
  }
});
