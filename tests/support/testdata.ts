/**
 * @module
 * Test support: locate the shared real-file test data (`../shared/testdata`
 * beside the project root) and its JSROOT readings. The files are read in
 * place and never copied into the repository.
 */

/** Absolute path of `../shared/testdata`. */
export const TESTDATA_DIR = new URL("../../../shared/testdata/", import.meta.url).pathname;

/** Sub-folders holding ROOT files. */
export const TESTDATA_GROUPS = ["dqm-legacy", "root-histos", "root-trees"] as const;

/** One test file with its expected reading. */
export interface TestFile {
  /** Group folder. */
  group: string;
  /** File name, e.g. "TH2_5.root". */
  name: string;
  /** Absolute path. */
  path: string;
  /** Parsed `expected/<name>.json`. */
  expected: ExpectedFile;
}

/** Shape of `expected/*.json`. */
export interface ExpectedFile {
  file: string;
  reader: string;
  version: number;
  compression: number;
  keys: [string, number, string][];
  objects: Record<string, Record<string, unknown>>;
}

/**
 * Every ROOT file of the shared test data, with its expected reading.
 *
 * @param groups folders to include
 * @returns the files, sorted by group then name
 */
export function testFiles(groups: readonly string[] = TESTDATA_GROUPS): TestFile[] {
  const out: TestFile[] = [];
  for (const group of groups) {
    const names = [...Deno.readDirSync(TESTDATA_DIR + group)]
      .filter((e) => e.isFile && e.name.endsWith(".root"))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const expectedPath = `${TESTDATA_DIR}expected/${name.replace(/\.root$/, ".json")}`;
      out.push({
        group,
        name,
        path: `${TESTDATA_DIR}${group}/${name}`,
        expected: JSON.parse(Deno.readTextFileSync(expectedPath)),
      });
    }
  }
  return out;
}
