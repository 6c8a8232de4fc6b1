/**
 * @module
 * A small block cache in front of a `Source`. Walking a ROOT directory tree
 * makes many small reads (key headers, directory records, keys lists) that sit
 * close together; reading aligned 64 KiB blocks once turns hundreds of
 * syscalls into a few, without ever reading a big file whole.
 */

import type { Source } from "./source.ts";

/** Block size: large enough to hold several keys lists, small enough to waste little. */
export const BLOCK_SIZE = 64 * 1024;
/** Reads larger than this bypass the cache (object payloads, baskets). */
const DIRECT_READ_THRESHOLD = 2 * BLOCK_SIZE;

/** A read-through LRU cache of aligned blocks. */
export class BlockCache {
  readonly #source: Source;
  readonly #maxBlocks: number;
  readonly #blocks = new Map<number, Promise<Uint8Array>>();

  /**
   * @param source the underlying source
   * @param maxBlocks cache capacity in blocks
   */
  constructor(source: Source, maxBlocks = 64) {
    this.#source = source;
    this.#maxBlocks = maxBlocks;
  }

  /**
   * Read `[start, start + length)`, clamped at the end of the source.
   *
   * @param start offset
   * @param length byte count
   * @returns the bytes (possibly shorter at the end of the source)
   */
  async read(start: number, length: number): Promise<Uint8Array> {
    const end = Math.min(start + length, this.#source.size);
    // Past the end: an empty read, so the decoder reports a truncated file.
    if (start >= end) return new Uint8Array(0);
    if (end - start > DIRECT_READ_THRESHOLD) return this.#source.read(start, end - start);
    const first = Math.floor(start / BLOCK_SIZE);
    const last = Math.floor((end - 1) / BLOCK_SIZE);
    if (first === last) {
      const block = await this.#block(first);
      const base = first * BLOCK_SIZE;
      return block.subarray(start - base, end - base);
    }
    const out = new Uint8Array(end - start);
    for (let b = first; b <= last; b++) {
      const block = await this.#block(b);
      const base = b * BLOCK_SIZE;
      const from = Math.max(start, base);
      const to = Math.min(end, base + block.length);
      out.set(block.subarray(from - base, to - base), from - start);
    }
    return out;
  }

  #block(index: number): Promise<Uint8Array> {
    let block = this.#blocks.get(index);
    if (block) {
      this.#blocks.delete(index);
      this.#blocks.set(index, block);
      return block;
    }
    block = this.#source.read(index * BLOCK_SIZE, BLOCK_SIZE);
    this.#blocks.set(index, block);
    block.catch(() => this.#blocks.delete(index));
    if (this.#blocks.size > this.#maxBlocks) {
      const oldest = this.#blocks.keys().next().value;
      if (oldest !== undefined) this.#blocks.delete(oldest);
    }
    return block;
  }
}
