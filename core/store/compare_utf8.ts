/**
 * @module
 * String comparison in UTF-8 byte order, the order of every sorted ME list
 * and of every binary search over one (spec/api.md, "bytes order").
 *
 * JavaScript's `<` compares UTF-16 code units. That agrees with UTF-8 byte
 * order (which is code-point order) except when the first difference is
 * between a surrogate (U+D800–U+DFFF, half of an astral character such as
 * "𝔸" U+1D538) and a BMP character in U+E000–U+FFFF (such as "ｆ" U+FF46):
 * UTF-16 puts the astral character first, UTF-8 puts it last.
 *
 * This module is browser compatible.
 */

/** Matches any code unit for which UTF-16 order may differ from UTF-8 order. */
const HIGH_UNITS = /[\uD800-\uFFFF]/;

/**
 * Compare two strings by the unsigned bytes of their UTF-8 encodings, without
 * encoding them.
 *
 * @param a first string (well-formed UTF-16)
 * @param b second string (well-formed UTF-16)
 * @returns a negative number if `a` sorts first, 0 if equal, positive otherwise
 *
 * @example Astral characters sort after U+FFxx, as in UTF-8
 * ```ts
 * import { compareUtf8 } from "./compare_utf8.ts";
 * const astral = "\u{1D538}"; // UTF-8 f0 9d 94 b8
 * const fullwidth = "\uFF46"; // UTF-8 ef bd 86
 * if (!(astral < fullwidth)) throw new Error("UTF-16 order differs here");
 * if (!(compareUtf8(astral, fullwidth) > 0)) throw new Error("wrong order");
 * ```
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only when both units are ≥ U+D800 can the orders disagree: move the
      // surrogates above U+E000–U+FFFF, where their code points really are.
      if (x >= 0xd800 && y >= 0xd800) return shiftSurrogate(x) - shiftSurrogate(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function shiftSurrogate(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Native comparison, valid as UTF-8 order when no string involved has a code
 * unit ≥ U+D800 (see {@linkcode hasHighUnits}); several times faster than
 * {@linkcode compareUtf8} on paths with long common prefixes.
 *
 * @param a first string
 * @param b second string
 * @returns -1, 0 or 1
 */
export function compareNative(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether a string holds a code unit for which native comparison may
 * disagree with {@linkcode compareUtf8}.
 *
 * @param s the string to test
 * @returns true when `s` has a code unit in U+D800–U+FFFF
 */
export function hasHighUnits(s: string): boolean {
  return HIGH_UNITS.test(s);
}
