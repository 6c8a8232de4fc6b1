/**
 * @module
 * Reproducible timestamps and UUIDs for the writer: a `TDatime` packed from a
 * `Date` (spec `formats.md` §1.1) and deterministic 16-byte UUIDs, so that
 * the same input always gives the same file bytes.
 */

/** TDatime counts years from 1995 (spec §1.1). */
const TDATIME_EPOCH_YEAR = 1995;

/**
 * Packs a date (UTC fields) as ROOT's TDatime:
 * `(year-1995)<<26 | month<<22 | day<<17 | hour<<12 | min<<6 | sec`.
 *
 * @param d the date, between 1995 and 2058
 * @returns the packed u32
 * @throws {RangeError} for a year outside what 6 bits can hold
 */
export function datimeOf(d: Date): number {
  const year = d.getUTCFullYear() - TDATIME_EPOCH_YEAR;
  if (year < 0 || year > 63) {
    throw new RangeError(`Cannot encode date ${d.toISOString()} as a TDatime: year out of range`);
  }
  return ((year << 26) | ((d.getUTCMonth() + 1) << 22) | (d.getUTCDate() << 17) |
    (d.getUTCHours() << 12) | (d.getUTCMinutes() << 6) | d.getUTCSeconds()) >>> 0;
}

/**
 * Sixteen pseudo-random UUID bytes derived from `seed` and `index`
 * (splitmix32-style mixing), with the RFC 4122 version-1 and variant bits
 * set like ROOT's time-based TUUIDs.
 *
 * @param seed file-level seed
 * @param index which UUID of the file (0 for the file itself)
 * @returns the 16 bytes
 */
export function uuidBytes(seed: number, index: number): Uint8Array {
  const out = new Uint8Array(16);
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  for (let i = 0; i < 16; i += 4) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z = (z ^ (z >>> 15)) >>> 0;
    out[i] = z >>> 24;
    out[i + 1] = (z >>> 16) & 0xff;
    out[i + 2] = (z >>> 8) & 0xff;
    out[i + 3] = z & 0xff;
  }
  out[6] = (out[6]! & 0x0f) | 0x10; // version 1
  out[8] = (out[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return out;
}
