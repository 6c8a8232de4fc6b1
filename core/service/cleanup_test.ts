import assert from "node:assert/strict";
import { Store } from "../store/mod.ts";
import { cleanupSnapshots } from "./cleanup.ts";
import { DataRoots } from "./data_roots.ts";

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "cleanup-test-" });
  const roots = await DataRoots.create([`${dir}/pb`]);
  const store = Store.open(`${dir}/state.sqlite`);
  const file = async (name: string) => {
    const path = `${dir}/pb/${name}`;
    await Deno.writeTextFile(path, "snapshot");
    return path;
  };
  return { dir, roots, store, file };
}

const exists = async (path: string) => await Deno.stat(path).then(() => true, () => false);

Deno.test("cleanupSnapshots() deletes replaced snapshots after the grace period, never registered or archive files", async () => {
  const { dir, roots, store, file } = await setup();
  try {
    const live = { dataset: "/Global/Online/ALL", run: 355100, lumi: 0 };
    const [a, b, c, d] = [
      await file("run355100_a.pb"),
      await file("run355100_b.pb"),
      await file("run355100_c.pb"),
      await file("run355101_a.pb"),
    ];
    const root = await file("DQM_V0001_R000355100__Global__Online__ALL.root");
    store.register([{ ...live, file: a, fileformat: 3 }]);
    store.register([{ ...live, file: b, fileformat: 3 }]);
    store.register([{ ...live, file: c, fileformat: 3 }]);
    store.register([{ ...live, run: 355101, file: d, fileformat: 3 }]);
    store.register([{ ...live, run: 1, file: root, fileformat: 1 }]);
    const lines: string[] = [];
    const early = await cleanupSnapshots(store, roots, {
      graceMs: 600_000,
      log: (l) => lines.push(l),
    });
    assert.deepEqual(early.deleted, []);
    const report = await cleanupSnapshots(store, roots, {
      graceMs: 0,
      now: () => Date.now() + 1,
      log: (l) => lines.push(l),
    });
    assert.deepEqual(report.deleted.sort(), [a, b].sort());
    assert.deepEqual([
      await exists(a),
      await exists(b),
      await exists(c),
      await exists(d),
      await exists(root),
    ], [false, false, true, true, true]);
    assert.equal(lines.filter((l) => l.startsWith("Cleanup: deleted")).length, 2);
    const again = await cleanupSnapshots(store, roots, {
      graceMs: 0,
      now: () => Date.now() + 1,
      log: () => {},
    });
    assert.deepEqual(again.deleted, []);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cleanupSnapshots() in a dry run deletes nothing; files outside the roots or not .pb are refused", async () => {
  const { dir, roots, store, file } = await setup();
  const outside = await Deno.makeTempDir();
  try {
    const live = { dataset: "/Global/Online/ALL", run: 7, lumi: 0 };
    const a = await file("a.pb");
    const odd = await file("odd.dat");
    const far = `${outside}/far.pb`;
    await Deno.writeTextFile(far, "x");
    store.register([{ ...live, file: a, fileformat: 3 }]);
    store.register([{ ...live, file: odd, fileformat: 3 }]);
    store.register([{ ...live, file: far, fileformat: 3 }]);
    store.register([{ ...live, file: await file("current.pb"), fileformat: 3 }]);
    const dry = await cleanupSnapshots(store, roots, {
      graceMs: 0,
      now: () => Date.now() + 1,
      dryRun: true,
      log: () => {},
    });
    assert.deepEqual(dry.deleted, [a]);
    assert.equal(await exists(a), true);
    const real = await cleanupSnapshots(store, roots, {
      graceMs: 0,
      now: () => Date.now() + 1,
      log: () => {},
    });
    assert.deepEqual(real.deleted, [a]);
    assert.deepEqual(real.refused.sort(), [far, odd].sort());
    assert.deepEqual([await exists(odd), await exists(far)], [true, true]);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
