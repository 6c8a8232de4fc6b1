/**
 * @module
 * Writes online protobuf snapshots (FileFormat 3, spec `formats.md` §4.2)
 * the way CMSSW's DQMFileSaverPB does, with `@bufbuild/protobuf` (`create`
 * and `toBinary` over the schema generated from `core/pb/dqm.proto`):
 *
 * - every ME is one Histo: `full_pathname`, `flags` (kind byte, plus
 *   0x00200000 for efficiency plots), `streamed_histo` = the output of
 *   TBufferFile::WriteObject (class tag + object, positions from 0) and
 *   `size` = its length. Int, Float and String MEs are TObjStrings of the
 *   fake-XML strings (`<name>i=5</name>`); each quality-test result is one
 *   more Histo `path.qtest` with flags 0x03 holding its `qr=` string;
 * - variant `"zlib"` (tagged online clients): each payload compressed with
 *   zlib level 9, fed `Length() + 1` bytes so it inflates to the object
 *   plus one trailing byte (0 here); the file is not compressed;
 * - variant `"gzip"` (untagged writers): raw payloads, the whole snapshot
 *   gzip-compressed (level 1, as GzipOutputStream's default);
 * - `clients: K` concatenates K client processes' snapshots as HLTD and
 *   fastHconcat.py do (`cat`; for gzip, one gzip member per client):
 *   subsystems are dealt out to the clients, and every client also writes
 *   every EventInfo ME, the last client with the given values and the
 *   others with stale ones. A reader applying "the last one in the file
 *   wins" therefore sees exactly `mes`.
 *
 * Data in, bytes out: nothing here touches the file system.
 */

import { create, toBinary } from "@bufbuild/protobuf";
import { deflateSync, gzipSync } from "node:zlib";
import { type Histo, HistoSchema, ROOTFilePBSchema } from "../pb/mod.ts";
import { DQM_PROP_EFFICIENCY_PLOT, PB_KIND_CODES } from "../pb/kinds.ts";
import type { RootObject, TObjString } from "../root/models/types.ts";
import { convertME, DQMIO_TYPES } from "./_dqmio_mes.ts";
import { generateMEs, type GenerateOptions } from "./generate.ts";
import { type LegacyME, qtestKeyName, scalarKeyName, type ScalarME } from "./legacy.ts";
import { writeObject } from "./objects.ts";
import { TBufferWriter } from "./tbuffer_writer.ts";

/** `"zlib"`: per-payload zlib, plain file; `"gzip"`: raw payloads, gzip-compressed file. */
export type PbVariant = "zlib" | "gzip";

/** Options of {@link writePbFile}. */
export interface PbFileOptions {
  /** The MEs a reader should see (after "last one wins" across clients). */
  mes: readonly LegacyME[];
  /** Client processes whose snapshots are concatenated (default 1). */
  clients?: number;
  /** Default `"zlib"`. */
  variant?: PbVariant;
  /** zlib level of each payload (default 9) or gzip level of the file (default 1). */
  level?: number;
}

/** fBits of the TObjStrings CMSSW streams (stack objects: kNotDeleted only). */
const BITS_STACK = 0x02000000;
/** Kind byte of quality-test records (spec §4.2: "flags = 0x03 exactly"). */
const QTEST_FLAGS = 0x03;
/** Default zlib level of payloads (DQMFileSaverPB: `deflateInit(&zs, 9)`). */
const PAYLOAD_LEVEL = 9;
/** Default gzip level of whole files (GzipOutputStream's default). */
const FILE_LEVEL = 1;
/** Folder whose MEs every client process writes (spec §4.2 "Concatenation"). */
const SHARED_FOLDER = "EventInfo";

function isScalar(v: RootObject | ScalarME): v is ScalarME {
  return "kind" in v && !("_typename" in v);
}

/**
 * The TBufferFile::WriteObject output for an object: one object slot
 * (byte count, new class tag, class name, the object's streamer output),
 * positions counting from 0 (spec §1.8).
 *
 * @param obj the object (any class `objects.ts` writes)
 * @param w a writer to reuse (it is reset)
 * @returns the slot bytes
 *
 * @example The slot of a TObjString starts with its class tag
 * ```ts
 * import { pbSlot } from "./pb.ts";
 *
 * const slot = pbSlot({ _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "<a>i=1</a>" });
 * if (new TextDecoder().decode(slot.subarray(8, 18)) !== "TObjString") throw new Error("no class tag");
 * ```
 */
export function pbSlot(obj: RootObject, w: TBufferWriter = new TBufferWriter()): Uint8Array {
  w.reset(0);
  w.objectSlot(obj._typename, () => writeObject(w, obj));
  return w.finish();
}

function objString(text: string): TObjString {
  return { _typename: "TObjString", fUniqueID: 0, fBits: BITS_STACK, fString: text };
}

/** One client's Histos, in ME order, quality tests right after their ME. */
function histosOf(mes: readonly LegacyME[], variant: PbVariant, level: number): Histo[] {
  const w = new TBufferWriter();
  const histo = (fullPathname: string, flags: number, obj: RootObject): Histo => {
    const slot = pbSlot(obj, w);
    let streamedHisto = slot;
    if (variant === "zlib") {
      const fed = new Uint8Array(slot.length + 1);
      fed.set(slot);
      const z = deflateSync(fed, { level });
      streamedHisto = new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
    }
    return create(HistoSchema, { fullPathname, size: slot.length, streamedHisto, flags });
  };
  const out: Histo[] = [];
  for (const me of mes) {
    const name = me.path.slice(me.path.lastIndexOf("/") + 1);
    const v = me.value;
    const kindName = isScalar(v) ? v.kind : v._typename;
    const code = PB_KIND_CODES.get(kindName);
    if (code === undefined) {
      throw new TypeError(
        `Cannot write ME "${me.path}": ${kindName} has no protobuf kind (spec §4.2)`,
      );
    }
    const flags = code | (me.efficiency ? DQM_PROP_EFFICIENCY_PLOT : 0);
    out.push(histo(me.path, flags, isScalar(v) ? objString(scalarKeyName(name, v)) : v));
    for (const q of me.qtests ?? []) {
      out.push(histo(`${me.path}.${q.name}`, QTEST_FLAGS, objString(qtestKeyName(name, q))));
    }
  }
  return out;
}

/**
 * One client process's snapshot, as DQMFileSaverPB writes it.
 *
 * @param mes the client's MEs
 * @param variant `"zlib"` (default) or `"gzip"`
 * @param level payload zlib level (default 9) or file gzip level (default 1)
 * @returns the file bytes
 * @throws {TypeError} for an ME whose class has no protobuf kind, or a bad name
 *
 * @example A gzip-variant snapshot starts with the gzip magic
 * ```ts
 * import { generatePbMEs, writePbSnapshot } from "./pb.ts";
 *
 * const gz = writePbSnapshot(generatePbMEs({ count: 10, seed: 1 }), "gzip");
 * if (gz[0] !== 0x1f || gz[1] !== 0x8b) throw new Error("not gzip");
 * ```
 */
export function writePbSnapshot(
  mes: readonly LegacyME[],
  variant: PbVariant = "zlib",
  level?: number,
): Uint8Array {
  const histo = histosOf(mes, variant, variant === "zlib" ? level ?? PAYLOAD_LEVEL : 0);
  const bytes = toBinary(ROOTFilePBSchema, create(ROOTFilePBSchema, { histo }));
  if (variant === "zlib") return bytes;
  const gz = gzipSync(bytes, { level: level ?? FILE_LEVEL });
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

function staleValue(v: ScalarME, client: number): ScalarME {
  switch (v.kind) {
    case "Int":
      return {
        kind: "Int",
        value: typeof v.value === "bigint" ? v.value + BigInt(client + 1) : v.value + client + 1,
      };
    case "Float":
      return { kind: "Float", value: v.value + client + 1 };
    case "String":
      return { kind: "String", value: `${v.value} (client ${client})` };
  }
}

/**
 * Deal MEs out to client processes: each subsystem (first path segment) to
 * one client, round-robin in order of first appearance; every EventInfo ME
 * (`Subsystem/EventInfo/...`) to every client, stale scalar values in all
 * but the last one.
 *
 * @param mes the MEs
 * @param clients number of clients (at least 1)
 * @returns each client's MEs
 * @throws {RangeError} for fewer than one client
 *
 * @example Every client writes iRun; the last one has the true value
 * ```ts
 * import { generatePbMEs, splitPbClients } from "./pb.ts";
 *
 * const mes = generatePbMEs({ count: 30, seed: 1 });
 * const clients = splitPbClients(mes, 3);
 * const iRun = mes.find((m) => m.path.endsWith("/EventInfo/iRun"))!;
 * if (!clients[2]!.includes(iRun) || clients[0]!.includes(iRun)) throw new Error("bad split");
 * ```
 */
export function splitPbClients(mes: readonly LegacyME[], clients: number): LegacyME[][] {
  if (!Number.isInteger(clients) || clients < 1) {
    throw new RangeError(`Cannot split MEs over ${clients} clients: expected an integer >= 1`);
  }
  const out: LegacyME[][] = Array.from({ length: clients }, () => []);
  const subsystems = new Map<string, number>();
  for (const me of mes) {
    const parts = me.path.split("/", 2);
    if (parts[1] === SHARED_FOLDER && clients > 1) {
      for (let c = 0; c < clients - 1; c++) {
        const v = me.value;
        out[c]!.push(isScalar(v) ? { ...me, value: staleValue(v, c) } : me);
      }
      out[clients - 1]!.push(me);
      continue;
    }
    let s = subsystems.get(parts[0]!);
    if (s === undefined) subsystems.set(parts[0]!, s = subsystems.size);
    out[s % clients]!.push(me);
  }
  return out;
}

/**
 * Write a snapshot file: `clients` client snapshots concatenated.
 *
 * @param opts MEs, clients, variant and level
 * @returns the file bytes
 * @throws {TypeError} for an ME whose class has no protobuf kind
 *
 * @example Two clients, duplicated EventInfo MEs
 * ```ts
 * import { fromBinary } from "@bufbuild/protobuf";
 * import { ROOTFilePBSchema } from "../pb/mod.ts";
 * import { generatePbMEs, writePbFile } from "./pb.ts";
 *
 * const mes = generatePbMEs({ count: 40, seed: 3 });
 * const pb = fromBinary(ROOTFilePBSchema, writePbFile({ mes, clients: 2 }));
 * const names = pb.histo.map((h) => h.fullPathname);
 * if (names.length <= mes.length || new Set(names).size >= names.length) throw new Error("no duplicates");
 * ```
 */
export function writePbFile(opts: PbFileOptions): Uint8Array {
  const parts = splitPbClients(opts.mes, opts.clients ?? 1).map((mes) =>
    writePbSnapshot(mes, opts.variant ?? "zlib", opts.level)
  );
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `generateMEs`, with every other TH2S turned into a TH2I so that every
 * protobuf kind occurs (the generator makes no TH2I).
 *
 * @param opts as for `generateMEs`
 * @returns the MEs
 *
 * @example Some TH2I among 1,000 MEs
 * ```ts
 * import { generatePbMEs } from "./pb.ts";
 *
 * const mes = generatePbMEs({ count: 1000, seed: 1 });
 * if (!mes.some((m) => "_typename" in m.value && m.value._typename === "TH2I")) throw new Error("no TH2I");
 * ```
 */
export function generatePbMEs(opts: GenerateOptions): LegacyME[] {
  const th2i = DQMIO_TYPES.indexOf("TH2I");
  let th2s = 0;
  return generateMEs(opts).map((me) =>
    !isScalar(me.value) && me.value._typename === "TH2S" && th2s++ % 2 === 1
      ? convertME(me, th2i)
      : me
  );
}
