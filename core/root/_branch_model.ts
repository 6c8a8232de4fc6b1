/**
 * @module
 * Checked views of decoded TTree / TBranch / TLeaf objects. The class readers
 * (hand-written or streamer-driven) produce loosely typed `RootObject`s; this
 * module validates what the tree API relies on and builds each branch's basket
 * index from fBasketSeek / fBasketBytes / fBasketEntry and the embedded
 * baskets (spec/formats.md §2.2; ROOT tree/tree/src/TBranch.cxx
 * `TBranch::Streamer`, `GetBasketImpl`). Private to core/root.
 */

import type { BasketInfo } from "./basket.ts";
import { RootFormatError } from "./errors.ts";
import type { BranchShape, LeafShape } from "./_leaf.ts";
import type { EmbeddedBasket } from "./models/tbasket.ts";
import type { RootObject } from "./models/types.ts";

/** A branch as the tree API needs it. */
export interface BranchModel extends BranchShape {
  title: string;
  /** fEntries. */
  entries: number;
  /** fEntryOffsetLen: non-zero when baskets carry entry-offset tables. */
  entryOffsetLen: number;
  /** Baskets in entry order. */
  baskets: BasketInfo[];
  /** Embedded baskets by index in `baskets`. */
  embedded: Map<number, EmbeddedBasket>;
  branches: BranchModel[];
}

/** Where the TTree came from, for errors. */
export interface ModelContext {
  filePath: string;
  /** File offset of the TTree's key. */
  offset: number;
}

/** Deepest branch nesting believed (split classes nest a few levels). */
const MAX_DEPTH = 32;

function fail(ctx: ModelContext, branch: string, evidence: string): RootFormatError {
  return new RootFormatError(`Cannot read branch "${branch}" of the tree`, evidence, {
    filePath: ctx.filePath,
    offset: ctx.offset,
  });
}

function int(obj: RootObject, member: string, ctx: ModelContext, branch: string): number {
  const v = Number(obj[member] ?? NaN);
  if (!Number.isSafeInteger(v)) {
    throw fail(ctx, branch, `${member} is ${String(obj[member])}, not an integer`);
  }
  return v;
}

function list(obj: RootObject, member: string, ctx: ModelContext, branch: string) {
  const arr = (obj[member] as RootObject | null | undefined)?.arr;
  if (!Array.isArray(arr)) throw fail(ctx, branch, `${member} is not a TObjArray`);
  return arr as (RootObject | null)[];
}

function numbers(obj: RootObject, member: string): ArrayLike<number> {
  const v = obj[member];
  return v && typeof (v as ArrayLike<number>).length === "number" ? v as ArrayLike<number> : [];
}

/**
 * The decoded TTree's top-level branches as checked models.
 *
 * @param tree the decoded TTree (or TNtuple) object
 * @param ctx file and key offset for errors
 * @returns the branches
 */
export function treeBranches(tree: RootObject, ctx: ModelContext): BranchModel[] {
  const name = String(tree.fName ?? "");
  return list(tree, "fBranches", ctx, name).map((b) => branchModel(b, ctx, 0));
}

function branchModel(obj: RootObject | null, ctx: ModelContext, depth: number): BranchModel {
  if (obj === null || typeof obj !== "object" || !/^TBranch/.test(obj._typename ?? "")) {
    throw fail(ctx, "?", `a branch slot holds ${obj === null ? "null" : `"${obj?._typename}"`}`);
  }
  const name = String(obj.fName ?? "");
  if ((obj as { _unknown?: boolean })._unknown) {
    throw fail(ctx, name, `"${obj._typename}" v${obj.version} could not be decoded`);
  }
  if (depth > MAX_DEPTH) throw fail(ctx, name, `branches nested deeper than ${MAX_DEPTH}`);
  const entries = int(obj, "fEntries", ctx, name);
  const leaves = list(obj, "fLeaves", ctx, name).map((l) => leafShape(l, ctx, name));
  const { baskets, embedded } = basketIndex(obj, entries, ctx, name);
  return {
    className: obj._typename,
    name,
    title: String(obj.fTitle ?? ""),
    objectClass: String(obj.fClassName ?? ""),
    classVersion: Number(obj.fClassVersion ?? -1),
    id: Number(obj.fID ?? -1),
    type: Number(obj.fType ?? 0),
    streamerType: Number(obj.fStreamerType ?? -1),
    leaves,
    entries,
    entryOffsetLen: int(obj, "fEntryOffsetLen", ctx, name),
    baskets,
    embedded,
    branches: list(obj, "fBranches", ctx, name).map((b) => branchModel(b, ctx, depth + 1)),
  };
}

function leafShape(obj: RootObject | null, ctx: ModelContext, branch: string): LeafShape {
  if (obj === null || !/^TLeaf/.test(obj._typename ?? "")) {
    throw fail(ctx, branch, `a leaf slot holds ${obj === null ? "null" : `"${obj._typename}"`}`);
  }
  return {
    className: obj._typename,
    name: String(obj.fName ?? ""),
    title: String(obj.fTitle ?? ""),
    len: Number(obj.fLen ?? 1) || 1,
    isUnsigned: Boolean(obj.fIsUnsigned),
    hasCount: obj.fLeafCount !== null && obj.fLeafCount !== undefined,
    virtual: obj.fVirtual === undefined ? true : Boolean(obj.fVirtual),
  };
}

/**
 * Baskets `[0, fWriteBasket)` are records on disk: basket i holds entries
 * `[fBasketEntry[i], fBasketEntry[i+1])`. A basket still in memory when the
 * tree was written sits in `fBaskets` (usually at index fWriteBasket) and holds
 * `fNevBuf` entries from `fBasketEntry[i]`. Together they must tile
 * `[0, fEntries)`.
 */
function basketIndex(obj: RootObject, entries: number, ctx: ModelContext, name: string) {
  const writeBasket = int(obj, "fWriteBasket", ctx, name);
  const seeks = numbers(obj, "fBasketSeek");
  const sizes = numbers(obj, "fBasketBytes");
  const firsts = numbers(obj, "fBasketEntry");
  const inMemory = list(obj, "fBaskets", ctx, name);
  if (writeBasket < 0 || writeBasket > seeks.length || writeBasket > sizes.length) {
    throw fail(
      ctx,
      name,
      `fWriteBasket ${writeBasket} does not fit the basket arrays (${seeks.length} slots)`,
    );
  }
  const baskets: BasketInfo[] = [];
  const embedded = new Map<number, EmbeddedBasket>();
  const slots = Math.max(writeBasket, inMemory.length);
  let next = 0;
  for (let i = 0; i < slots; i++) {
    const held = inMemory[i];
    const first = i < firsts.length ? firsts[i]! : next;
    if (i < writeBasket && seeks[i]! > 0) {
      // TBranch::Streamer's old-version fix: past the arrays, the last basket ends at fEntries.
      const end = i + 1 < firsts.length && i + 1 <= writeBasket ? firsts[i + 1]! : entries;
      baskets.push({
        seek: seeks[i]!,
        bytes: sizes[i]!,
        firstEntry: first,
        entryCount: end - first,
        embedded: false,
      });
    } else if (held && held._typename === "TBasket" && Number(held.fNevBuf) > 0) {
      embedded.set(baskets.length, held as EmbeddedBasket);
      baskets.push({
        seek: 0,
        bytes: 0,
        firstEntry: first,
        entryCount: Number(held.fNevBuf),
        embedded: true,
      });
    } else if (i < writeBasket) {
      throw fail(ctx, name, `basket ${i} has no seek and is not stored in the tree`);
    } else {
      continue;
    }
    const added = baskets[baskets.length - 1]!;
    if (added.firstEntry !== next || added.entryCount < 0 || !Number.isSafeInteger(first)) {
      throw fail(
        ctx,
        name,
        `basket ${i} covers entries [${added.firstEntry}, ${
          added.firstEntry + added.entryCount
        }), expected to start at ${next}`,
      );
    }
    next = added.firstEntry + added.entryCount;
  }
  if (baskets.length > 0 && next !== entries) {
    throw fail(ctx, name, `baskets hold ${next} entries, fEntries is ${entries}`);
  }
  return { baskets, embedded };
}
