/**
 * @module
 * Writes ROOT files the way ROOT and CMSSW do, for tests, benchmarks and the
 * server's demo data: a TBufferFile writer ({@link TBufferWriter}), object
 * serialisers for histograms and strings ({@link writeObject}), the
 * StreamerInfo record ({@link writeStreamerInfoList}), a small-file TFile
 * writer ({@link TFileWriter}), histogram builders that keep ROOT's
 * statistics ({@link makeTH1}, {@link fill}, ...), the legacy DQM layout
 * ({@link writeLegacyDqmFile}), TTrees with ROOT's basket layout
 * ({@link TreeWriter}), DQMIO files ({@link writeDqmioFile}), the
 * compression algorithms ROOT uses (zlib, LZMA, LZ4, ZSTD) and a seeded ME
 * generator ({@link generateMEs}). Data in, bytes out: nothing touches the
 * file system.
 *
 * @example Generate 100 MEs and write them as a legacy DQM file
 * ```ts
 * import { generateMEs, writeLegacyDqmFile } from "./mod.ts";
 *
 * const bytes = writeLegacyDqmFile({ run: 42, mes: generateMEs({ count: 100, seed: 1, run: 42 }) });
 * if (new TextDecoder().decode(bytes.subarray(0, 4)) !== "root") throw new Error("bad magic");
 * ```
 */

export {
  kByteCountMask,
  kClassMask,
  kMapOffset,
  kNewClassTag,
  TBufferWriter,
  tstringSize,
} from "./tbuffer_writer.ts";
export { CLASS_VERSIONS, OBJECT_WRITERS, type ObjectWriter, writeObject } from "./objects.ts";
export {
  CLASS_DEFS,
  classChecksum,
  type ClassDef,
  type ElementDef,
  streamerInfoClosure,
  writeStreamerInfo,
  writeStreamerInfoList,
} from "./streamer_infos.ts";
export {
  BLOCK_HEADER_SIZE,
  type CompressionAlgorithm,
  compressionSetting,
  type CompressionSettings,
  compressionSettings,
  MAX_BLOCK_INPUT,
  MIN_COMPRESSED_PAYLOAD,
  type XzEncoder,
  zipPayload,
} from "./compression.ts";
export { lz4Bound, lz4CompressBlock } from "./lz4.ts";
export { lzma2Encode, LZMA_PROPS } from "./lzma.ts";
export { xzCompress, xzWrap } from "./xz.ts";
export { xxh64 } from "./xxhash64.ts";
export {
  type DirectoryHandle,
  type KeyInfo,
  MAX_SMALL_FILE_SIZE,
  type PutOptions,
  type RecordPlace,
  ROOT_VERSION_CODE,
  TFileWriter,
  type TFileWriterOptions,
} from "./tfile_writer.ts";
export {
  type AxisSpec,
  type HistogramSpec,
  makeAxis,
  makeTH1,
  makeTH2,
  makeTH3,
  makeTProfile,
  makeTProfile2D,
  type TH1Class,
  type TH2Class,
  type TH3Class,
} from "./histograms.ts";
export { fill, fill2, fill3, fillProfile, fillProfile2D, findBin, setBinContent } from "./fill.ts";
export {
  efficiencyKeyName,
  legacyFileName,
  type LegacyFileOptions,
  type LegacyME,
  qtestKeyName,
  type QTestResult,
  scalarKeyName,
  type ScalarME,
  writeLegacyDqmFile,
} from "./legacy.ts";
export { generateMEs, type GenerateOptions } from "./generate.ts";
export {
  BASKET_KEY_VERSION,
  BASKET_VERSION,
  type BasketContent,
  basketKeyLength,
  type BasketRecord,
  buildBasketRecord,
} from "./basket.ts";
export {
  type BasketSink,
  BranchWriter,
  DEFAULT_ENTRY_OFFSET_LEN,
  type WrittenBasket,
} from "./branch.ts";
export {
  type BranchSpec,
  DEFAULT_BASKET_SIZE,
  type EntryValue,
  type LeafType,
  type TreeSummary,
  TreeWriter,
} from "./ttree.ts";
export {
  DQMIO_TREES,
  DQMIO_TYPES,
  type DqmioIndexRow,
  type DqmioManifest,
  type DqmioManifestME,
  type DqmioOptions,
  type DqmioType,
  kNoTypesStored,
  writeDqmioChunks,
  writeDqmioFile,
} from "./dqmio.ts";
export {
  generatePbMEs,
  type PbFileOptions,
  pbSlot,
  type PbVariant,
  splitPbClients,
  writePbFile,
  writePbSnapshot,
} from "./pb.ts";
