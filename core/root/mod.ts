/**
 * @module
 * Reading ROOT files: sources with positioned reads, the TFile/TKey/TDirectory
 * container, compression blocks, TBufferFile object decoding with hand-written
 * and streamer-driven class readers (spec/formats.md §1), and TTrees with
 * their branches and baskets (§2).
 */

export { FileSource, MemorySource, type Source } from "./source.ts";
export { Cursor } from "./cursor.ts";
export { RootFormatError } from "./errors.ts";
export {
  decodeObject,
  type DecodeOptions,
  type Directory,
  type FileHeader,
  RootFile,
  type WalkEntry,
} from "./file.ts";
export { isDirectoryClass, type TKey } from "./directory.ts";
export { unzipPayload } from "./compression.ts";
export { ObjectReader } from "./buffer.ts";
export { StreamerSet } from "./streamers.ts";
export { RootTree } from "./tree.ts";
export { type NumberArrays, RootBranch } from "./branch.ts";
export {
  type BasketContext,
  type BasketData,
  type BasketInfo,
  entryRange,
  readBasket,
} from "./basket.ts";
export * from "./models/mod.ts";
