/**
 * @module
 * Storage of the DQM GUI: the sample index (dataset, run, lumi → file) and
 * the ME list of every imported sample, in one SQLite file.
 *
 * - {@linkcode MEList}: one sample's MEs, sorted in UTF-8 byte order, with
 *   binary search and fast directory listings;
 * - {@linkcode encodeMEList} / {@linkcode decodeMEList}: its compressed,
 *   versioned blob form and content hash;
 * - {@linkcode Store}: samples and blobs in SQLite (WAL), with migrations.
 *
 * Only this folder touches SQLite (STYLE rule 5); `MEList` and the blob
 * codec are pure and browser compatible.
 *
 * @example Import once, list folders
 * ```ts
 * import { decodeMEList, encodeMEList, MEList, Store } from "./mod.ts";
 *
 * const store = Store.open(":memory:");
 * const key = { dataset: "/Global/Online/ALL", run: 0, lumi: 0 };
 * store.register([{ ...key, file: "/data/pb/run355100.pb", fileformat: 3 }]);
 *
 * // An importer produced these entries:
 * const list = new MEList([
 *   { path: "Pixel/EventInfo/reportSummary", kind: "Float", seek: 0, offset: 120, size: 40, value: "0.98" },
 *   { path: "Pixel/Tracks/charge", kind: "TH1F", seek: 0, offset: 160, size: 900 },
 * ]);
 * store.saveMELists("/data/pb/run355100.pb", 3, key.dataset, new Map([["0:0", { ...encodeMEList(list), count: list.count }]]));
 *
 * // Later, serving a request:
 * const sample = store.getSample(key)!;
 * const blobs = store.loadMEList(sample.melistId!)!;
 * const loaded = decodeMEList(blobs.names, blobs.infos);
 * const root = loaded.list("");
 * if (root.dirs[0]?.name !== "Pixel" || root.dirs[0].count !== 2) throw new Error("listing");
 * store.close();
 * ```
 */

export { compareUtf8 } from "./compare_utf8.ts";
export {
  type FolderEntry,
  folderKey,
  type FolderListing,
  MAX_KINDS,
  ME_FLAG_EFFICIENCY,
  ME_FLAG_QTESTS,
  ME_FLAG_VALUE,
  type MEColumns,
  type MEEntry,
  MEList,
  type QTestResult,
  type QTLevel,
} from "./melist.ts";
export {
  decodeMEList,
  encodeMEList,
  MAX_PAYLOAD_BYTES,
  MELIST_BLOB_VERSION,
  MELIST_MAGIC,
  MELIST_ZLIB_LEVEL,
  type MEListBlobs,
} from "./melist_blob.ts";
export { type Migration, MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
export {
  type FindQuery,
  type FindResult,
  type SampleKey,
  type SampleRecord,
  type SampleRegistration,
  type SamplesQuery,
  Store,
  type StoredMEList,
  type StoreOptions,
} from "./store.ts";
