/**
 * @module
 * Importer for online protobuf snapshots (fileformat 3, spec/formats.md §4,
 * spec/api.md §3.9, §6.4–6.5): ROOTFilePB files written by CMSSW's
 * DQMFileSaverPB, usually the `cat` of several client processes' latest
 * snapshots, either plain with zlib-compressed payloads or gzip-compressed
 * as a whole with raw payloads (see protobuf_payload.ts).
 *
 * What an ME list entry holds (`MEEntry`):
 * - `seek`: offset of the Histo message body (after its length varint);
 *   `size`: the body's length. Reading one ME re-reads just those bytes
 *   ({@link readPbHisto}).
 * - `offset`: 0 when `seek` is a file offset; {@link PB_GZIP_OFFSET} (1)
 *   when the file is gzip-compressed and `seek` counts in the gunzipped
 *   content (a gzip stream has no random access: the reader gunzips the
 *   file, or takes the gunzipped bytes from a cache).
 * - Histograms are not decompressed at import; scalars (kinds 1–3) are, and
 *   their TObjString (read with our object reader) gives Int, Float and
 *   String values. A String Histo whose text is a quality-test result
 *   (`dir/me.qtest`, flags 0x03) becomes a `QTestResult` of its ME, split at
 *   the longest existing ME name before a dot, as for legacy files.
 * - `efficiency` comes from the flag bit 0x00200000 (the original dropped
 *   it, spec §6.9).
 *
 * Duplicate names. Concatenated snapshots repeat names (each client writes
 * its own EventInfo, spec §4.2): the last Histo of a full_pathname in the
 * file wins, for MEs and quality-test results alike. This is the rule of
 * protobuf itself for a non-repeated field, of `MEList` for duplicate
 * entries, and of the producers, which append the newest snapshot last;
 * choosing by content (e.g. most entries) would mean inflating every
 * histogram at import. Histos that cannot be imported (unknown kind,
 * unreadable scalar) do not replace an earlier Histo of the same name.
 *
 * Errors. Damaged framing (truncated file, impossible lengths, bad varints,
 * bad gzip) is a `RootFormatError` naming the file and byte offset. A
 * scalar whose payload cannot be inflated or decoded is skipped with a
 * warning (STYLE rule 19: its message length is known, so the scan
 * resyncs); an unknown kind byte is skipped with a warning (the original
 * failed the import).
 */

import type { Source } from "../root/source.ts";
import type { MEEntry, QTestResult } from "../store/me_entry.ts";
import { pathProblem, qtestProblem } from "../store/me_entry.ts";
import {
  DQM_PROP_EFFICIENCY_PLOT,
  PB_KIND_MASK,
  PB_MAX_SCALAR_KIND,
  pbKindOf,
} from "../pb/kinds.ts";
import { RootFormatError } from "../root/errors.ts";
import {
  gunzipSnapshot,
  isGzip,
  payloadSlot,
  readObjString,
  slotClassName,
} from "./protobuf_payload.ts";
import {
  type HistoRecord,
  pbError,
  scanHistos,
  type WireContext,
  WireReader,
} from "./protobuf_wire.ts";
import { parseScalarXml, splitQTestName } from "./scalar_xml.ts";
import {
  FileFormat,
  type Importer,
  type ImportRequest,
  type ImportResult,
  runLumiKey,
} from "./types.ts";

export { gunzipSnapshot, isGzip } from "./protobuf_payload.ts";
export { type HistoRecord, scanHistos } from "./protobuf_wire.ts";

/** `MEEntry.offset` of a gzip-compressed file: `seek` counts in the gunzipped content. */
export const PB_GZIP_OFFSET = 1;
/** Most warnings one import reports individually. */
const MAX_WARNINGS = 100;

/** A quality-test record waiting for its ME. */
interface PendingQTest {
  /** "dir/" of the record's full_pathname. */
  dir: string;
  /** "me.qtest": the last path segment. */
  tag: string;
  qtest: QTestResult;
}

/** Collects the MEs of one import, applying the last-wins rule. */
class Collector {
  readonly mes = new Map<string, MEEntry>();
  readonly qtests = new Map<string, PendingQTest>();
  readonly efficiency = new Set<string>();
  readonly warnings: string[] = [];
  readonly #unknown = new Map<number, { count: number; first: string }>();
  #dropped = 0;
  readonly #ctx: WireContext;
  readonly #offset: number;

  constructor(ctx: WireContext) {
    this.#ctx = ctx;
    this.#offset = ctx.gunzipped ? PB_GZIP_OFFSET : 0;
  }

  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.#dropped++;
  }

  add(bytes: Uint8Array, h: HistoRecord): void {
    const kind = pbKindOf(h.flags);
    if (kind === undefined) {
      const code = h.flags & PB_KIND_MASK;
      const seen = this.#unknown.get(code);
      if (seen) seen.count++;
      else this.#unknown.set(code, { count: 1, first: h.name });
      return;
    }
    const problem = pathProblem(h.name);
    if (problem !== undefined) {
      this.warn(`ME ${JSON.stringify(h.name)} at offset ${h.start} skipped: ${problem}`);
      return;
    }
    const entry: MEEntry = {
      path: h.name,
      kind,
      seek: h.start,
      offset: this.#offset,
      size: h.end - h.start,
    };
    if (h.flags & DQM_PROP_EFFICIENCY_PLOT) entry.efficiency = true;
    if ((h.flags & PB_KIND_MASK) > PB_MAX_SCALAR_KIND) {
      this.mes.set(h.name, entry);
      return;
    }
    let text: string;
    try {
      const fail = (evidence: string, cause?: unknown) =>
        pbError(`Cannot read scalar "${h.name}"`, evidence, this.#ctx, h.start, cause);
      const slot = payloadSlot(bytes.subarray(h.payloadStart, h.payloadEnd), h.size, fail);
      text = readObjString(slot, { filePath: this.#ctx.filePath, histoOffset: h.start });
    } catch (error) {
      if (!(error instanceof RootFormatError)) throw error;
      this.warn(`ME ${JSON.stringify(h.name)} skipped: ${error.message}`);
      return;
    }
    this.#addScalar(h, entry, text);
  }

  #addScalar(h: HistoRecord, entry: MEEntry, text: string): void {
    const slash = h.name.lastIndexOf("/");
    const dir = h.name.slice(0, slash + 1);
    const xml = text.charCodeAt(0) === 0x3c ? parseScalarXml(text) : null;
    if (xml === null) {
      // Not fake XML: kept as a readable TObjString, as for legacy files.
      this.warn(`ME ${JSON.stringify(h.name)}: scalar text is not DQM's fake XML`);
      this.mes.set(h.name, { ...entry, kind: "TObjString" });
      return;
    }
    switch (xml.type) {
      case "QTest":
        this.qtests.set(h.name, { dir, tag: h.name.slice(slash + 1), qtest: xml.qtest });
        return;
      case "Efficiency":
        this.efficiency.add(dir + xml.name);
        return;
      case "Tag":
        return;
      default:
        entry.kind = xml.type;
        entry.value = xml.value;
        this.mes.set(h.name, entry);
    }
  }

  finish(): MEEntry[] {
    for (const { dir, tag, qtest } of this.qtests.values()) {
      const split = splitQTestName(tag, (me) => this.mes.has(dir + me));
      const me = split && this.mes.get(dir + split[0]);
      const q = { ...qtest, name: split?.[1] ?? "" };
      const problem = me ? qtestProblem(q) : "it has no ME to attach to";
      if (problem !== undefined) {
        this.warn(`quality test "${dir}${tag}" ignored: ${problem}`);
        continue;
      }
      (me!.qtests ??= []).push(q);
    }
    for (const path of this.efficiency) {
      const me = this.mes.get(path);
      if (me) me.efficiency = true;
      else this.warn(`efficiency flag for missing ME "${path}" ignored`);
    }
    for (const [code, { count, first }] of this.#unknown) {
      this.warnings.push(
        `${count} Histo(s) of unknown kind 0x${code.toString(16)} skipped (first: "${first}")`,
      );
    }
    if (this.#dropped) this.warnings.push(`${this.#dropped} more warnings not shown`);
    return [...this.mes.values()];
  }
}

/**
 * The protobuf importer: one ME list for the registered (run, lumi), from
 * the whole snapshot (see the module documentation for what it keeps).
 *
 * @example Import a snapshot of two concatenated clients
 * ```ts
 * import { MemorySource } from "../root/source.ts";
 * import { generatePbMEs, writePbFile } from "../writer/mod.ts";
 * import { protobufImporter } from "./protobuf.ts";
 *
 * const mes = generatePbMEs({ count: 50, seed: 2 });
 * const source = new MemorySource(writePbFile({ mes, clients: 2 }), "live.pb");
 * const { lists } = await protobufImporter.importFile(source, { dataset: "/Global/Online/ALL", run: 0, lumi: 0 });
 * if (lists.get("0:0")!.length !== 50) throw new Error("duplicates not merged");
 * ```
 */
export const protobufImporter: Importer = {
  format: FileFormat.PROTOBUF,

  /** A snapshot starts with a `histo` item (key 0x0a) or the gzip magic; empty is valid too. */
  canImport(header: Uint8Array): boolean {
    return header.length === 0 || header[0] === 0x0a || isGzip(header);
  },

  async importFile(source: Source, request: ImportRequest): Promise<ImportResult> {
    const raw = source.size > 0 ? await source.read(0, source.size) : new Uint8Array(0);
    const gunzipped = isGzip(raw);
    const bytes = gunzipped ? gunzipSnapshot(raw, source.name) : raw;
    const out = new Collector({ filePath: source.name, gunzipped });
    scanHistos(bytes, { filePath: source.name, gunzipped }, (h) => out.add(bytes, h));
    const lumi = Math.max(0, request.lumi);
    return {
      lists: new Map([[runLumiKey(request.run, lumi), out.finish()]]),
      warnings: out.warnings,
    };
  },
};

/** One Histo read back at render or JSON time. */
export interface PbHisto {
  /** `full_pathname`. */
  name: string;
  /** `flags`. */
  flags: number;
  /** Class of the streamed object ("TH1F", "TObjString", ...), from its class tag. */
  className: string;
  /**
   * The inflated `streamed_histo` cut to `size`: one complete object slot
   * as TBufferFile::WriteObject wrote it (byte count, class tag, object),
   * positions counting from 0. Send it to the render daemon with
   * displacement 0; decode it with `ObjectReader.readObjectAny` at origin 0.
   */
  slot: Uint8Array;
}

/**
 * Read one ME's object from a snapshot: the Histo message at `seek` (its
 * `MEEntry.seek`, `size` and `offset`), parsed and inflated.
 *
 * For a plain file only `[seek, seek + size)` is read. For a gzip-compressed
 * file (`MEEntry.offset === PB_GZIP_OFFSET`) positions count in the gunzipped
 * content: pass `gunzipped` to supply it from a cache, else the whole file
 * is read and gunzipped for this call.
 *
 * @param source the snapshot file
 * @param seek offset of the Histo message body
 * @param size length of the body
 * @param gzip whether positions count in the gunzipped content
 * @param gunzipped returns the gunzipped content of `source` (gzip only)
 * @returns the Histo and its object slot
 * @throws {RootFormatError} for a message or payload that cannot be decoded
 * @throws {RangeError} when `[seek, seek + size)` lies outside the file
 *
 * @example Read back an ME found by the importer
 * ```ts
 * import { MemorySource } from "../root/source.ts";
 * import { generateMEs, writePbFile } from "../writer/mod.ts";
 * import { protobufImporter, readPbHisto } from "./protobuf.ts";
 *
 * const source = new MemorySource(writePbFile({ mes: generateMEs({ count: 20, seed: 1 }) }), "x.pb");
 * const { lists } = await protobufImporter.importFile(source, { dataset: "/A/B/C", run: 1, lumi: 0 });
 * const me = lists.get("1:0")!.find((e) => e.kind === "TH2F")!;
 * const histo = await readPbHisto(source, me.seek, me.size, me.offset === 1);
 * if (histo.className !== "TH2F" || histo.name !== me.path) throw new Error("bad read");
 * ```
 */
export async function readPbHisto(
  source: Source,
  seek: number,
  size: number,
  gzip: boolean,
  gunzipped?: () => Promise<Uint8Array>,
): Promise<PbHisto> {
  let bytes: Uint8Array;
  if (gzip) {
    const all = gunzipped
      ? await gunzipped()
      : gunzipSnapshot(await source.read(0, source.size), source.name);
    if (seek < 0 || size < 0 || seek + size > all.length) {
      throw new RangeError(
        `Cannot read Histo at offset ${seek} (${size} bytes) of "${source.name}": ` +
          `the gunzipped content has ${all.length} bytes`,
      );
    }
    bytes = all.subarray(seek, seek + size);
  } else {
    bytes = await source.read(seek, size);
  }
  const ctx: WireContext = { filePath: source.name, gunzipped: gzip };
  const r = new WireReader(bytes, ctx, seek);
  if (bytes.length < size) {
    throw r.fail(`Histo message of ${size} bytes runs past the end of the file`, 0);
  }
  const h = r.histo(0, size);
  const slotCtx = { filePath: source.name, histoOffset: seek };
  const slot = payloadSlot(
    bytes.subarray(h.payloadStart, h.payloadEnd),
    h.size,
    (evidence, cause) => pbError(`Cannot read "${h.name}"`, evidence, ctx, seek, cause),
  );
  return { name: h.name, flags: h.flags, className: slotClassName(slot, slotCtx), slot };
}
