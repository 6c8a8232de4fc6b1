/**
 * @module
 * One branch of a TTree: its basket index, positioned reads of the baskets
 * that cover an entry range, and decoding of entries into numbers, exact
 * 64-bit integers, strings and whole objects (spec/formats.md §2.2–2.4).
 * Built by `RootTree.open` (tree.ts).
 */

import {
  type BasketContext,
  type BasketData,
  type BasketInfo,
  embeddedBasketData,
  entryRange,
  readBasket,
} from "./basket.ts";
import type { BranchModel } from "./_branch_model.ts";
import { decodeText } from "./cursor.ts";
import { RootFormatError } from "./errors.ts";
import type { RootFile } from "./file.ts";
import { codecFor, type EntryCodec, leafTypeOf } from "./_leaf.ts";
import { decodeBigInto, decodeInto, entryValues, KIND_SIZE, stringRange } from "./_decode.ts";
import { decodeObjectEntry } from "./_object_entry.ts";
import type { RootObject } from "./models/types.ts";
import type { StreamerSet } from "./streamers.ts";

type NumberCodec = Extract<EntryCodec, { type: "number" }>;

/** Values of an entry range with their per-entry boundaries. */
export interface NumberArrays {
  /** All values of the range, entry after entry. */
  values: Float64Array;
  /** `offsets[i]` is where entry `first + i` starts in `values`; `last - first + 1` values. */
  offsets: Int32Array;
}

/**
 * A branch of a TTree.
 *
 * @example Read counts and a jagged branch across baskets
 * ```ts
 * import { FileSource, RootFile, RootTree } from "./mod.ts";
 * import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
 * const file = await RootFile.open(
 *   await FileSource.open(`${TESTDATA_DIR}root-trees/uproot-HZZ-zlib.root`),
 * );
 * const tree = await RootTree.open(file, file.top.keys.find((k) => k.fName === "events")!);
 * const muons = tree.branch("NMuon")!;
 * const px = tree.branch("Muon_Px")!;
 * const counts = await muons.readNumbers(0, 10);
 * const { values, offsets } = await px.readNumberArrays(0, 10);
 * if (offsets[10] !== counts.reduce((a, b) => a + b, 0) || values.length !== offsets[10]) {
 *   throw new Error("jagged values do not match their counts");
 * }
 * file.close();
 * ```
 */
export class RootBranch {
  /** Branch name (fName). */
  readonly name: string;
  /** Branch title (fTitle), e.g. the leaf list "Run/i". */
  readonly title: string;
  /** "TBranch", "TBranchElement", "TBranchObject", ... */
  readonly className: string;
  /** C++ type of one entry: "UInt_t", "ULong64_t", "Double_t", "string", "TH1F", ... */
  readonly leafType: string;
  /** Number of entries (fEntries). */
  readonly entries: number;
  /** The baskets, in entry order. */
  readonly baskets: BasketInfo[];
  /** Sub-branches (split objects). */
  readonly branches: RootBranch[];
  /**
   * What the entries decode to: "number" (`readNumbers`, `readBigInts`),
   * "string" (`readStrings`), "object" (`readObject`), or null when this
   * reader cannot decode them (leaf lists, collections of objects, split
   * parents without data of their own).
   */
  readonly valueKind: "number" | "string" | "object" | null;
  readonly #file: RootFile;
  readonly #streamers: StreamerSet;
  readonly #model: BranchModel;
  readonly #codec: EntryCodec;
  #last: { index: number; data: Promise<BasketData> } | null = null;

  /**
   * Built by `RootTree.open`; not meant to be called directly.
   *
   * @param file the file the tree is in
   * @param streamers the file's streamer infos
   * @param model the checked branch description
   */
  constructor(file: RootFile, streamers: StreamerSet, model: BranchModel) {
    this.#file = file;
    this.#streamers = streamers;
    this.#model = model;
    this.name = model.name;
    this.title = model.title;
    this.className = model.className;
    this.leafType = leafTypeOf(model, streamers);
    this.entries = model.entries;
    this.baskets = model.baskets;
    this.branches = model.branches.map((b) => new RootBranch(file, streamers, b));
    this.#codec = codecFor(model, streamers);
    this.valueKind = this.#codec.type === "none" ? null : this.#codec.type;
  }

  /**
   * Index of the basket holding an entry (binary search on fBasketEntry).
   *
   * @param entry entry number, `0 <= entry < entries`
   * @returns index into `baskets`
   */
  basketFor(entry: number): number {
    const baskets = this.baskets;
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.entries) {
      throw new RangeError(
        `Cannot find entry ${entry} of branch "${this.name}": it has ${this.entries} entries`,
      );
    }
    if (!baskets.length) {
      throw new RootFormatError(
        `Cannot find entry ${entry} of branch "${this.name}"`,
        `the branch has ${this.entries} entries but no baskets (a split parent holds no data)`,
        { filePath: this.#file.name },
      );
    }
    let lo = 0;
    let hi = baskets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (baskets[mid]!.firstEntry <= entry) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Read and decompress one basket (one positioned read; embedded baskets
   * come from the TTree record already in memory).
   *
   * @param index index into `baskets`
   * @returns the basket's entry data
   */
  readBasket(index: number): Promise<BasketData> {
    const info = this.baskets[index];
    if (info === undefined) {
      throw new RangeError(
        `Cannot read basket ${index} of branch "${this.name}": it has ${this.baskets.length}`,
      );
    }
    if (this.#last?.index === index) return this.#last.data;
    const ctx: BasketContext = {
      filePath: this.#file.name,
      branch: this.name,
      index,
      entryOffsetLen: this.#model.entryOffsetLen,
    };
    const embedded = this.#model.embedded.get(index);
    const data = embedded
      ? Promise.resolve().then(() => embeddedBasketData(embedded, info, ctx))
      : readBasket(this.#file.source, info, ctx);
    this.#last = { index, data };
    data.catch(() => {
      if (this.#last?.data === data) this.#last = null;
    });
    return data;
  }

  /**
   * The raw bytes of one entry.
   *
   * @param entry entry number
   * @returns the bytes (a view into the basket payload), the basket, and the entry's start in the payload
   */
  async entryBytes(
    entry: number,
  ): Promise<{ bytes: Uint8Array; basket: BasketData; offset: number }> {
    const basket = await this.readBasket(this.basketFor(entry));
    const [start, end] = entryRange(basket, entry - basket.firstEntry);
    return { bytes: basket.payload.subarray(start, end), basket, offset: start };
  }

  /**
   * Values of a numeric leaf for entries `[first, last)`, entry after entry
   * (one value per entry for a scalar leaf; all elements for arrays, counted
   * leaves and vectors). Reads only the baskets that cover the range.
   *
   * @param first first entry
   * @param last one past the last entry
   * @returns the values (64-bit integers exact up to 2^53; see `readBigInts`)
   */
  async readNumbers(first: number, last: number): Promise<Float64Array> {
    return (await this.readNumberArrays(first, last)).values;
  }

  /**
   * Like `readNumbers`, with the boundary of each entry in the values.
   *
   * @param first first entry
   * @param last one past the last entry
   * @returns values and per-entry offsets
   */
  async readNumberArrays(first: number, last: number): Promise<NumberArrays> {
    const codec = this.#numberCodec("readNumberArrays");
    const parts = await this.#locate(first, last, codec);
    const values = new Float64Array(parts.total);
    for (const p of parts.entries) decodeInto(p.view, p.at, p.n, codec.kind, values, p.out);
    return { values, offsets: parts.offsets };
  }

  /**
   * Exact values of an integer leaf for entries `[first, last)`: use this for
   * ULong64_t values above 2^53 (edm timestamps, event numbers).
   *
   * @param first first entry
   * @param last one past the last entry
   * @returns BigInt64Array for signed leaves, BigUint64Array for unsigned ones
   */
  async readBigInts(first: number, last: number): Promise<BigInt64Array | BigUint64Array> {
    const codec = this.#numberCodec("readBigInts");
    if (codec.kind === "f32" || codec.kind === "f64") {
      throw new TypeError(
        `Cannot read branch "${this.name}" as integers: its leaf is floating-point`,
      );
    }
    const parts = await this.#locate(first, last, codec);
    const unsigned = codec.kind === "u8" || codec.kind === "u16" || codec.kind === "u32" ||
      codec.kind === "u64" || codec.kind === "bool";
    const out = unsigned ? new BigUint64Array(parts.total) : new BigInt64Array(parts.total);
    for (const p of parts.entries) decodeBigInto(p.view, p.at, p.n, codec.kind, out, p.out);
    return out;
  }

  /**
   * Strings of a `std::string`, `TString` or `char*` (TLeafC) branch for
   * entries `[first, last)`.
   *
   * @param first first entry
   * @param last one past the last entry
   * @returns one string per entry
   */
  async readStrings(first: number, last: number): Promise<string[]> {
    const codec = this.#codec;
    if (codec.type !== "string") {
      throw new TypeError(
        `Cannot read branch "${this.name}" as strings: its entries are ${this.leafType}`,
      );
    }
    const out: string[] = [];
    await this.#forEachEntry(first, last, (basket, view, k, start, end) => {
      const range = stringRange(basket.payload, view, start, end, codec.header);
      if (typeof range === "string") throw this.#entryError(basket, k, range);
      out.push(decodeText(basket.payload.subarray(range[0], range[1])));
    });
    return out;
  }

  /**
   * Decode the object stored in one entry of an object branch (TBranchObject,
   * or a TBranchElement holding a whole object), with the file's streamer
   * infos. Tags count from the basket key start (spec/formats.md §2.4).
   *
   * @param entry entry number
   * @returns the object (null for a null pointer) and recoverable decoding warnings
   */
  async readObject(entry: number): Promise<{ object: RootObject | null; warnings: string[] }> {
    const codec = this.#codec;
    if (codec.type !== "object") {
      throw new TypeError(
        `Cannot read branch "${this.name}" as objects: its entries are ${this.leafType}`,
      );
    }
    const { basket, offset, bytes } = await this.entryBytes(entry);
    const k = entry - basket.firstEntry;
    const result = decodeObjectEntry(bytes, codec, this.#streamers, {
      origin: basket.displacements?.[k] ?? basket.keyLen + offset,
      filePath: this.#file.name,
      recordOffset: basket.seek,
    });
    if (typeof result === "string") throw this.#entryError(basket, k, result);
    return result;
  }

  /**
   * The stored bytes of one object entry, as ROOT streamed them: the object's
   * body (byte count, version, members) after any class-name prefix, with the
   * writer-buffer position of its first byte (tags inside count from there).
   * For handing objects on undecoded, e.g. to the render daemon.
   *
   * @param entry entry number
   * @returns class name, body bytes, origin and the file's streamer infos
   */
  async objectBytes(
    entry: number,
  ): Promise<{ className: string; body: Uint8Array; origin: number; streamers: StreamerSet }> {
    const codec = this.#codec;
    if (codec.type !== "object" || codec.bareVersion >= 0) {
      throw new TypeError(
        `Cannot take object bytes of branch "${this.name}": its entries are ${this.leafType}`,
      );
    }
    const { basket, offset, bytes } = await this.entryBytes(entry);
    const k = entry - basket.firstEntry;
    const origin = basket.displacements?.[k] ?? basket.keyLen + offset;
    let start = 0;
    let className = codec.className;
    if (codec.virtual) {
      const n = bytes[0] ?? -1;
      if (n < 0 || 2 + n > bytes.length || bytes[1 + n] !== 0) {
        throw this.#entryError(basket, k, "no class name in front of the object");
      }
      className = decodeText(bytes.subarray(1, 1 + n));
      start = 2 + n;
    }
    return {
      className,
      body: bytes.subarray(start),
      origin: origin + start,
      streamers: this.#streamers,
    };
  }

  #numberCodec(method: string): NumberCodec {
    const codec = this.#codec;
    if (codec.type !== "number") {
      const why = codec.type === "none" ? codec.reason : `its entries are ${this.leafType}`;
      throw new TypeError(`Cannot read branch "${this.name}" with ${method}(): ${why}`);
    }
    return codec;
  }

  /** Find the values of every entry in `[first, last)`, checking each entry's length. */
  async #locate(first: number, last: number, codec: NumberCodec) {
    const runs: { view: DataView; at: number; n: number; out: number }[] = [];
    // Entry starts per basket, allocated only once the basket was read and checked,
    // so a corrupt entry count cannot force a huge allocation.
    const chunks: Int32Array[] = [];
    const size = KIND_SIZE[codec.kind];
    let total = 0;
    await this.#forEachBasket(first, last, (basket, view, from, to) => {
      const starts = new Int32Array(to - from);
      chunks.push(starts);
      if (basket.entryOffsets === null && codec.header === "none") {
        // Fixed-size entries: one check and one run for the whole basket.
        const per = basket.entrySize / size;
        if (!Number.isInteger(per) || (codec.perEntry >= 0 && per !== codec.perEntry)) {
          throw this.#entryError(
            basket,
            from,
            `entries of ${basket.entrySize} bytes do not hold whole ${size}-byte values (${codec.perEntry} expected)`,
          );
        }
        for (let i = 0; i < starts.length; i++) starts[i] = total + i * per;
        runs.push({ view, at: from * basket.entrySize, n: starts.length * per, out: total });
        total += starts.length * per;
        return;
      }
      let run: { view: DataView; at: number; n: number; out: number } | null = null;
      for (let k = from; k < to; k++) {
        const [start, end] = entryRange(basket, k);
        const where = entryValues(view, start, end, codec);
        if (typeof where === "string") throw this.#entryError(basket, k, where);
        const [at, n] = where;
        starts[k - from] = total;
        // Consecutive entries merge into one run: one decode loop per basket when they touch.
        if (run && run.at + run.n * size === at) run.n += n;
        else runs.push(run = { view, at, n, out: total });
        total += n;
      }
    });
    const offsets = new Int32Array(last - first + 1);
    let p = 0;
    for (const c of chunks) {
      offsets.set(c, p);
      p += c.length;
    }
    offsets[p] = total;
    return { entries: runs, offsets, total };
  }

  /** Visit entries `[first, last)` one by one, reading each basket once. */
  #forEachEntry(
    first: number,
    last: number,
    visit: (basket: BasketData, view: DataView, k: number, start: number, end: number) => void,
  ): Promise<void> {
    return this.#forEachBasket(first, last, (basket, view, from, to) => {
      for (let k = from; k < to; k++) {
        const [start, end] = entryRange(basket, k);
        visit(basket, view, k, start, end);
      }
    });
  }

  /** Visit the baskets covering `[first, last)` with the basket-local entry range `[from, to)`. */
  async #forEachBasket(
    first: number,
    last: number,
    visit: (basket: BasketData, view: DataView, from: number, to: number) => void,
  ): Promise<void> {
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last > this.entries) {
      throw new RangeError(
        `Cannot read entries [${first}, ${last}) of branch "${this.name}": it has ${this.entries}`,
      );
    }
    if (first >= last) return;
    const lastBasket = this.basketFor(last - 1);
    for (let b = this.basketFor(first); b <= lastBasket; b++) {
      const basket = await this.readBasket(b);
      const p = basket.payload;
      const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
      const from = Math.max(first, basket.firstEntry) - basket.firstEntry;
      const to = Math.min(last, basket.firstEntry + basket.entryCount) - basket.firstEntry;
      visit(basket, view, from, to);
    }
  }

  #entryError(basket: BasketData, k: number, evidence: string): RootFormatError {
    return new RootFormatError(
      `Cannot decode entry ${
        basket.firstEntry + k
      } of branch "${this.name}" (basket at ${basket.seek})`,
      evidence,
      { filePath: this.#file.name, offset: basket.seek },
    );
  }
}
