/**
 * @module
 * The class versions the render daemon decodes (ROOT 6's, spec/formats.md
 * §1.9) and a cheap check that a TKey payload uses exactly those: it reads
 * version headers and skips bodies by their byte counts, so a histogram of
 * any size costs a few dozen reads. Anything it cannot vouch for is
 * re-encoded by `records.ts` instead.
 *
 * This module is browser compatible.
 */

import { Cursor } from "../root/cursor.ts";
import { CLASS_VERSIONS } from "../writer/objects.ts";

/** Classes the daemon decodes (render-native/decode_hist.cc). */
const DAEMON_CLASSES = [
  "TObject",
  "TNamed",
  "TObjString",
  "TList",
  "THashList",
  "TAttLine",
  "TAttFill",
  "TAttMarker",
  "TAttAxis",
  "TAxis",
  "TH1",
  "TH2",
  "TH3",
  "TH1C",
  "TH1S",
  "TH1I",
  "TH1F",
  "TH1D",
  "TH2C",
  "TH2S",
  "TH2I",
  "TH2F",
  "TH2D",
  "TH3C",
  "TH3S",
  "TH3I",
  "TH3F",
  "TH3D",
  "TProfile",
  "TProfile2D",
] as const;

/**
 * Class versions the daemon decodes; any other version gets reply code 1.
 * They are ROOT 6's, the versions our writer writes (core/writer
 * CLASS_VERSIONS), which is what lets `records.ts` re-encode anything older.
 */
export const DAEMON_CLASS_VERSIONS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(DAEMON_CLASSES.map((c) => [c, CLASS_VERSIONS[c]!])),
);

/** Base chain of each renderable class down to TH1 (each streamed as a versioned base). */
function baseChain(className: string): string[] | null {
  if (/^TH1[CSIFD]$/.test(className)) return [className, "TH1"];
  if (/^TH2[CSIFD]$/.test(className)) return [className, "TH2", "TH1"];
  if (/^TH3[CSIFD]$/.test(className)) return [className, "TH3", "TH1"];
  if (className === "TProfile") return ["TProfile", "TH1D", "TH1"];
  if (className === "TProfile2D") return ["TProfile2D", "TH2D", "TH2", "TH1"];
  return null;
}

/** TObject kIsReferenced: a u16 process id follows fBits (spec/formats.md §1.9.1). */
const kIsReferenced = 0x10;
/** TH1 fixed fields between the axes and fContour: 2 × i16 + 8 × f64 (§1.9.6). */
const TH1_FIXED_BYTES = 2 * 2 + 8 * 8;

/** Read a version header and check it; returns its end (by byte count) or -1. */
function expect(c: Cursor, className: string, needByteCount = true): number {
  const h = c.version();
  if (h.version !== DAEMON_CLASS_VERSIONS[className]) return -1;
  if (!h.byteCount) return needByteCount ? -1 : c.pos;
  const end = h.countedFrom + h.byteCount;
  return end <= c.bytes.length ? end : -1;
}

/** Check a versioned base or member at the current position and skip it. */
function skipChecked(c: Cursor, className: string): boolean {
  const end = expect(c, className);
  if (end < 0) return false;
  c.seek(end);
  return true;
}

/** TAxis v10: TNamed v1 and TAttAxis v4 inside, the rest skipped by byte count. */
function checkAxis(c: Cursor): boolean {
  const end = expect(c, "TAxis");
  if (end < 0 || !skipChecked(c, "TNamed") || !skipChecked(c, "TAttAxis")) return false;
  c.seek(end);
  return true;
}

/** TH1 v8 up to fFunctions, which must be an empty TList v5 (else: re-encode). */
function checkTH1(c: Cursor): boolean {
  if (expect(c, "TH1") < 0) return false;
  for (const base of ["TNamed", "TAttLine", "TAttFill", "TAttMarker"]) {
    if (!skipChecked(c, base)) return false;
  }
  c.skip(4); // fNcells
  for (let i = 0; i < 3; i++) if (!checkAxis(c)) return false;
  c.skip(TH1_FIXED_BYTES);
  for (let i = 0; i < 2; i++) c.skip(8 * Math.max(0, c.i32())); // fContour, fSumw2 (bare TArrayD)
  c.tstring(); // fOption
  if (expect(c, "TList") < 0) return false;
  c.skip(2 + 4); // TObject version, fUniqueID
  if (c.u32() & kIsReferenced) c.skip(2);
  c.tstring(); // list name
  return c.i32() === 0;
}

/**
 * Whether a TKey payload of `className` uses only class versions the daemon
 * decodes, with nothing in it that needs the key's object map (a non-empty
 * fFunctions list may hold objects referring back to the histogram at the
 * key's tag 1, which no displacement can fix).
 *
 * @param className the key's class
 * @param payload the decompressed payload
 * @returns true when the payload can be sent as it is
 */
export function payloadIsCurrent(className: string, payload: Uint8Array): boolean {
  try {
    const c = new Cursor(payload);
    if (className === "TObjString") return expect(c, "TObjString") >= 0;
    const chain = baseChain(className);
    if (!chain) return false;
    for (const cls of chain.slice(0, -1)) if (expect(c, cls) < 0) return false;
    return checkTH1(c);
  } catch {
    // A truncated or odd payload: let the full decoder judge (and report) it.
    return false;
  }
}
