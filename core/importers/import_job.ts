/**
 * @module
 * One import, start to finish, as a worker runs it: open the file, run the
 * format's importer, sort and encode each (run, lumi) ME list into its blobs.
 * Kept apart from the worker entry point so it can be tested and benchmarked
 * on the main thread too. Errors are flattened into a transferable record and
 * rebuilt on the other side with their class (`RootFormatError` → 422 ...).
 */

import { RootFormatError } from "../root/errors.ts";
import { FileSource } from "../root/source.ts";
import { encodeMEList, MEList } from "../store/mod.ts";
import { importerFor, listRunLumis } from "./mod.ts";
import { FileFormat } from "./types.ts";
import type { ImportRequest } from "./types.ts";

/** What the main thread asks a worker to import. */
export interface ImportJob extends ImportRequest {
  /** Path of the registered file. */
  file: string;
  /** Registered file format. */
  fileformat: number;
  /** "import" (default): the ME lists; "index": only the (run, lumi) pairs the file holds. */
  mode?: "import" | "index";
}

/** One encoded ME list, ready for `Store.saveMELists`. */
export interface EncodedList {
  names: Uint8Array;
  infos: Uint8Array;
  hash: string;
  count: number;
}

/** A finished import. */
export interface ImportOutput {
  /** Encoded lists keyed by `"{run}:{lumi}"`. */
  lists: Map<string, EncodedList>;
  /** Recoverable oddities met while importing. */
  warnings: string[];
  /** Size and modification time of the file when it was read. */
  fileSize: number;
  fileMtime: number;
  /** For "index" jobs: the (run, lumi) pairs in the file. */
  runLumis?: { run: number; lumi: number }[];
}

/** A failure, flattened for postMessage. */
export interface ErrorRecord {
  name: string;
  message: string;
  filePath?: string;
  offset?: number;
  evidence?: string;
  breadcrumbs?: string[];
}

/** A file that is registered but cannot be opened at import time. */
export class ImportFileError extends Error {
  /** The file. */
  readonly filePath: string;
  /** "NotFound", "PermissionDenied", ... */
  readonly reason: string;

  /**
   * @param filePath the file
   * @param reason the failing condition
   * @param message full message
   */
  constructor(filePath: string, reason: string, message: string) {
    super(message);
    this.name = "ImportFileError";
    this.filePath = filePath;
    this.reason = reason;
  }
}

/**
 * Run one import job.
 *
 * @param job what to import
 * @returns the encoded lists
 */
export async function runImportJob(job: ImportJob): Promise<ImportOutput> {
  const importer = importerFor(job.fileformat);
  if (!importer) {
    throw new TypeError(
      `Cannot import "${job.file}": fileformat ${job.fileformat} is not supported`,
    );
  }
  let source: FileSource;
  try {
    source = await FileSource.open(job.file);
  } catch (error) {
    const reason = error instanceof Error ? error.name : "Error";
    throw new ImportFileError(
      job.file,
      reason,
      `Cannot open "${job.file}": ${(error as Error).message}`,
    );
  }
  try {
    if (job.mode === "index") {
      if (job.fileformat !== FileFormat.DQMIO) {
        throw new TypeError(
          `Cannot list the lumisections of "${job.file}": only DQMIO files have them`,
        );
      }
      const runLumis = await listRunLumis(source);
      return {
        lists: new Map(),
        warnings: [],
        fileSize: source.size,
        fileMtime: source.mtime,
        runLumis,
      };
    }
    const result = await importer.importFile(source, job);
    const lists = new Map<string, EncodedList>();
    for (const [key, entries] of result.lists) {
      const list = new MEList(entries);
      lists.set(key, { ...encodeMEList(list), count: list.count });
    }
    return { lists, warnings: result.warnings, fileSize: source.size, fileMtime: source.mtime };
  } finally {
    source.close();
  }
}

/**
 * Flatten an error for postMessage.
 *
 * @param error anything thrown
 * @returns a plain record
 */
export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof RootFormatError) {
    return {
      name: error.name,
      message: error.message,
      filePath: error.filePath,
      offset: error.offset,
      evidence: error.evidence,
      breadcrumbs: error.breadcrumbs,
    };
  }
  if (error instanceof ImportFileError) {
    return {
      name: error.name,
      message: error.message,
      filePath: error.filePath,
      evidence: error.reason,
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/**
 * Rebuild an error from its record, with the class callers catch.
 *
 * @param record the flattened error
 * @returns the error
 */
export function fromErrorRecord(record: ErrorRecord): Error {
  let error: Error;
  switch (record.name) {
    case "RootFormatError":
      error = RootFormatError.restore(record.message, {
        filePath: record.filePath,
        offset: record.offset,
        breadcrumbs: record.breadcrumbs,
        evidence: record.evidence ?? "",
      });
      break;
    case "ImportFileError":
      error = new ImportFileError(record.filePath ?? "", record.evidence ?? "", record.message);
      break;
    case "TypeError":
      error = new TypeError(record.message);
      break;
    case "RangeError":
      // Out-of-range reads of a registered file mean the file is truncated or corrupt.
      error = new RangeError(record.message);
      break;
    default:
      error = new Error(record.message);
      error.name = record.name;
  }
  return error;
}
