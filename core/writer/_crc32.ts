/**
 * @module
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as the .xz
 * container uses for its headers, index and `LZMA_CHECK_CRC32` block
 * checks (xz file format specification §5.3.1).
 *
 * This module is browser compatible.
 */

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/**
 * CRC-32 of `data`.
 *
 * @param data the bytes
 * @returns the unsigned 32-bit CRC
 */
export function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
