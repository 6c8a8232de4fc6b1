/**
 * @module
 * Fills one branch the way ROOT's `TBranch::FillImpl` does and cuts its
 * entries into baskets (spec `formats.md` §2.2–§2.4). Three kinds of
 * branch occur in DQMIO files:
 *
 * - `leaf`: a leaf-list branch (TBranch + TLeafI/TLeafL/TLeafD) of one
 *   fixed-size number, big-endian; no entry-offset table;
 * - `string`: an unsplit `std::string` (TBranchElement + TLeafElement);
 *   each entry is a TString-style length and the bytes;
 * - `object`: an object branch created with split level 0 for a class with
 *   a custom streamer (TBranchObject + TLeafObject); each entry is `u8 n`,
 *   the class name, a NUL, then the object's streamer output, with class
 *   tags counted from the basket's key start.
 *
 * Basket rules copied from ROOT: a basket is written as soon as
 * `length + 2·(entry-offset bytes) + last entry size ≥ fBasketSize`
 * (lengths counted from the key start); the buffer's class map is reset
 * before every entry (`TBuffer::ResetMap`); the entry-offset table grows
 * like `TBasket::Update` and `fEntryOffsetLen` is re-tuned before each
 * basket is written (`TBranch::WriteBasketImpl`).
 *
 * This module is browser compatible.
 */

import type { RootObject } from "../root/models/types.ts";
import { type BasketContent, basketKeyLength } from "./basket.ts";
import { writeObject } from "./objects.ts";
import { TBufferWriter } from "./tbuffer_writer.ts";

/** Leaf types of leaf-list branches: UInt_t, Int_t, ULong64_t, Long64_t, Double_t. */
export type LeafType = "i" | "I" | "l" | "L" | "D";

/** What a branch holds. */
export type BranchSpec =
  | { kind: "leaf"; name: string; type: LeafType }
  | { kind: "string"; name: string }
  | { kind: "object"; name: string; className: string };

/** One entry's value: a number, a string (or its raw bytes) or an object. */
export type EntryValue = number | bigint | string | Uint8Array | RootObject;

/** Where a basket went, as the tree's record needs it. */
export interface WrittenBasket {
  seekKey: number;
  /** Record size (fBasketBytes). */
  nbytes: number;
  keyLen: number;
  objLen: number;
}

/** Writes a finished basket into the file. */
export type BasketSink = (content: BasketContent) => WrittenBasket;

/** ROOT's default `fEntryOffsetLen` for variable-size entries (`TBranch()`, TBranchElement). */
export const DEFAULT_ENTRY_OFFSET_LEN = 1000;
/** ROOT raises smaller basket sizes to this (`TBranch::TBranch`). */
const MIN_BASKET_SIZE = 100;
/** TBasket::Update grows the offset table to at least this many slots. */
const MIN_OFFSET_TABLE = 10;
/** fEntryOffsetLen follows table growth only while the branch has written fewer baskets. */
const OFFSET_LEN_FOLLOWS_GROWTH = 10;
const encoder = new TextEncoder();

/**
 * One branch being filled: its current basket and the bookkeeping its
 * TBranch record needs (fBasketBytes, fBasketEntry, fBasketSeek, sizes).
 *
 * @example Fill a UInt_t branch with 3 entries, then flush its basket
 * ```ts
 * import { BranchWriter } from "./branch.ts";
 *
 * const b = new BranchWriter({ kind: "leaf", name: "Run", type: "i" }, "Indices", 32000,
 *   (c) => ({ seekKey: 1000, nbytes: 80 + c.data.length, keyLen: 80, objLen: c.data.length }));
 * for (const run of [1, 2, 3]) b.fill(run);
 * b.flush();
 * if (b.basketEntry.join() !== "0,3" || b.totBytes !== 92) throw new Error("bad bookkeeping");
 * ```
 */
export class BranchWriter {
  /** The branch description. */
  readonly spec: BranchSpec;
  /** Name of the tree (the baskets' key title). */
  readonly tree: string;
  /** fBasketSize. */
  readonly basketSize: number;
  /** fEntryOffsetLen: 0 for fixed-size entries. */
  entryOffsetLen: number;
  /** fBasketBytes, fBasketSeek of written baskets; fBasketEntry with the sentinel. */
  readonly basketBytes: number[] = [];
  readonly basketSeek: number[] = [];
  readonly basketEntry: number[] = [0];
  /** fEntries, fTotBytes, fZipBytes. */
  entries = 0;
  totBytes = 0;
  zipBytes = 0;
  /** Some entry wrote a class tag: ROOT then clears the branch's kDoNotUseBufferMap bit. */
  usedMap = false;
  readonly #sink: BasketSink;
  readonly #keyLen: number;
  readonly #buf: TBufferWriter;
  #offsets: number[] = [];
  #nevBuf = 0;
  #nevBufSize: number;

  /**
   * @param spec what the branch holds
   * @param tree the tree's name
   * @param basketSize requested fBasketSize (raised to ROOT's minimums)
   * @param sink writes finished baskets
   */
  constructor(spec: BranchSpec, tree: string, basketSize: number, sink: BasketSink) {
    this.spec = spec;
    this.tree = tree;
    this.#sink = sink;
    this.entryOffsetLen = spec.kind === "leaf" ? 0 : DEFAULT_ENTRY_OFFSET_LEN;
    // TBranchElement::Init makes room for the offset table plus 100 bytes of data.
    const min = MIN_BASKET_SIZE + (spec.kind === "string" ? this.entryOffsetLen : 0);
    this.basketSize = Math.max(min, basketSize);
    this.#keyLen = basketKeyLength(spec.name, tree);
    this.#buf = new TBufferWriter(this.#keyLen);
    this.#nevBufSize = this.entryOffsetLen;
  }

  /** Classes written in class tags by the entries (labels of histograms: THashList, TObjString). */
  get taggedClasses(): ReadonlySet<string> {
    return this.#buf.taggedClasses;
  }

  /** fWriteBasket: the number of baskets written. */
  get writeBasket(): number {
    return this.basketSeek.length;
  }

  /**
   * Appends one entry and writes the basket when it is full.
   *
   * @param value the entry (a number for leaves, a string or bytes, an object)
   */
  fill(value: EntryValue): void {
    const w = this.#buf;
    const lold = this.#keyLen + w.length;
    const variable = this.entryOffsetLen !== 0;
    if (variable) {
      if (this.#nevBuf + 1 >= this.#nevBufSize) {
        this.#nevBufSize = Math.max(MIN_OFFSET_TABLE, 2 * this.#nevBufSize);
        if (this.writeBasket < OFFSET_LEN_FOLLOWS_GROWTH) this.entryOffsetLen = this.#nevBufSize;
      }
      this.#offsets.push(lold);
    }
    this.#nevBuf++;
    this.entries++;
    this.#encode(value);
    if (w.resetClassMap() > 0) this.usedMap = true;
    const lnew = this.#keyLen + w.length;
    const nbytes = lnew - lold;
    let nsize = 0;
    if (variable) nsize = 4 * this.#nevBuf;
    else if (this.#nevBufSize === 0) this.#nevBufSize = nbytes;
    if (lnew + 2 * nsize + nbytes >= this.basketSize) this.#writeBasket();
  }

  /** Writes the current basket if it holds entries (`TBranch::FlushBaskets`). */
  flush(): void {
    if (this.#nevBuf > 0) this.#writeBasket();
  }

  #encode(v: EntryValue): void {
    const w = this.#buf;
    const spec = this.spec;
    if (spec.kind === "leaf") {
      switch (spec.type) {
        case "i":
          w.u32(Number(v));
          break;
        case "I":
          w.i32(Number(v));
          break;
        case "l":
        case "L":
          w.i64(typeof v === "bigint" ? BigInt.asIntN(64, v) : Number(v));
          break;
        case "D":
          w.f64(Number(v));
          break;
      }
    } else if (spec.kind === "string") {
      if (typeof v === "string") {
        w.tstring(v);
      } else {
        const bytes = v as Uint8Array;
        if (bytes.length < 255) w.u8(bytes.length);
        else w.u8(255).i32(bytes.length);
        w.bytes(bytes);
      }
    } else {
      // TLeafObject::FillBasket with fVirtual: u8 n, the class name and its NUL, then Streamer.
      const obj = v as RootObject;
      const name = encoder.encode(obj._typename);
      w.u8(name.length).bytes(name).u8(0);
      writeObject(w, obj);
    }
  }

  #writeBasket(): void {
    const nevBuf = this.#nevBuf;
    // TBranch::WriteBasketImpl keeps the offset table near the entries per basket.
    if (this.entryOffsetLen > MIN_OFFSET_TABLE && 4 * nevBuf < this.entryOffsetLen) {
      this.entryOffsetLen = nevBuf < 3 ? MIN_OFFSET_TABLE : 4 * nevBuf;
    } else if (this.entryOffsetLen !== 0 && nevBuf > this.entryOffsetLen) {
      this.entryOffsetLen = 2 * nevBuf;
    }
    const written = this.#sink({
      branch: this.spec.name,
      tree: this.tree,
      cycle: this.writeBasket,
      bufferSize: this.basketSize,
      nevBufSize: this.#nevBufSize,
      nevBuf,
      data: this.#buf.view(),
      offsets: this.spec.kind === "leaf" ? null : this.#offsets,
    });
    this.basketBytes.push(written.nbytes);
    this.basketSeek.push(written.seekKey);
    this.basketEntry.push(this.entries);
    this.totBytes += written.objLen + written.keyLen;
    this.zipBytes += written.nbytes;
    // TBasket::Reset: an empty basket whose offset table has the branch's current size.
    this.#buf.reset(this.#keyLen);
    this.#offsets = [];
    this.#nevBuf = 0;
    this.#nevBufSize = this.entryOffsetLen;
  }
}
