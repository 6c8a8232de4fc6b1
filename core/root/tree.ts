/**
 * @module
 * TTree reading, as far as DQMIO needs it: open a tree from its key, list its
 * branches and read their entries (spec/formats.md §2, §3.2). The TTree
 * record is decoded by the class table — the file's streamer infos for
 * TTree, TBranch (v10+), TBranchElement, TBranchObject and the TLeaf family,
 * hand-written readers for what has a custom streamer (embedded TBasket, old
 * TBranch, TObjArray) — and then checked and turned into `RootBranch`es that
 * read baskets with positioned reads.
 */

import { RootBranch } from "./branch.ts";
import { treeBranches } from "./_branch_model.ts";
import type { TKey } from "./directory.ts";
import { RootFormatError } from "./errors.ts";
import type { RootFile } from "./file.ts";

/** Classes whose keys hold a TTree (TNtuple and TNtupleD derive from it). */
const TREE_CLASSES = /^(TTree|TNtuple|TNtupleD)$/;

/**
 * A TTree read from a ROOT file.
 *
 * @example Read the run numbers of a NanoAOD tree
 * ```ts
 * import { FileSource, RootFile, RootTree } from "./mod.ts";
 * import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
 * const file = await RootFile.open(
 *   await FileSource.open(`${TESTDATA_DIR}root-trees/nanoAOD_2015_CMS_Open_Data_ttbar.root`),
 * );
 * const tree = await RootTree.open(file, file.top.keys.find((k) => k.fName === "Events")!);
 * const runs = await tree.branch("run")!.readNumbers(0, 3);
 * if (tree.entries !== 200 || runs.length !== 3) throw new Error("unexpected tree");
 * file.close();
 * ```
 */
export class RootTree {
  /** Tree name (fName). */
  readonly name: string;
  /** Tree title (fTitle). */
  readonly title: string;
  /** Number of entries (fEntries). */
  readonly entries: number;
  /** Top-level branches; split branches have sub-branches in `branches`. */
  readonly branches: RootBranch[];
  /** Recoverable problems met while decoding the TTree record (resyncs, skipped members). */
  readonly warnings: string[];

  private constructor(
    name: string,
    title: string,
    entries: number,
    branches: RootBranch[],
    warnings: string[],
  ) {
    // private: trees are built by the async open(), which decodes and checks the record.
    this.name = name;
    this.title = title;
    this.entries = entries;
    this.branches = branches;
    this.warnings = warnings;
  }

  /**
   * Decode the TTree stored under a key.
   *
   * @param file the file
   * @param key a key of class TTree (or TNtuple)
   * @returns the tree
   */
  static async open(file: RootFile, key: TKey): Promise<RootTree> {
    const where = { filePath: file.name, offset: key.fSeekKey };
    if (!TREE_CLASSES.test(key.fClassName)) {
      throw new TypeError(
        `Cannot open "${key.fName}" in "${file.name}" as a tree: its class is "${key.fClassName}"`,
      );
    }
    const { object, warnings } = await file.readObject(key);
    if ((object as { _unknown?: boolean })._unknown) {
      throw new RootFormatError(
        `Cannot read tree "${key.fName}"`,
        `"${key.fClassName}" v${object.version} has no reader or streamer info`,
        where,
      );
    }
    const entries = Number(object.fEntries);
    if (!Number.isSafeInteger(entries) || entries < 0) {
      throw new RootFormatError(`Cannot read tree "${key.fName}"`, `fEntries is ${entries}`, where);
    }
    const streamers = await file.streamers();
    const branches = treeBranches(object, where).map((b) => new RootBranch(file, streamers, b));
    return new RootTree(
      String(object.fName ?? key.fName),
      String(object.fTitle ?? ""),
      entries,
      branches,
      warnings,
    );
  }

  /**
   * Find a branch by name: "Value", or "parent.child" for a sub-branch (also
   * when ROOT already prefixed the sub-branch's own name, as in "P3.Px").
   *
   * @param path branch name or dotted path
   * @returns the branch, or undefined
   */
  branch(path: string): RootBranch | undefined {
    return findBranch(this.branches, path, "");
  }
}

function findBranch(list: RootBranch[], rest: string, parent: string): RootBranch | undefined {
  for (const b of list) {
    if (b.name === rest || (parent && b.name === `${parent}.${rest}`)) return b;
  }
  for (const b of list) {
    const own = parent && b.name.startsWith(`${parent}.`)
      ? b.name.slice(parent.length + 1)
      : b.name;
    if (rest.startsWith(`${own}.`)) {
      const found = findBranch(b.branches, rest.slice(own.length + 1), b.name);
      if (found) return found;
    }
  }
  return undefined;
}
