/**
 * @module
 * Test support: JSROOT (the ROOT team's JavaScript reader) as the independent
 * reference for TTree reading. Imported only by the tree tests; not part of
 * the public API (it pulls in `jsroot`).
 */

import { openFile } from "jsroot/io";
import { treeProcess, TSelector } from "jsroot/tree";

// JSROOT ships no types for its decoded objects.
// deno-lint-ignore no-explicit-any
export type JsrootAny = any;

/**
 * Open a file with JSROOT.
 *
 * @param path file path
 * @returns JSROOT's file object
 */
export function jsrootOpen(path: string): Promise<JsrootAny> {
  return openFile(path);
}

/**
 * Read a TTree with JSROOT.
 *
 * @param file JSROOT file
 * @param path key path ("dir/name")
 * @param cycle key cycle
 * @returns JSROOT's TTree object
 */
export function jsrootTree(file: JsrootAny, path: string, cycle: number): Promise<JsrootAny> {
  return file.readObject(path, cycle);
}

/**
 * Every branch of a JSROOT tree, depth first (sub-branches before the
 * next sibling), the order `RootTree` lists them in.
 *
 * @param branches a JSROOT `fBranches.arr`
 * @returns the branches
 */
export function jsrootBranches(branches: JsrootAny[]): JsrootAny[] {
  return branches.flatMap((b) => [b, ...jsrootBranches(b.fBranches.arr)]);
}

/**
 * Read the value of one branch for entries `[first, first + count)` with
 * `treeProcess` and a TSelector.
 *
 * @param tree JSROOT tree
 * @param branch JSROOT branch object
 * @param first first entry
 * @param count number of entries
 * @returns one value per entry (numbers, arrays, strings or objects, as JSROOT reads them)
 */
export async function jsrootValues(
  tree: JsrootAny,
  branch: JsrootAny,
  first = 0,
  count?: number,
): Promise<unknown[]> {
  const selector = new TSelector();
  selector.addBranch(branch, "v");
  const values: unknown[] = [];
  selector.Process = function (this: JsrootAny) {
    const v = this.tgtobj.v;
    values.push(
      ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<number>)
        : Array.isArray(v)
        ? [...v]
        : v,
    );
  };
  const args: Record<string, number> = { firstentry: first };
  if (count !== undefined) args.numentries = count;
  await treeProcess(tree, selector, args);
  return values;
}
