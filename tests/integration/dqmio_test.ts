import assert from "node:assert/strict";
import { parse } from "jsroot";
import { runImportJob } from "../../core/importers/import_job.ts";
import { RootFormatError } from "../../core/root/mod.ts";
import { DQMIO_TREES, writeDqmioFile } from "../../core/writer/mod.ts";
import { type AppFixture, startApp } from "../support/app_fixture.ts";
import { histogramSummary } from "../support/jsroot_dump.ts";
import { type JsrootAny, jsrootOpen, jsrootValues } from "../support/jsroot_tree.ts";
import { diff } from "../support/root_summary.ts";

const RUN = 355100;
const DATASET = "/DQMIO/Test-v1/DQMIO";
// The tree names and their order (the DQMIO Type enum) as the writer has them, independent of the importer's table.
const TREES: readonly string[] = DQMIO_TREES;
const KINDS = ["Int", "Float", "String", ...TREES.slice(3).map((t) => t.slice(0, -1))];

interface Expected {
  kind: string;
  value?: string;
  type: number;
  entry: number;
}

/** What JSROOT reads from a DQMIO file: per "run:lumi", path → kind and scalar value. */
async function jsrootReading(
  path: string,
): Promise<{ samples: Map<string, Map<string, Expected>>; file: JsrootAny }> {
  const file = await jsrootOpen(path);
  const indices = await file.readObject("Indices");
  const column = async (name: string) =>
    await jsrootValues(
      indices,
      indices.fBranches.arr.find((b: JsrootAny) => b.fName === name),
    ) as number[];
  const [run, lumi, type, first, last] = await Promise.all(
    ["Run", "Lumi", "Type", "FirstIndex", "LastIndex"].map(column),
  );
  const trees = new Map<number, { names: string[]; values: unknown[] }>();
  const samples = new Map<string, Map<string, Expected>>();
  for (let i = 0; i < run!.length; i++) {
    const t = type![i]!;
    const key = `${run![i]}:${lumi![i]}`;
    const mes = samples.get(key) ?? new Map<string, Expected>();
    samples.set(key, mes);
    if (t === 1000) continue;
    let tree = trees.get(t);
    if (!tree) {
      const obj = await file.readObject(TREES[t]!);
      const branch = (name: string) => obj.fBranches.arr.find((b: JsrootAny) => b.fName === name);
      tree = {
        names: await jsrootValues(obj, branch("FullName")) as string[],
        values: t <= 2 ? await jsrootValues(obj, branch("Value")) : [],
      };
      trees.set(t, tree);
    }
    for (let e = Number(first![i]); e <= Number(last![i]); e++) {
      const v = tree.values[e];
      mes.set(tree.names[e]!, {
        kind: KINDS[t]!,
        type: t,
        entry: e,
        value: t <= 2 ? String(v) : undefined,
      });
    }
  }
  return { samples, file };
}

/** Our server's listing of one sample: path → kind and value. */
async function serverListing(
  t: AppFixture,
  run: number,
  lumi: number,
): Promise<Map<string, { kind: string; value?: string }>> {
  const out = new Map<string, { kind: string; value?: string }>();
  const walk = async (folder: string) => {
    const { status, body } = await t.getJson(`/api/v1/archive/${run}:${lumi}${DATASET}/${folder}`);
    assert.equal(status, 200, `${run}:${lumi} ${folder}`);
    for (const e of body.data) {
      if (e.subdir !== undefined) await walk(`${folder}${encodeURIComponent(e.subdir)}/`);
      else {out.set(
          e.path,
          e.value === undefined ? { kind: e.kind } : { kind: e.kind, value: e.value },
        );}
    }
  };
  await walk("");
  return out;
}

const dir = await Deno.makeTempDir({ prefix: "dqmio-test-" });
const { bytes } = writeDqmioFile({
  run: RUN,
  lumis: 50,
  mesPerLumi: 2000,
  perRunMEs: 2000,
  basketSize: 16000,
  seed: 3,
});
const bigFile = `${dir}/DQM_big.root`;
await Deno.writeFile(bigFile, bytes);
const reference = await jsrootReading(bigFile);

Deno.test("a 50-lumisection x 2,000-ME DQMIO file with all 14 types reads the same in JSROOT and in our server", async () => {
  const t = await startApp({ renderers: 1 });
  try {
    await Deno.copyFile(bigFile, `${t.root}/big.root`);
    const reg = await t.register([{
      dataset: DATASET,
      run: RUN,
      lumi: -1,
      file: `${t.root}/big.root`,
      fileformat: 2,
    }]);
    assert.equal(reg.status, 201);
    assert.deepEqual((await reg.json()).registered, reference.samples.size);
    const lumis = (await t.getJson(`/api/v1/lumis/${RUN}${DATASET}`)).body;
    assert.deepEqual(
      lumis,
      [...reference.samples.keys()].map((k) => Number(k.split(":")[1])).sort((a, b) => a - b),
    );
    const kinds = new Set<string>();
    for (const [key, expected] of reference.samples) {
      const [run, lumi] = key.split(":").map(Number) as [number, number];
      if (expected.size === 0) {
        assert.equal(
          (await t.getJson(`/api/v1/archive/${run}:${lumi}${DATASET}/`)).status,
          404,
          key,
        );
        continue;
      }
      const ours = await serverListing(t, run, lumi);
      assert.equal(ours.size, expected.size, key);
      for (const [path, e] of expected) {
        const got = ours.get(path);
        assert.ok(got, `${key} ${path} missing`);
        assert.equal(got.kind, e.kind, `${key} ${path}`);
        kinds.add(got.kind);
        if (e.kind === "Float") assert.equal(Number(got.value), Number(e.value), `${key} ${path}`);
        else if (e.value !== undefined) assert.equal(got.value, e.value, `${key} ${path}`);
      }
    }
    assert.equal(kinds.size, 14);
  } finally {
    await t.close();
  }
});

Deno.test("DQMIO histograms served by /api/v1/json and drawn by /api/v1/render match JSROOT's reading of their entries", async () => {
  const t = await startApp({ renderers: 1 });
  try {
    await Deno.copyFile(bigFile, `${t.root}/big.root`);
    await t.register([{
      dataset: DATASET,
      run: RUN,
      lumi: -1,
      file: `${t.root}/big.root`,
      fileformat: 2,
    }]);
    const objectTrees = new Map<number, JsrootAny>();
    const problems: string[] = [];
    let checked = 0;
    for (const [key, mes] of reference.samples) {
      const lumi = Number(key.split(":")[1]);
      let i = 0;
      for (const [path, e] of mes) {
        // Every object ME of lumis 0 and 1, and a spread of the others.
        if (e.type <= 2 || (lumi > 1 && i++ % 53 !== 0)) continue;
        let tree = objectTrees.get(e.type);
        if (!tree) objectTrees.set(e.type, tree = await reference.file.readObject(TREES[e.type]!));
        const value = tree.fBranches.arr.find((b: JsrootAny) => b.fName === "Value");
        const [jsrootObject] = await jsrootValues(tree, value, e.entry, 1) as JsrootAny[];
        const res = await t.app.request(
          `/api/v1/json/${RUN}:${lumi}${DATASET}/${
            path.split("/").map(encodeURIComponent).join("/")
          }`,
        );
        const ours = parse(await res.text());
        problems.push(
          ...diff(histogramSummary(ours), histogramSummary(jsrootObject), 1e-9, `${key} ${path}`),
        );
        checked++;
      }
    }
    assert.deepEqual(problems.slice(0, 10), []);
    assert.ok(checked > 2000, `${checked} objects checked`);
    const some = [...reference.samples.get(`${RUN}:1`)!].find(([, e]) => e.kind === "TH2F")![0];
    const png = await t.app.request(`/api/v1/render/${RUN}:1${DATASET}/${some}?w=300&h=200`);
    assert.equal(png.status, 200);
    const head = new Uint8Array(await png.arrayBuffer());
    assert.equal(new DataView(head.buffer).getUint32(16), 300);
  } finally {
    await t.close();
  }
});

Deno.test("DQMIO files read back in every compression, with multi-basket branches", async () => {
  for (const compression of ["zlib", "lzma", "lz4", "zstd", "none"] as const) {
    const small = writeDqmioFile({
      run: 7,
      lumis: 3,
      mesPerLumi: 300,
      perRunMEs: 300,
      basketSize: 4000,
      compression,
      seed: 5,
    });
    const path = `${dir}/small_${compression}.root`;
    await Deno.writeFile(path, small.bytes);
    const multi = small.manifest.trees.flatMap((t) => t.branches).filter((b) => b.baskets > 1);
    assert.ok(multi.length > 5, `${compression}: only ${multi.length} multi-basket branches`);
    const jsroot = await jsrootReading(path);
    for (const [key, expected] of jsroot.samples) {
      const [run, lumi] = key.split(":").map(Number) as [number, number];
      const out = await runImportJob({ file: path, fileformat: 2, dataset: DATASET, run, lumi });
      const { decodeMEList } = await import("../../core/store/mod.ts");
      const encoded = out.lists.get(key)!;
      const list = decodeMEList(encoded.names, encoded.infos);
      assert.equal(list.count, expected.size, `${compression} ${key}`);
      for (let i = 0; i < list.count; i++) {
        const e = expected.get(list.path(i))!;
        assert.equal(list.kind(i), e.kind, `${compression} ${key} ${list.path(i)}`);
        if (e.kind === "Float") assert.equal(Number(list.value(i)), Number(e.value));
        else if (e.value !== undefined) assert.equal(list.value(i), e.value);
      }
    }
  }
});

Deno.test("dqmIoImporter on truncated and bit-flipped DQMIO files throws RootFormatError or imports, nothing else", async () => {
  const small = writeDqmioFile({
    run: 7,
    lumis: 2,
    mesPerLumi: 200,
    perRunMEs: 100,
    basketSize: 3000,
    seed: 9,
  });
  const problems: string[] = [];
  let failed = 0;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const variants: Uint8Array[] = [];
  for (const frac of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.999]) {
    variants.push(small.bytes.slice(0, Math.floor(small.bytes.length * frac)));
  }
  for (let i = 0; i < 40; i++) {
    const copy = small.bytes.slice();
    const at = i < 20
      ? Math.floor(copy.length - 1 - rand() * 20000)
      : Math.floor(rand() * copy.length);
    copy[at] = copy[at]! ^ (1 + Math.floor(rand() * 255));
    variants.push(copy);
  }
  for (const [i, v] of variants.entries()) {
    const path = `${dir}/corrupt_${i}.root`;
    await Deno.writeFile(path, v);
    for (const lumi of [1, 0]) {
      try {
        await runImportJob({ file: path, fileformat: 2, dataset: DATASET, run: 7, lumi });
      } catch (error) {
        if (error instanceof RootFormatError) failed++;
        else {problems.push(
            `variant ${i} lumi ${lumi}: ${(error as Error).name}: ${(error as Error).message}`,
          );}
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(failed > 10);
});

Deno.test("GET /api/v1/archive imports different lumisections of one DQMIO file concurrently", async () => {
  const t = await startApp();
  try {
    await Deno.copyFile(bigFile, `${t.root}/big.root`);
    await t.register([{
      dataset: DATASET,
      run: RUN,
      lumi: -1,
      file: `${t.root}/big.root`,
      fileformat: 2,
    }]);
    const responses = await Promise.all(
      Array.from(
        { length: 12 },
        (_, i) => t.app.request(`/api/v1/archive/${RUN}:${i + 1}${DATASET}/`),
      ),
    );
    const statuses = await Promise.all(
      responses.map(async (r) => (await r.body?.cancel(), r.status)),
    );
    assert.deepEqual(statuses, new Array(12).fill(200));
  } finally {
    await t.close();
  }
});

Deno.test("POST /api/v1/register refuses lumi -1 for non-DQMIO files (400)", async () => {
  const t = await startApp();
  try {
    await Deno.copyFile(bigFile, `${t.root}/big.root`);
    const res = await t.register([{
      dataset: DATASET,
      run: RUN,
      lumi: -1,
      file: `${t.root}/big.root`,
      fileformat: 1,
    }]);
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /lumi -1/);
  } finally {
    await t.close();
  }
});

Deno.test({
  name: "dqmio test data cleanup",
  fn: async () => {
    await Deno.remove(dir, { recursive: true });
  },
});
