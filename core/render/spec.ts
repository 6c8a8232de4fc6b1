/**
 * @module
 * The option spec string of a render request (spec/render.md §2.1): the
 * classic grammar in the classic client's order (§2.2), with its bugs fixed:
 * a range of 0 is sent, `ref` is sent, and option values (`drawopts`,
 * `reflabelN`) are percent-encoded so that `text,colz` or `Run 316142:5`
 * survive (our daemon percent-decodes them; the classic daemon rejected any
 * character outside `[A-Za-z0-9 ]`).
 *
 * This module is browser compatible.
 */

import type { RenderOptions } from "./types.ts";

/** Largest width or height the daemon accepts (render-native: w,h in 1..4096). */
export const MAX_IMAGE_SIZE = 4096;
/** Overlays carry labels 1..9 (`reflabel1`..`reflabel9`, spec/render.md §2.1). */
export const MAX_REFLABELS = 9;

const RANGE_KEYS = ["xmin", "xmax", "ymin", "ymax", "zmin", "zmax"] as const;
const AXIS_KEYS = ["xtype", "ytype", "ztype"] as const;
const AXIS_TYPES = new Set(["lin", "log"]);
const REF_MODES = new Set(["object", "overlay", "ratiooverlay", "stacked"]);
/** Characters the classic option grammar accepts as they are (spec/render.md §2.1). */
const PLAIN = /^[A-Za-z0-9 ]$/;
const encoder = new TextEncoder();

/**
 * Percent-encode an option value: every UTF-8 byte outside `[A-Za-z0-9 ]`
 * becomes `%XX` (upper-case hex), so the value contains no `;` and the
 * daemon's option parser sees only characters it accepts. NUL characters
 * are dropped: the daemon refuses `%00` (option values are C strings).
 *
 * @param value the raw value
 * @returns the encoded value
 *
 * @example
 * ```ts
 * import { encodeOptionValue } from "./spec.ts";
 * if (encodeOptionValue("text,colz") !== "text%2Ccolz") throw new Error("bad encoding");
 * ```
 */
export function encodeOptionValue(value: string): string {
  let out = "";
  for (const ch of value) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    if (ch === "\0") continue;
    for (const byte of encoder.encode(ch)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1 || v > MAX_IMAGE_SIZE) {
    throw new RangeError(
      `Cannot build render spec: ${name} must be an integer in 1..${MAX_IMAGE_SIZE}, got ${v}`,
    );
  }
}

/**
 * Build the spec string of a request: `h=<h>;w=<w>` first, then, only when
 * they differ from the daemon's defaults, `showstats=0`, `norm=False`,
 * `showerrbars=1`, the axis types, the ranges (0 included; NaN and infinities
 * mean unset), `ref`, `drawopts` and `reflabel1..9` (empty labels left out).
 *
 * @param options the render options
 * @returns the spec string, without a trailing `;`
 * @throws {RangeError} for a size outside 1..4096 or more than 9 labels
 * @throws {TypeError} for an unknown axis type or ref mode
 *
 * @example The classic defaults give only the size
 * ```ts
 * import { specString } from "./spec.ts";
 * const spec = specString({ width: 266, height: 200, stats: false, norm: true, errors: false, xmin: 0 });
 * if (spec !== "h=200;w=266;showstats=0;xmin=0") throw new Error(spec);
 * ```
 */
export function specString(options: RenderOptions): string {
  checkSize("width", options.width);
  checkSize("height", options.height);
  const items = [`h=${options.height}`, `w=${options.width}`];
  if (!options.stats) items.push("showstats=0");
  if (!options.norm) items.push("norm=False");
  if (options.errors) items.push("showerrbars=1");
  for (const key of AXIS_KEYS) {
    const v = options[key];
    if (v === undefined) continue;
    if (!AXIS_TYPES.has(v)) {
      throw new TypeError(`Cannot build render spec: ${key} must be "lin" or "log", got "${v}"`);
    }
    items.push(`${key}=${v}`);
  }
  for (const key of RANGE_KEYS) {
    const v = options[key];
    // String(number) is a valid strtod input ("1", "-0.5", "1e-7", "1e+21").
    if (typeof v === "number" && Number.isFinite(v)) items.push(`${key}=${String(v)}`);
  }
  if (options.ref !== undefined) {
    if (!REF_MODES.has(options.ref)) {
      throw new TypeError(`Cannot build render spec: unknown ref mode "${options.ref}"`);
    }
    items.push(`ref=${options.ref}`);
  }
  if (options.drawopts) items.push(`drawopts=${encodeOptionValue(options.drawopts)}`);
  const labels = options.reflabels ?? [];
  if (labels.length > MAX_REFLABELS) {
    throw new RangeError(
      `Cannot build render spec: at most ${MAX_REFLABELS} reflabels, got ${labels.length}`,
    );
  }
  labels.forEach((label, i) => {
    if (label) items.push(`reflabel${i + 1}=${encodeOptionValue(label)}`);
  });
  return items.join(";");
}
