/**
 * @module
 * The importer contract shared by the three file formats (STYLE rule 11): an
 * importer reads a file through a `Source` and returns, per (run, lumi), the
 * list of monitor elements it holds. It never touches the store: imports run
 * in worker threads and the main thread saves the result.
 */

import type { Source } from "../root/source.ts";
import type { MEEntry } from "../store/me_entry.ts";

/** File formats, numbered as the original's FileFormat enum (and the register API). */
export const FileFormat = {
  /** Legacy TDirectory ROOT files. */
  DQMCLASSIC: 1,
  /** DQMIO TTree ROOT files. */
  DQMIO: 2,
  /** Online protobuf snapshots. */
  PROTOBUF: 3,
} as const;

/** One of the `FileFormat` numbers. */
export type FileFormat = typeof FileFormat[keyof typeof FileFormat];

/** What is being imported. */
export interface ImportRequest {
  /** Registered dataset name. */
  dataset: string;
  /** Registered run. */
  run: number;
  /** Registered lumisection (0 = per run, -1 = every lumisection in the file). */
  lumi: number;
}

/** An importer's result. */
export interface ImportResult {
  /** ME lists keyed by `"{run}:{lumi}"`. */
  lists: Map<string, MEEntry[]>;
  /** Recoverable oddities (skipped keys, unparsable scalar strings). */
  warnings: string[];
}

/** An importer of one file format. */
export interface Importer {
  /** The format it reads. */
  readonly format: FileFormat;
  /**
   * Whether the first bytes of a file look like this format.
   *
   * @param header the first bytes (at least 64 when the file is that long)
   */
  canImport(header: Uint8Array): boolean;
  /**
   * Read a file's ME lists.
   *
   * @param source the file
   * @param request the registered sample
   */
  importFile(source: Source, request: ImportRequest): Promise<ImportResult>;
}

/**
 * Key of a (run, lumi) in `ImportResult.lists`.
 *
 * @param run run number
 * @param lumi lumisection
 * @returns `"{run}:{lumi}"`
 */
export function runLumiKey(run: number, lumi: number): string {
  return `${run}:${lumi}`;
}

/**
 * Whether a file starts with ROOT's "root" magic (spec/formats.md §1.2).
 *
 * @param header the first bytes of a file
 * @returns true for a ROOT file
 */
export function hasRootMagic(header: Uint8Array): boolean {
  return header.length >= 4 && header[0] === 0x72 && header[1] === 0x6f && header[2] === 0x6f &&
    header[3] === 0x74;
}
