/**
 * @module
 * Writes a TTree into a {@link TFileWriter} as ROOT does: `fill()` appends
 * one entry to every branch, and a branch whose basket is full writes it at
 * once (spec `formats.md` §2.3), so baskets of different branches and trees
 * interleave in the file in fill order, as in files CMSSW writes; then
 * `finish()` flushes the last baskets (`TTree::FlushBaskets`) and writes
 * the TTree record in its directory (`TTree::Write`), listing its classes
 * for the StreamerInfo record.
 *
 * This module is browser compatible.
 */

import { buildBasketRecord } from "./basket.ts";
import { type BasketSink, type BranchSpec, BranchWriter, type EntryValue } from "./branch.ts";
import { compressionSetting } from "./compression.ts";
import { TREE_CLASSES, writeTTree } from "./_tree_streamers.ts";
import type { DirectoryHandle, KeyInfo, TFileWriter } from "./tfile_writer.ts";

export type { BranchSpec, EntryValue, LeafType } from "./branch.ts";

/** Default fBasketSize of `TTree::Branch` (32000 bytes). */
export const DEFAULT_BASKET_SIZE = 32000;

/** Summary of a finished tree. */
export interface TreeSummary {
  name: string;
  entries: number;
  /** Offset of the TTree key. */
  seekKey: number;
  /** Per branch: number of baskets written (fWriteBasket) and their entry boundaries. */
  branches: { name: string; baskets: number; basketEntry: number[] }[];
}

/**
 * A tree being filled.
 *
 * @example A two-branch tree with one entry
 * ```ts
 * import { TFileWriter } from "./tfile_writer.ts";
 * import { TreeWriter } from "./ttree.ts";
 *
 * const f = new TFileWriter();
 * const t = new TreeWriter(f, f.root, "Indices", [
 *   { kind: "leaf", name: "Run", type: "i" },
 *   { kind: "string", name: "Tag" },
 * ]);
 * t.fill([123456, "hello"]);
 * const summary = t.finish();
 * if (summary.entries !== 1 || summary.branches[0]!.baskets !== 1) throw new Error("bad tree");
 * f.close();
 * ```
 */
export class TreeWriter {
  /** Tree name (and key name). */
  readonly name: string;
  /** Tree title. */
  readonly title: string;
  readonly #file: TFileWriter;
  readonly #dir: DirectoryHandle;
  readonly #branches: BranchWriter[];
  #entries = 0;
  #finished = false;

  /**
   * @param file the file the baskets and the tree go to
   * @param dir the tree's directory
   * @param name tree name; the title is the same, as CMSSW names its trees
   * @param branches the branches, in order
   * @param basketSize fBasketSize per branch (default {@link DEFAULT_BASKET_SIZE})
   */
  constructor(
    file: TFileWriter,
    dir: DirectoryHandle,
    name: string,
    branches: readonly BranchSpec[],
    basketSize: (spec: BranchSpec) => number = () => DEFAULT_BASKET_SIZE,
  ) {
    this.name = name;
    this.title = name;
    this.#file = file;
    this.#dir = dir;
    const sink: BasketSink = (content) => {
      let keyLen = 0;
      let objLen = 0;
      const { seekKey, nbytes } = file.appendRecord(dir, (place) => {
        const built = buildBasketRecord(place, content, file.compression);
        keyLen = built.keyLen;
        objLen = built.objLen;
        return built.record;
      });
      return { seekKey, nbytes, keyLen, objLen };
    };
    this.#branches = branches.map((s) => new BranchWriter(s, name, basketSize(s), sink));
  }

  /** Entries filled so far. */
  get entries(): number {
    return this.#entries;
  }

  /**
   * Appends one entry: `values[i]` goes to branch `i`.
   *
   * @param values one value per branch
   * @throws {TypeError} when the number of values does not match the branches
   */
  fill(values: readonly EntryValue[]): void {
    const branches = this.#branches;
    if (values.length !== branches.length) {
      throw new TypeError(
        `Cannot fill tree "${this.name}": ${values.length} values for ${branches.length} branches`,
      );
    }
    for (let i = 0; i < branches.length; i++) branches[i]!.fill(values[i]!);
    this.#entries++;
  }

  /**
   * Writes the remaining baskets and the TTree record.
   *
   * @returns what was written
   */
  finish(): TreeSummary {
    if (this.#finished) throw new TypeError(`Cannot finish tree "${this.name}" twice`);
    this.#finished = true;
    for (const b of this.#branches) b.flush();
    const file = this.#file;
    const classes = new Set(TREE_CLASSES);
    for (const b of this.#branches) {
      if (b.spec.kind === "object") classes.add(b.spec.className);
      for (const c of b.taggedClasses) classes.add(c);
    }
    file.declareClasses(classes);
    const key: KeyInfo = file.putPayload(
      this.#dir,
      { className: "TTree", name: this.name, title: this.title },
      (w) =>
        writeTTree(w, {
          name: this.name,
          title: this.title,
          entries: this.#entries,
          branches: this.#branches,
          compress: compressionSetting(file.compression),
        }),
    );
    return {
      name: this.name,
      entries: this.#entries,
      seekKey: key.seekKey,
      branches: this.#branches.map((b) => ({
        name: b.spec.name,
        baskets: b.writeBasket,
        basketEntry: b.basketEntry.slice(),
      })),
    };
  }
}
