import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { formatSummary, jsrootSummary } from "./jsroot_dump.ts";
import { TESTDATA_URL as TESTDATA } from "./testdata.ts";

const CATEGORIES = ["dqm-legacy", "root-histos", "root-trees"];

function listRootFiles(): { category: string; name: string }[] {
  const out: { category: string; name: string }[] = [];
  for (const category of CATEGORIES) {
    try {
      for (const e of Deno.readDirSync(new URL(`${category}/`, TESTDATA))) {
        if (e.isFile && e.name.endsWith(".root")) out.push({ category, name: e.name });
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const files = listRootFiles();

Deno.test("jsrootSummary() finds the 49 shared test files", () => {
  strictEqual(files.length, 49, `found ${files.length} files under ${TESTDATA.pathname}`);
});

for (const { category, name } of files) {
  Deno.test(`jsrootSummary() reproduces expected/${name.replace(/\.root$/, ".json")}`, async () => {
    const bytes = await Deno.readFile(new URL(`${category}/${name}`, TESTDATA));
    const expectedText = await Deno.readTextFile(
      new URL(`expected/${name.replace(/\.root$/, ".json")}`, TESTDATA),
    );
    const summary = await jsrootSummary(bytes, name);
    deepStrictEqual(JSON.parse(JSON.stringify(summary)), JSON.parse(expectedText));
    strictEqual(formatSummary(summary), expectedText);
  });
}
