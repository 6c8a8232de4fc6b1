/**
 * @module
 * Test support for the protobuf importer: an independent decode of snapshot
 * bytes with `@bufbuild/protobuf`'s generic `fromBinary`, node:zlib and a
 * hand-rolled TObjString parse (no code of ours), and a re-encoder that
 * writes the same Histos with another field order and unknown fields.
 */

import { fromBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { gunzipSync, inflateSync } from "node:zlib";
import { type Histo, ROOTFilePBSchema } from "../pb/mod.ts";
import type { Source } from "../root/source.ts";

/** The Histos of a snapshot (gunzipped first when it is gzip-compressed). */
export function genericHistos(bytes: Uint8Array): Histo[] {
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  return fromBinary(ROOTFilePBSchema, plain).histo;
}

/** The TBufferFile of a Histo: inflated (zlib) or raw, cut to `size`. */
export function genericSlot(h: Histo): Uint8Array {
  const p = h.streamedHisto;
  // Raw slots start with a byte count (0x40...), zlib streams here with 0x78.
  const inflated = p[0] === 0x78 ? new Uint8Array(inflateSync(p)) : p;
  return inflated.subarray(0, h.size);
}

/**
 * The text of a TObjString slot, parsed by position (spec formats.md §1.8,
 * §1.9.3): byte count, kNewClassTag, "TObjString\0", byte count, version,
 * TObject (version, fUniqueID, fBits), then the TString.
 */
export function genericObjString(slot: Uint8Array): string {
  const name = new TextDecoder().decode(slot.subarray(8, 19));
  if (name !== "TObjString\0") throw new Error(`not a TObjString slot: ${name}`);
  let at = 8 + 11 + 4 + 2 + 2 + 4 + 4;
  let n = slot[at++]!;
  if (n === 255) {
    n = new DataView(slot.buffer, slot.byteOffset + at, 4).getUint32(0);
    at += 4;
  }
  return new TextDecoder().decode(slot.subarray(at, at + n));
}

/** The last Histo of each name, in order of last appearance. */
export function lastByName(histos: readonly Histo[]): Map<string, Histo> {
  const last = new Map<string, Histo>();
  for (const h of histos) {
    last.delete(h.fullPathname);
    last.set(h.fullPathname, h);
  }
  return last;
}

/** Options of {@link encodeHistos}. */
export interface EncodeOptions {
  /** Field numbers in the order to write them (default 1, 2, 3, 4). */
  order?: readonly number[];
  /** Add unknown fields of every wire type, groups included, inside and between Histos. */
  unknown?: boolean;
  /** Write `flags` as a 10-byte varint with bits set above bit 32. */
  wideFlags?: boolean;
}

/** Re-encode Histos by hand with protobuf-es's BinaryWriter. */
export function encodeHistos(histos: readonly Histo[], opts: EncodeOptions = {}): Uint8Array {
  const w = new BinaryWriter();
  const order = opts.order ?? [1, 2, 3, 4];
  for (const h of histos) {
    if (opts.unknown) w.tag(15, WireType.Varint).uint32(7);
    w.tag(1, WireType.LengthDelimited).fork();
    if (opts.unknown) {
      w.tag(9, WireType.Varint).uint64(0xfedcba9876543210n);
      w.tag(13, WireType.StartGroup);
      w.tag(1, WireType.Varint).int32(-1);
      w.tag(2, WireType.StartGroup).tag(2, WireType.EndGroup);
      w.tag(13, WireType.EndGroup);
    }
    for (const f of order) {
      if (f === 1) w.tag(1, WireType.LengthDelimited).string(h.fullPathname);
      if (f === 2) w.tag(2, WireType.Varint).uint32(h.size);
      if (f === 3) w.tag(3, WireType.LengthDelimited).bytes(h.streamedHisto);
      if (f === 4) {
        const flags = opts.wideFlags ? (0xabcdn << 32n) | BigInt(h.flags) : BigInt(h.flags);
        w.tag(4, WireType.Varint).uint64(flags);
      }
      if (opts.unknown && f === order[1]) {
        w.tag(10, WireType.Bit64).fixed64(1n);
        w.tag(11, WireType.Bit32).fixed32(7);
        w.tag(12, WireType.LengthDelimited).bytes(new Uint8Array([1, 2, 3]));
      }
    }
    w.join();
  }
  return w.finish();
}

/** A Source that records the ranges read. */
export class RecordingSource implements Source {
  readonly reads: [number, number][] = [];
  readonly name: string;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, name: string) {
    this.#bytes = bytes;
    this.name = name;
  }

  get size(): number {
    return this.#bytes.length;
  }

  read(start: number, length: number): Promise<Uint8Array> {
    this.reads.push([start, length]);
    return Promise.resolve(this.#bytes.subarray(start, start + length));
  }

  close(): void {}
}
