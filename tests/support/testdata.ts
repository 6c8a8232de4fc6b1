/**
 * @module
 * Test support: locate the shared real-file test data (`../shared/testdata`
 * beside the project root) and its JSROOT readings. The files are read in
 * place and never copied into the repository.
 */

/**
 * Where the shared test data is: `$DQMGUI_TESTDATA` when set, else the first
 * `shared/testdata` found beside the project root or beside one of its
 * ancestors (a fresh clone in a temporary directory still finds the machine's
 * copy), else `/work/shared/testdata`.
 */
function findTestdata(): string {
  const fromEnv = Deno.env.get("DQMGUI_TESTDATA");
  const candidates = fromEnv ? [fromEnv] : [];
  let dir = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
  while (dir) {
    candidates.push(`${dir.slice(0, dir.lastIndexOf("/"))}/shared/testdata`);
    dir = dir.slice(0, dir.lastIndexOf("/"));
  }
  candidates.push("/work/shared/testdata");
  for (const c of candidates) {
    try {
      if (Deno.statSync(`${c}/expected`).isDirectory) return c.replace(/\/?$/, "/");
    } catch {
      // not here; try the next place
    }
  }
  throw new Error(
    `Cannot find the shared test data: looked in ${candidates.join(", ")}; set DQMGUI_TESTDATA`,
  );
}

/** Absolute path of the shared test data, with a trailing slash. */
export const TESTDATA_DIR: string = findTestdata();

/** The same as a file URL. */
export const TESTDATA_URL: URL = new URL(`file://${TESTDATA_DIR}`);

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
