/**
 * @module
 * Blob encoding of an {@linkcode MEList}: the two compressed payloads stored
 * per list in SQLite, and the content hash that deduplicates them.
 *
 * - names = zlib(the sorted paths joined with "\n"), the original's names
 *   blob (spec/api.md §4.2) minus the `\0` helper lines, so any tool that
 *   can inflate and split still reads the ME paths.
 * - infos = zlib(a versioned columnar layout, below). It replaces the
 *   original's 20-byte records (§4.3), whose int32 offset/size capped protobuf
 *   files at 2 GiB (§12.22) and whose type-id table could not name new classes.
 * - hash = hex SHA-256 over both uncompressed payloads (preceded by the names
 *   payload's length as a little-endian f64, so the boundary is unambiguous),
 *   so equal lists share one row whatever the compressor did.
 *
 * Infos layout, version 1, little-endian:
 *
 * | bytes   | content |
 * |---------|---------|
 * | 0–3     | magic "DQML" |
 * | 4–5     | u16 version (1) |
 * | 6, 7, 8 | encodings of the seek, offset and size columns: 0 = one f64 for all entries, 1 = n × i32, 2 = n × u32, 3 = n × f64 |
 * | 9–11    | reserved, zero |
 * | 12–15   | u32 entry count n (must equal the number of names) |
 * | 16–19   | u32 kind count k (≤ 65536), then k strings: the class-name table |
 * | …       | n × u16 kind index; the seek, offset and size columns; n × u8 flags |
 * | …       | values: one string per entry with flag 2, in entry order |
 * | …       | qtests: per entry with flag 4, u32 m ≥ 1, then m × (string name, i32 status, f64 result, string algorithm, string message) |
 *
 * A string is a u32 byte length and UTF-8 bytes. Flags: 1 efficiency, 2 value,
 * 4 qtests; other bits must be zero. The payload must end exactly after the
 * last section.
 */

import { createHash } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { ByteReader, ByteWriter } from "./_bytes.ts";
import { hasHighUnits } from "./compare_utf8.ts";
import {
  MAX_KINDS,
  ME_FLAG_QTESTS,
  ME_FLAG_VALUE,
  type MEColumns,
  type QTestResult,
} from "./me_entry.ts";
import { MEList } from "./melist.ts";

/** First four bytes of every infos payload. */
export const MELIST_MAGIC = "DQML";
/** The infos layout version this build writes and the newest it reads. */
export const MELIST_BLOB_VERSION = 1;
/**
 * zlib level for both payloads. Measured on 100,000 synthetic entries
 * (tools/bench/store.ts): level 5 deflates both payloads in ~32 ms for
 * 625 kB, level 6 (zlib's default) in ~62 ms for 615 kB, level 1 in ~9 ms
 * for 980 kB. Decoding speed does not depend on the level.
 */
export const MELIST_ZLIB_LEVEL = 5;
/** Largest uncompressed payload accepted when decoding (guards against zlib bombs). */
export const MAX_PAYLOAD_BYTES = 1 << 30;

const HEADER_BYTES = 16;
// Column encodings: legacy files have offset 0 and size -1 everywhere
// (constant), DQMIO offsets fit i32, seeks of files < 4 GiB fit u32.
const COLUMN_CONSTANT = 0;
const COLUMN_I32 = 1;
const COLUMN_U32 = 2;
const COLUMN_F64 = 3;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder("utf-8", { fatal: true });

/** The stored form of one ME list. */
export interface MEListBlobs {
  /** zlib of the "\n"-joined sorted paths. */
  names: Uint8Array;
  /** zlib of the columnar infos layout. */
  infos: Uint8Array;
  /** Hex SHA-256 over both uncompressed payloads. */
  hash: string;
}

/**
 * Encode a list into its two compressed blobs and their content hash.
 *
 * @param list the list
 * @returns `{ names, infos, hash }`
 *
 * @example Round trip
 * ```ts
 * import { MEList } from "./melist.ts";
 * import { decodeMEList, encodeMEList } from "./melist_blob.ts";
 * const list = new MEList([{ path: "A/h", kind: "TH1F", seek: 100, offset: 0, size: -1 }]);
 * const { names, infos, hash } = encodeMEList(list);
 * const back = decodeMEList(names, infos);
 * if (back.path(0) !== "A/h" || back.seek(0) !== 100 || hash.length !== 64) throw new Error("round trip");
 * ```
 */
export function encodeMEList(list: MEList): MEListBlobs {
  const c = list.columns();
  const namesRaw = ENCODER.encode(c.paths.join("\n"));
  const infosRaw = writeInfos(c);
  const hash = createHash("sha256");
  const length = new Uint8Array(8);
  new DataView(length.buffer).setFloat64(0, namesRaw.length, true);
  hash.update(length).update(namesRaw).update(infosRaw);
  return { names: deflate(namesRaw), infos: deflate(infosRaw), hash: hash.digest("hex") };
}

/**
 * Decode the two blobs of {@linkcode encodeMEList} back into a list.
 *
 * @param names the names blob
 * @param infos the infos blob
 * @returns the list
 * @throws {SyntaxError} for data that is not zlib, bad magic, an unknown
 *   version, invalid UTF-8 or inconsistent content
 * @throws {RangeError} for truncated payloads and out-of-range counts or sizes
 */
export function decodeMEList(names: Uint8Array, infos: Uint8Array): MEList {
  const infosRaw = inflate(infos, "infos");
  const r = new ByteReader(infosRaw, "ME list infos");
  const header = readHeader(r);
  const { paths, highUnits } = readNames(inflate(names, "names"), header.count);
  const columns = readColumns(r, header, paths);
  try {
    return MEList.fromColumns(columns, { highUnits });
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new SyntaxError(
      `Cannot decode ME list blobs: ${e.message.replace(/^Cannot build ME list: /, "")}`,
      {
        cause: e,
      },
    );
  }
}

function deflate(raw: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(raw, { level: MELIST_ZLIB_LEVEL }));
}

function inflate(blob: Uint8Array, which: string): Uint8Array {
  if (!(blob instanceof Uint8Array)) {
    throw new TypeError(`Cannot decode ME list ${which} blob: not a Uint8Array`);
  }
  try {
    // Payloads inflate ~5–10×: big output chunks instead of node's 16 KiB.
    const chunkSize = Math.min(1 << 20, Math.max(64 * 1024, blob.length * 8));
    return inflateSync(blob, { maxOutputLength: MAX_PAYLOAD_BYTES, chunkSize });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError) {
      throw new RangeError(
        `Cannot decode ME list ${which} blob: inflated size over ${MAX_PAYLOAD_BYTES} bytes`,
        {
          cause: e,
        },
      );
    }
    throw new SyntaxError(`Cannot decode ME list ${which} blob: not valid zlib data (${detail})`, {
      cause: e,
    });
  }
}

function encodingOf(col: Float64Array): number {
  const first = col[0] ?? 0;
  let i32 = true;
  let u32 = true;
  let constant = true;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (v !== first) constant = false;
    if (v !== (v | 0)) i32 = false;
    if (v !== v >>> 0) u32 = false;
    if (!i32 && !u32) return COLUMN_F64;
  }
  return constant ? COLUMN_CONSTANT : i32 ? COLUMN_I32 : COLUMN_U32;
}

function writeColumn(w: ByteWriter, col: Float64Array, encoding: number): void {
  const n = col.length;
  if (encoding === COLUMN_CONSTANT) return w.f64(col[0] ?? 0);
  const bytes = encoding === COLUMN_F64 ? 8 : 4;
  let at = w.reserve(n * bytes);
  const view = w.view;
  if (encoding === COLUMN_I32) {
    for (let i = 0; i < n; i++, at += 4) view.setInt32(at, col[i]!, true);
  } else if (encoding === COLUMN_U32) {
    for (let i = 0; i < n; i++, at += 4) view.setUint32(at, col[i]!, true);
  } else for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, col[i]!, true);
}

function readColumn(r: ByteReader, n: number, encoding: number): Float64Array {
  const col = new Float64Array(n);
  if (encoding === COLUMN_CONSTANT) return col.fill(r.f64());
  const bytes = encoding === COLUMN_F64 ? 8 : 4;
  let at = r.take(n * bytes);
  const view = r.view;
  if (encoding === COLUMN_I32) {
    for (let i = 0; i < n; i++, at += 4) col[i] = view.getInt32(at, true);
  } else if (encoding === COLUMN_U32) {
    for (let i = 0; i < n; i++, at += 4) col[i] = view.getUint32(at, true);
  } else for (let i = 0; i < n; i++, at += 8) col[i] = view.getFloat64(at, true);
  return col;
}

function writeInfos(c: MEColumns): Uint8Array {
  const n = c.paths.length;
  const columns = [c.seek, c.offset, c.size];
  const encodings = columns.map(encodingOf);
  const w = new ByteWriter(HEADER_BYTES + n * 27 + 1024);
  for (let i = 0; i < 4; i++) w.u8(MELIST_MAGIC.charCodeAt(i));
  w.u16(MELIST_BLOB_VERSION);
  for (const encoding of encodings) w.u8(encoding);
  for (let i = 0; i < 3; i++) w.u8(0);
  w.u32(n);
  w.u32(c.kinds.length);
  for (const k of c.kinds) w.str(k);
  let at = w.reserve(n * 2);
  const view = w.view;
  for (let i = 0; i < n; i++, at += 2) view.setUint16(at, c.kindIndex[i]!, true);
  columns.forEach((col, k) => writeColumn(w, col, encodings[k]!));
  w.raw(c.flags);
  for (let i = 0; i < n; i++) if ((c.flags[i]! & ME_FLAG_VALUE) !== 0) w.str(c.values.get(i)!);
  for (let i = 0; i < n; i++) {
    if ((c.flags[i]! & ME_FLAG_QTESTS) === 0) continue;
    const qtests = c.qtests.get(i)!;
    w.u32(qtests.length);
    for (const q of qtests) {
      w.str(q.name);
      w.i32(q.status);
      w.f64(q.result);
      w.str(q.algorithm);
      w.str(q.message);
    }
  }
  return w.bytes();
}

interface Header {
  count: number;
  encodings: readonly number[];
}

function readHeader(r: ByteReader): Header {
  const magic = String.fromCharCode(...r.raw(Math.min(4, r.remaining())));
  if (magic !== MELIST_MAGIC) {
    throw new SyntaxError(
      `Cannot decode ME list infos: bad magic ${JSON.stringify(magic)} (expected "DQML")`,
    );
  }
  const version = r.u16();
  if (version !== MELIST_BLOB_VERSION) {
    throw new SyntaxError(
      `Cannot decode ME list infos: unsupported version ${version} (this build reads ${MELIST_BLOB_VERSION})`,
    );
  }
  const encodings = [r.u8(), r.u8(), r.u8()];
  for (const encoding of encodings) {
    if (encoding > COLUMN_F64) {
      throw new SyntaxError(`Cannot decode ME list infos: unknown column encoding ${encoding}`);
    }
  }
  if (r.u8() !== 0 || r.u8() !== 0 || r.u8() !== 0) {
    throw new SyntaxError("Cannot decode ME list infos: reserved header bytes are not zero");
  }
  const count = r.u32();
  // Every entry takes at least 3 bytes (kind index + flags): reject an
  // impossible count before allocating columns for it.
  if (count * 3 > r.remaining()) {
    throw new RangeError(
      `Cannot decode ME list infos: count ${count} needs more than the ${r.remaining()} bytes left`,
    );
  }
  return { count, encodings };
}

function readNames(raw: Uint8Array, count: number): { paths: string[]; highUnits: boolean } {
  let text: string;
  try {
    text = DECODER.decode(raw);
  } catch (e) {
    throw new SyntaxError("Cannot decode ME list names: invalid UTF-8", { cause: e });
  }
  // Split on "\n" only (the original's splitlines also split on "\r", §12.21).
  if (text.includes("\0")) {
    throw new SyntaxError("Cannot decode ME list names: a name contains NUL");
  }
  const paths = count === 0 && text === "" ? [] : text.split("\n");
  if (paths.length !== count) {
    throw new SyntaxError(
      `Cannot decode ME list blobs: ${paths.length} names for ${count} infos entries`,
    );
  }
  return { paths, highUnits: hasHighUnits(text) };
}

function readColumns(r: ByteReader, h: Header, paths: string[]): MEColumns {
  const n = h.count;
  const kindCount = r.u32();
  if (kindCount > MAX_KINDS || kindCount > r.remaining() / 4) {
    throw new RangeError(`Cannot decode ME list infos: kind count ${kindCount} out of range`);
  }
  const kinds: string[] = [];
  for (let k = 0; k < kindCount; k++) kinds.push(r.str());
  const view = r.view;
  const kindIndex = new Uint16Array(n);
  let at = r.take(n * 2);
  for (let i = 0; i < n; i++, at += 2) kindIndex[i] = view.getUint16(at, true);
  const [seek, offset, size] = h.encodings.map((encoding) => readColumn(r, n, encoding)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const flags = r.raw(n).slice();
  const values = new Map<number, string>();
  for (let i = 0; i < n; i++) if ((flags[i]! & ME_FLAG_VALUE) !== 0) values.set(i, r.str());
  const qtests = new Map<number, readonly QTestResult[]>();
  for (let i = 0; i < n; i++) {
    if ((flags[i]! & ME_FLAG_QTESTS) !== 0) qtests.set(i, readQTests(r, i));
  }
  if (r.remaining() !== 0) {
    throw new SyntaxError(
      `Cannot decode ME list infos: ${r.remaining()} unexpected bytes after the last section`,
    );
  }
  return { paths, kinds, kindIndex, seek, offset, size, flags, values, qtests };
}

function readQTests(r: ByteReader, entry: number): readonly QTestResult[] {
  const m = r.u32();
  if (m === 0 || m > r.remaining() / 24) {
    throw new RangeError(
      `Cannot decode ME list infos: qtest count ${m} out of range at entry ${entry}`,
    );
  }
  const out: QTestResult[] = [];
  for (let k = 0; k < m; k++) {
    const name = r.str();
    const status = r.i32();
    const result = r.f64();
    out.push(Object.freeze({ name, status, result, algorithm: r.str(), message: r.str() }));
  }
  return Object.freeze(out);
}
