/**
 * @module
 * Reading TBasket records: one positioned read of the record, its key header
 * and TBasket fields, decompression of the entry data, and the entry-offset
 * table behind it (spec/formats.md §2.3; ROOT tree/tree/src/TBasket.cxx
 * `TBasket::ReadBasketBuffers`, `TBasket::Streamer`). Baskets embedded in a
 * TTree record (never flushed to their own record) are turned into the same
 * `BasketData` shape.
 *
 * Every inconsistency between the key, the TBasket fields, the decompressed
 * length, the offsets and what the branch's index promised is a
 * `RootFormatError` naming the basket's seek and the branch.
 */

import { unzipPayload } from "./compression.ts";
import { Cursor } from "./cursor.ts";
import { readKey, type TKey } from "./directory.ts";
import { RootFormatError } from "./errors.ts";
import {
  type BasketFields,
  type EmbeddedBasket,
  kGenerateOffsetMap,
  kMustGenerateOffsets,
  readBasketFields,
} from "./models/tbasket.ts";
import type { Source } from "./source.ts";

/** Where one basket of a branch is, from the branch's basket index (spec/formats.md §2.2). */
export interface BasketInfo {
  /**
   * File offset of the basket's TKey (fBasketSeek[i]); 0 for an embedded
   * basket, which has no record of its own (read it with
   * `RootBranch.readBasket(index)`).
   */
  seek: number;
  /** Record size on disk (fBasketBytes[i]); 0 for an embedded basket. */
  bytes: number;
  /** First entry of the basket (fBasketEntry[i]). */
  firstEntry: number;
  /** Number of entries the index promises (fBasketEntry[i+1] - fBasketEntry[i]). */
  entryCount: number;
  /** True when the basket is stored inside the TTree record (TBranch::fBaskets). */
  embedded: boolean;
}

/**
 * A basket read and decompressed, with its entry boundaries. It is never
 * modified after it is built, so callers may cache it under its `seek`.
 */
export interface BasketData {
  /** File offset of the basket's TKey (0 for an embedded basket). */
  seek: number;
  /** The key header length (fKeyLen): TBufferFile tags inside entries count from the key start. */
  keyLen: number;
  /** Decompressed data after the key header (fObjLen bytes). */
  payload: Uint8Array;
  /** End of the entry data in `payload` (fLast - fKeyLen). */
  border: number;
  /** Start of each entry in payload coordinates, `entryCount` values; null for fixed-size entries. */
  entryOffsets: Int32Array | null;
  /**
   * Original key-start positions of the entries when ROOT moved them
   * (TBasket fDisplacement), else null; object tags in entry k count from
   * `displacements[k]` instead of `keyLen + entryOffsets[k]`.
   */
  displacements: Int32Array | null;
  /** Fixed entry size (fNevBufSize) when `entryOffsets` is null. */
  entrySize: number;
  /** First entry of the basket. */
  firstEntry: number;
  /** Number of entries (fNevBuf). */
  entryCount: number;
}

/** What the branch knows about a basket, for reading it and for error messages. */
export interface BasketContext {
  /** File name for errors. */
  filePath: string;
  /** Branch name for errors. */
  branch: string;
  /** Index of the basket in the branch. */
  index: number;
  /** The branch's fEntryOffsetLen: non-zero means baskets carry an entry-offset table. */
  entryOffsetLen: number;
}

function basketError(info: BasketInfo, ctx: BasketContext, evidence: string, cause?: unknown) {
  const where = info.embedded ? "embedded basket" : "basket";
  return new RootFormatError(
    `Cannot read ${where} ${ctx.index} of branch "${ctx.branch}"`,
    evidence,
    { filePath: ctx.filePath, offset: info.seek, cause },
  );
}

/**
 * Read one basket record with a single positioned read, decompress it and
 * decode its entry boundaries.
 *
 * @param source the file
 * @param info where the basket is and what the branch index says about it
 * @param ctx branch facts and names for errors
 * @returns the basket's entry data
 *
 * @example Read the first basket of a branch without a tree
 * ```ts
 * import { FileSource, RootFile, RootTree, readBasket } from "./mod.ts";
 * import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
 * const src = await FileSource.open(`${TESTDATA_DIR}root-trees/uproot-issue412.root`);
 * const file = await RootFile.open(src);
 * const tree = await RootTree.open(file, file.top.keys.find((k) => k.fName === "test")!);
 * const info = tree.branch("b1")!.baskets[0]!;
 * const basket = await readBasket(src, info, {
 *   filePath: src.name,
 *   branch: "b1",
 *   index: 0,
 *   entryOffsetLen: 0,
 * });
 * if (basket.entryOffsets !== null || basket.entrySize !== 8) throw new Error("b1 is a Long64_t leaf");
 * file.close();
 * ```
 */
export async function readBasket(
  source: Source,
  info: BasketInfo,
  ctx: BasketContext,
): Promise<BasketData> {
  if (info.bytes <= 0 || info.seek <= 0 || info.seek + info.bytes > source.size) {
    throw basketError(
      info,
      ctx,
      `record [${info.seek}, ${info.seek + info.bytes}) is outside the file (size ${source.size})`,
    );
  }
  const bytes = await source.read(info.seek, info.bytes);
  if (bytes.length !== info.bytes) {
    throw basketError(info, ctx, `read ${bytes.length} of ${info.bytes} bytes`);
  }
  const c = new Cursor(bytes, 0, { filePath: ctx.filePath, fileOffset: info.seek });
  let key: TKey;
  let fields: BasketFields;
  try {
    key = readKey(c);
    fields = readBasketFields(c);
  } catch (error) {
    throw basketError(info, ctx, `bad key header (${(error as Error).message})`, error);
  }
  if (key.fSeekKey !== info.seek || key.fNbytes !== info.bytes) {
    throw basketError(
      info,
      ctx,
      `key says fSeekKey ${key.fSeekKey} and fNbytes ${key.fNbytes}, the branch index ${info.seek} and ${info.bytes}`,
    );
  }
  if (key.fClassName !== "TBasket") {
    throw basketError(info, ctx, `record is a "${key.fClassName}", not a "TBasket"`);
  }
  const keyLen = key.fKeyLen;
  const objLen = key.fObjLen;
  if (c.pos !== keyLen) {
    throw basketError(info, ctx, `key header is ${c.pos} bytes, fKeyLen says ${keyLen}`);
  }
  const payload = await unzipPayload(bytes.subarray(keyLen), objLen, {
    filePath: ctx.filePath,
    offset: info.seek + keyLen,
  }).catch((error) => {
    throw basketError(info, ctx, `decompression failed (${(error as Error).message})`, error);
  });
  if (payload.length !== objLen) {
    throw basketError(info, ctx, `decompressed to ${payload.length} bytes, fObjLen says ${objLen}`);
  }
  return decodeBoundaries(payload, keyLen, fields, info, ctx);
}

/**
 * Turn the entry-data part of a decompressed basket into `BasketData`: check
 * fLast, then read the entry-offset table that follows the data when the
 * branch keeps one (`i32 n` then n offsets from the key start, then
 * optionally the displacement array).
 */
function decodeBoundaries(
  payload: Uint8Array,
  keyLen: number,
  f: BasketFields,
  info: BasketInfo,
  ctx: BasketContext,
): BasketData {
  const border = f.fLast - keyLen;
  if (border < 0 || border > payload.length) {
    throw basketError(
      info,
      ctx,
      `fLast ${f.fLast} is outside the data (fKeyLen ${keyLen}, fObjLen ${payload.length})`,
    );
  }
  checkCount(f.fNevBuf, info, ctx);
  const data: BasketData = {
    seek: info.seek,
    keyLen,
    payload,
    border,
    entryOffsets: null,
    displacements: null,
    entrySize: f.fNevBufSize,
    firstEntry: info.firstEntry,
    entryCount: f.fNevBuf,
  };
  if (!ctx.entryOffsetLen) return checkFixedSize(data, info, ctx);
  if (f.flag >= kMustGenerateOffsets) {
    throw basketError(
      info,
      ctx,
      "its entry offsets must be generated from the leaf (TIOFeatures kGenerateOffsetMap), which is not supported",
    );
  }
  if (border === payload.length) {
    // No table at all: ROOT repairs a basket of at most one entry (TBasket.cxx "trying to repair").
    if (f.fNevBuf > 1) {
      throw basketError(info, ctx, `${f.fNevBuf} entries but no entry-offset table after fLast`);
    }
    data.entryOffsets = new Int32Array(f.fNevBuf);
    return checkOffsets(data, info, ctx);
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const n = border + 4 <= payload.length ? view.getInt32(border) : -1;
  if (n < f.fNevBuf || border + 4 + 4 * n > payload.length) {
    throw basketError(
      info,
      ctx,
      `entry-offset table of ${n} values after fLast does not fit fNevBuf ${f.fNevBuf} in ${
        payload.length - border
      } bytes`,
    );
  }
  const offsets = new Int32Array(f.fNevBuf);
  for (let k = 0; k < f.fNevBuf; k++) offsets[k] = view.getInt32(border + 4 + 4 * k);
  if (f.fIOBits & kGenerateOffsetMap) {
    // Stored as sizes, which compress better: value k (k >= 1) is the size of
    // entry k - 1; the offsets are their running sum from fKeyLen.
    let at = keyLen;
    for (let k = 0; k < f.fNevBuf; k++) {
      if (k > 0) at += offsets[k]!;
      offsets[k] = at;
    }
  }
  for (let k = 0; k < offsets.length; k++) offsets[k] = offsets[k]! - keyLen;
  data.entryOffsets = offsets;
  const after = border + 4 + 4 * n;
  if (after + 4 <= payload.length) {
    const m = view.getInt32(after);
    if (m >= f.fNevBuf && after + 4 + 4 * m <= payload.length) {
      const displacements = new Int32Array(f.fNevBuf);
      for (let k = 0; k < f.fNevBuf; k++) displacements[k] = view.getInt32(after + 4 + 4 * k);
      data.displacements = displacements;
    }
  }
  return checkOffsets(data, info, ctx);
}

function checkCount(nevBuf: number, info: BasketInfo, ctx: BasketContext): void {
  if (nevBuf !== info.entryCount) {
    throw basketError(
      info,
      ctx,
      `fNevBuf is ${nevBuf}, the branch index says ${info.entryCount} entries (from entry ${info.firstEntry})`,
    );
  }
}

function checkFixedSize(data: BasketData, info: BasketInfo, ctx: BasketContext): BasketData {
  if (data.entryCount > 0 && data.entrySize * data.entryCount !== data.border) {
    throw basketError(
      info,
      ctx,
      `${data.entryCount} entries of ${data.entrySize} bytes do not fill fLast - fKeyLen = ${data.border}`,
    );
  }
  return data;
}

function checkOffsets(data: BasketData, info: BasketInfo, ctx: BasketContext): BasketData {
  const offsets = data.entryOffsets!;
  let previous = 0;
  for (let k = 0; k < offsets.length; k++) {
    const o = offsets[k]!;
    if (o < previous || o > data.border) {
      throw basketError(
        info,
        ctx,
        `entry ${k} starts at payload byte ${o}, outside [${previous}, ${data.border}]`,
      );
    }
    previous = o;
  }
  return data;
}

/**
 * The `BasketData` of a basket embedded in a TTree record: its buffer holds a
 * copy of the key header, then the entries up to fLast; its entry offsets
 * (from the key start) were streamed before the buffer.
 *
 * @param basket the decoded TBasket from the branch's fBaskets
 * @param info the branch index entry
 * @param ctx branch facts and names for errors
 * @returns the entry data
 */
export function embeddedBasketData(
  basket: EmbeddedBasket,
  info: BasketInfo,
  ctx: BasketContext,
): BasketData {
  const buffer = basket.fBuffer;
  if (buffer === null || buffer.length < basket.fLast) {
    throw basketError(info, ctx, `no entry buffer was stored (flag ${basket.flag})`);
  }
  const keyLen = basket.fKeyLen;
  checkCount(basket.fNevBuf, info, ctx);
  const payload = buffer.subarray(keyLen, basket.fLast);
  const data: BasketData = {
    seek: info.seek,
    keyLen,
    payload,
    border: payload.length,
    entryOffsets: null,
    displacements: null,
    entrySize: basket.fNevBufSize,
    firstEntry: info.firstEntry,
    entryCount: basket.fNevBuf,
  };
  const stored = basket.fEntryOffset;
  if (!ctx.entryOffsetLen || stored === null) {
    if (ctx.entryOffsetLen && basket.fNevBuf > 1) {
      throw basketError(info, ctx, `${basket.fNevBuf} entries but no entry offsets`);
    }
    return ctx.entryOffsetLen
      ? checkOffsets({ ...data, entryOffsets: new Int32Array(basket.fNevBuf) }, info, ctx)
      : checkFixedSize(data, info, ctx);
  }
  if (stored.length < basket.fNevBuf) {
    throw basketError(info, ctx, `${stored.length} entry offsets for ${basket.fNevBuf} entries`);
  }
  data.entryOffsets = stored.slice(0, basket.fNevBuf).map((o) => o - keyLen);
  if (basket.fDisplacement && basket.fDisplacement.length >= basket.fNevBuf) {
    data.displacements = basket.fDisplacement.slice(0, basket.fNevBuf);
  }
  return checkOffsets(data, info, ctx);
}

/**
 * Byte range `[start, end)` of entry `k` (0-based within the basket) in the
 * payload (spec/formats.md §2.3: an entry ends where the next begins, the
 * last one at fLast).
 *
 * @param basket the basket
 * @param k entry index within the basket
 * @returns start and end in payload coordinates
 *
 * @example Fixed-size entries need no offset table
 * ```ts
 * import { entryRange } from "./basket.ts";
 * const basket = {
 *   seek: 0, keyLen: 0, payload: new Uint8Array(12), border: 12, entryOffsets: null,
 *   displacements: null, entrySize: 4, firstEntry: 0, entryCount: 3,
 * };
 * const [start, end] = entryRange(basket, 2);
 * if (start !== 8 || end !== 12) throw new Error("bad range");
 * ```
 */
export function entryRange(basket: BasketData, k: number): [number, number] {
  const offsets = basket.entryOffsets;
  if (offsets === null) return [k * basket.entrySize, (k + 1) * basket.entrySize];
  return [offsets[k]!, k + 1 < offsets.length ? offsets[k + 1]! : basket.border];
}
