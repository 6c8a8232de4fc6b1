/**
 * @module
 * Cleanup of protobuf snapshot files. In live mode a new snapshot replaces
 * the previous one every 10–20 s; the replaced files are useless once the
 * requests still reading them are done. This deletes, after a grace period,
 * snapshot files no sample uses any more — superseded snapshots of a run and
 * everything left over from finished runs — and only those:
 * - never a file some sample is registered with (the newest snapshot of each
 *   run stays, as does every archive ROOT file);
 * - never a file that is not a `.pb` snapshot recorded by the store (files
 *   enter the list only when the last fileformat-3 sample using them moves on);
 * - never a file outside the data roots.
 * Every deletion is logged. (The original's cleanup deleted by file-name
 * pattern, including non-.pb files, spec/api.md §10.4.)
 */

import type { Store } from "../store/mod.ts";
import type { DataRoots } from "./data_roots.ts";

/** Options of a cleanup pass. */
export interface CleanupOptions {
  /** How long a replaced snapshot is kept (in-flight requests may still read it). */
  graceMs: number;
  /** Where deletions and problems are reported. */
  log: (line: string) => void;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Clock in ms (default Date.now). */
  now?: () => number;
}

/** What a pass did. */
export interface CleanupReport {
  /** Files deleted (or that would be, in a dry run). */
  deleted: string[];
  /** Files already gone, forgotten. */
  missing: string[];
  /** Files refused (outside the roots, not .pb) and left alone. */
  refused: string[];
}

/**
 * Run one cleanup pass.
 *
 * @param store the sample store (its list of retired snapshot files)
 * @param roots the data roots
 * @param options grace period, log, dry run
 * @returns what was deleted
 */
export async function cleanupSnapshots(
  store: Store,
  roots: DataRoots,
  options: CleanupOptions,
): Promise<CleanupReport> {
  const now = (options.now ?? Date.now)();
  const report: CleanupReport = { deleted: [], missing: [], refused: [] };
  for (const retired of store.retiredFiles(now - options.graceMs)) {
    const { file } = retired;
    if (!file.endsWith(".pb") || !roots.contains(file)) {
      report.refused.push(file);
      options.log(`Cleanup: not deleting "${file}": not a .pb snapshot inside a data root`);
      if (!options.dryRun) store.forgetRetired(file);
      continue;
    }
    const age = Math.round((now - retired.retired) / 1000);
    if (options.dryRun) {
      report.deleted.push(file);
      options.log(
        `Cleanup (dry run): would delete "${file}" (${retired.dataset} run ${retired.run}, replaced ${age} s ago)`,
      );
      continue;
    }
    try {
      await Deno.remove(file);
      report.deleted.push(file);
      options.log(
        `Cleanup: deleted "${file}" (${retired.dataset} run ${retired.run}, replaced ${age} s ago)`,
      );
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        options.log(`Cleanup: cannot delete "${file}": ${(error as Error).message}`);
        continue;
      }
      report.missing.push(file);
    }
    store.forgetRetired(file);
  }
  return report;
}
