/**
 * @module
 * The shapes the store reads and writes: sample keys, registrations, rows,
 * search queries and stored ME lists.
 *
 * This module is browser compatible.
 */

/** Identifies a sample. `lumi` 0 = per-run data. */
export interface SampleKey {
  /** "/Primary/Processed/Tier". */
  dataset: string;
  /** Run number; 0 = online live mode. */
  run: number;
  /** Lumisection; 0 = the whole run. */
  lumi: number;
}

/** A sample to register. */
export interface SampleRegistration extends SampleKey {
  /** Path or URL of the data file. */
  file: string;
  /** 1 legacy TDirectory, 2 DQMIO, 3 protobuf. */
  fileformat: number;
}

/** A sample row. */
export interface SampleRecord extends SampleRegistration {
  /** Registration time, ms since the epoch. */
  registered: number;
  /** Its ME list, or null until imported. */
  melistId: number | null;
  /** Why the last import failed, or null. */
  importError: string | null;
}

/** Samples query (spec/api.md §3.2 with the fixes of §12). */
export interface SamplesQuery {
  /** Substring of the decimal run number ("" or absent: any run). */
  run?: string;
  /** Case-insensitive substring of the dataset; `%` and `_` are literal. */
  dataset?: string;
  /** Absent or 0: lumi 0 only; -1: every lumi > 0; > 0: exactly that lumi; < -1: all. */
  lumi?: number;
  /** Most rows to return (default: no limit). */
  limit?: number;
}

/** Sample search of the finder (`/api/v1/find`). */
export interface FindQuery {
  /** Which datasets: a name, a substring of one, or a test of the whole name. */
  dataset?: string | ((dataset: string) => boolean);
  /** `dataset` is the exact name (a string only). */
  exact?: boolean;
  /** Inclusive run ranges, any of which may match (absent or empty: any run). */
  runs?: readonly (readonly [number, number])[];
  /** 0: lumi 0 only; -1: every lumi > 0; > 0: exactly that lumi; "all": any. */
  lumi?: number | "all";
  /** Most rows to return (default 1000). */
  limit?: number;
}

/** What {@linkcode FindQuery} found: a page of keys and how many matched in all. */
export interface FindResult {
  /** Latest run first, then dataset, then lumi. */
  data: SampleKey[];
  /** Matches in all, beyond the limit too. */
  total: number;
}

/** The compressed ME list of one (run, lumi), as `encodeMEList` makes it plus its entry count. */
export interface StoredMEList {
  /** zlib of the sorted paths. */
  names: Uint8Array;
  /** zlib of the infos layout. */
  infos: Uint8Array;
  /** Hex SHA-256 of the content. */
  hash: string;
  /** Number of MEs. */
  count: number;
}
