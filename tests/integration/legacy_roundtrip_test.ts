import assert from "node:assert/strict";
import { dqmClassicImporter } from "../../core/importers/mod.ts";
import { MemorySource, RootFile } from "../../core/root/mod.ts";
import { generateMEs, type LegacyME, writeLegacyDqmFile } from "../../core/writer/mod.ts";
import { jsrootSummary } from "../support/jsroot_dump.ts";
import { diff, summarise } from "../support/root_summary.ts";

const RUN = 355100;
const mes: LegacyME[] = generateMEs({ count: 1500, seed: 42, run: RUN });
const bytes = writeLegacyDqmFile({ run: RUN, mes });

Deno.test("RootFile reads a generated legacy file exactly as JSROOT does", async () => {
  const reference = await jsrootSummary(bytes, "generated.root");
  const file = await RootFile.open(new MemorySource(bytes, "generated.root"));
  const keys: [string, number, string][] = [];
  const problems: string[] = [];
  for await (const { path, key } of file.walk()) {
    keys.push([path, key.fCycle, key.fClassName]);
    const expected = reference.objects[`${path};${key.fCycle}`];
    if (expected) {
      const { object, warnings } = await file.readObject(key);
      problems.push(...warnings, ...diff(summarise(object), expected, 1e-9, path));
    }
  }
  assert.deepEqual(keys, reference.keys);
  assert.deepEqual(problems, []);
  assert.ok(Object.keys(reference.objects).length > 1500);
});

Deno.test("dqmClassicImporter imports every generated ME with its value, quality tests and efficiency flag", async () => {
  const result = await dqmClassicImporter.importFile(new MemorySource(bytes, "generated.root"), {
    dataset: "/A/B/C",
    run: RUN,
    lumi: 0,
  });
  assert.deepEqual(result.warnings, []);
  const entries = new Map(result.lists.get(`${RUN}:0`)!.map((e) => [e.path, e]));
  assert.equal(entries.size, mes.length);
  let withQTests = 0;
  let efficiency = 0;
  for (const me of mes) {
    const entry = entries.get(me.path);
    assert.ok(entry, me.path);
    const value = me.value as { kind?: string; value?: unknown; _typename?: string };
    if (value.kind) {
      assert.equal(entry.kind, value.kind);
      const text = String(value.value);
      assert.ok(
        value.kind === "Float" ? Number(entry.value) === value.value : entry.value === text,
        me.path,
      );
    } else {
      assert.equal(entry.kind, value._typename);
    }
    assert.equal(entry.efficiency ?? false, me.efficiency ?? false, me.path);
    const sortByName = <T extends { name: string }>(q: T[] = []) =>
      [...q].sort((a, b) => a.name < b.name ? -1 : 1);
    assert.deepEqual(
      sortByName(entry.qtests).map((q) => [q.name, q.status, q.algorithm, q.message]),
      sortByName(me.qtests).map((q) => [q.name, q.status, q.algorithm, q.message]),
    );
    if (me.qtests?.length) withQTests++;
    if (me.efficiency) efficiency++;
  }
  assert.ok(
    withQTests > 10 && efficiency > 5,
    `${withQTests} with qtests, ${efficiency} efficiency plots`,
  );
});
