/**
 * @module
 * The `flags` word of a ROOTFilePB Histo (spec/formats.md §4.2; CMSSW
 * DQMServices/Core `MonitorElementData::Kind` and `DQMNet` `DQM_PROP_*`):
 * the ME kind in the low byte, property bits above it. Shared by the
 * importer (core/importers/protobuf.ts) and the writer (core/writer/pb.ts).
 *
 * This module is browser compatible.
 */

/** Mask of the kind byte in `flags`. */
export const PB_KIND_MASK = 0xff;
/** `DQM_PROP_LUMI`: the ME is reset every lumisection (not imported). */
export const DQM_PROP_LUMI = 0x00040000;
/** `DQM_PROP_EFFICIENCY_PLOT`: draw as an efficiency (the original ignored it, spec §6.9). */
export const DQM_PROP_EFFICIENCY_PLOT = 0x00200000;
/** Kinds up to this value are scalars stored as TObjStrings of fake XML (spec §4.2). */
export const PB_MAX_SCALAR_KIND = 0x0f;

/** Kind byte → ME kind (scalar kind or ROOT class), spec §4.2. */
export const PB_KINDS: ReadonlyMap<number, string> = new Map([
  [0x01, "Int"],
  [0x02, "Float"],
  [0x03, "String"],
  [0x10, "TH1F"],
  [0x11, "TH1S"],
  [0x12, "TH1D"],
  [0x13, "TH1I"],
  [0x20, "TH2F"],
  [0x21, "TH2S"],
  [0x22, "TH2D"],
  [0x23, "TH2I"],
  [0x30, "TH3F"],
  [0x40, "TProfile"],
  [0x41, "TProfile2D"],
]);

/** ME kind → kind byte: the inverse of {@link PB_KINDS}. */
export const PB_KIND_CODES: ReadonlyMap<string, number> = new Map(
  [...PB_KINDS].map(([code, kind]) => [kind, code]),
);

/**
 * The ME kind a Histo's flags name.
 *
 * @param flags the Histo's `flags`
 * @returns "Int", "TH1F", ..., or undefined for a kind byte not in the table
 *
 * @example Kind of an efficiency TProfile, and of a byte not in the table
 * ```ts
 * import { DQM_PROP_EFFICIENCY_PLOT, pbKindOf } from "./kinds.ts";
 * if (pbKindOf(0x40 | DQM_PROP_EFFICIENCY_PLOT) !== "TProfile") throw new Error("bad kind");
 * if (pbKindOf(0x55) !== undefined) throw new Error("0x55 is not a kind");
 * ```
 */
export function pbKindOf(flags: number): string | undefined {
  return PB_KINDS.get(flags & PB_KIND_MASK);
}
