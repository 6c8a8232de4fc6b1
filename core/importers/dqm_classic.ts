/**
 * @module
 * Importer for legacy ("DQM classic", fileformat 1) TDirectory ROOT files
 * (spec/formats.md §3.1). Walks directories through their KeysLists (never
 * the whole file), keeps the highest cycle of each key, and normalises paths
 * as the original: `DQMData/Run N/<Subsystem>/Run summary/<dirs>/<name>` →
 * `<Subsystem>/<dirs>/<name>`.
 *
 * Beyond the original:
 * - files without that layout are imported whole, so any ROOT file can be
 *   browsed: a leading `DQMData/`, a leading `Run N/` and a `Run summary`
 *   level right below a subsystem are dropped (the layouts of pre-2009 CMSSW);
 * - every class is kept (TH1I, TH3D, TProfile3D, TEfficiency, ...), not ten;
 * - the registered lumisection is honoured instead of being forced to 0;
 * - quality-test tags are attached to the ME whose name is the longest
 *   existing prefix before a dot (the original split at the first dot);
 * - TObjString keys that are not fake XML become plain `TObjString` MEs
 *   instead of aborting the import.
 */

import { isDirectoryClass, type TKey } from "../root/directory.ts";
import { RootFile } from "../root/file.ts";
import type { Source } from "../root/source.ts";
import type { MEEntry, QTestResult } from "../store/me_entry.ts";
import { parseScalarXml, splitQTestName } from "./scalar_xml.ts";
import {
  FileFormat,
  hasRootMagic,
  type Importer,
  type ImportRequest,
  type ImportResult,
  runLumiKey,
} from "./types.ts";

const RUN_DIR = /^Run (\d+)$/;
const RUN_SUMMARY = "Run summary";
/** Characters an ME list cannot store in a path. */
const UNSTORABLE = /[\n\0]/;

/**
 * Keep only the highest cycle of each name, preserving KeysList order
 * (ROOT shows the highest cycle; older cycles are stale copies).
 *
 * @param keys a directory's keys
 * @returns one key per name
 */
export function latestCycles(keys: readonly TKey[]): TKey[] {
  // Fast path: with every cycle at 1 there is nothing to choose.
  if (keys.every((k) => k.fCycle === 1)) return keys as TKey[];
  const best = new Map<string, TKey>();
  for (const key of keys) {
    const prev = best.get(key.fName);
    if (!prev || key.fCycle > prev.fCycle) best.set(key.fName, key);
  }
  return [...best.values()];
}

/** Collects the entries of one import. */
class Collector {
  readonly entries: MEEntry[] = [];
  readonly warnings: string[] = [];

  /**
   * Add the keys of one folder.
   *
   * @param prefix normalised folder path with trailing slash ("" at the root)
   * @param keys non-directory keys of the folder (highest cycles)
   */
  addFolder(prefix: string, keys: readonly TKey[]): void {
    // Names are unique within a folder (a later key of the same name wins);
    // flags and quality tests attach to MEs of the same folder.
    const byName = new Map<string, MEEntry>();
    const add = (name: string, entry: Omit<MEEntry, "path">) => {
      if (UNSTORABLE.test(name)) {
        this.warnings.push(
          `ME ${JSON.stringify(prefix + name)} skipped: newline or NUL in its name`,
        );
      } else {
        byName.set(name, { path: prefix + name, ...entry });
      }
    };
    const flags: string[] = [];
    const qtests: { tag: string; qtest: QTestResult }[] = [];
    for (const key of keys) {
      if (key.fClassName !== "TObjString") {
        add(key.fName, { kind: key.fClassName, seek: key.fSeekKey, offset: 0, size: -1 });
        continue;
      }
      const xml = key.fName.charCodeAt(0) === 0x3c ? parseScalarXml(key.fName) : null;
      if (xml === null) {
        add(key.fName, { kind: "TObjString", seek: key.fSeekKey, offset: 0, size: -1 });
      } else if (xml.type === "Efficiency") {
        flags.push(xml.name);
      } else if (xml.type === "QTest") {
        qtests.push({ tag: xml.name, qtest: xml.qtest });
      } else if (xml.type !== "Tag") {
        add(xml.name, {
          kind: xml.type,
          seek: key.fSeekKey,
          offset: 0,
          size: -1,
          value: xml.value,
        });
      }
    }
    for (const name of flags) {
      const me = byName.get(name);
      if (me) me.efficiency = true;
      else this.warnings.push(`efficiency flag for missing ME "${prefix}${name}" ignored`);
    }
    for (const { tag, qtest } of qtests) {
      const split = splitQTestName(tag, (me) => byName.has(me));
      const me = split && byName.get(split[0]);
      if (!split || !me) {
        this.warnings.push(`quality test "${prefix}${tag}" has no ME to attach to; ignored`);
        continue;
      }
      (me.qtests ??= []).push({ ...qtest, name: split[1] });
    }
    for (const entry of byName.values()) this.entries.push(entry);
  }
}

/**
 * Import every folder below `dirKey` under the normalised prefix.
 *
 * @param file the ROOT file
 * @param keys keys of the folder
 * @param prefix normalised path of the folder ("" or ending in "/")
 * @param out collector
 * @param rawPath path in the file, for messages
 */
async function importTree(
  file: RootFile,
  keys: readonly TKey[],
  prefix: string,
  out: Collector,
  rawPath: string,
) {
  const latest = latestCycles(keys);
  out.addFolder(prefix, latest.filter((k) => !isDirectoryClass(k.fClassName)));
  for (const key of latest) {
    if (!isDirectoryClass(key.fClassName)) continue;
    const path = rawPath ? `${rawPath}/${key.fName}` : key.fName;
    const sub = await file.readDirectory(key, path);
    await importTree(file, sub.keys, `${prefix}${key.fName}/`, out, path);
  }
}

/** A `<Subsystem>/Run summary` directory of the DQM layout. */
interface SummaryRoot {
  run: number;
  subsystem: string;
  key: TKey;
  rawPath: string;
}

async function findSummaryRoots(file: RootFile): Promise<SummaryRoot[]> {
  const dqmData = latestCycles(file.top.keys).find((k) =>
    k.fName === "DQMData" && isDirectoryClass(k.fClassName)
  );
  if (!dqmData) return [];
  const roots: SummaryRoot[] = [];
  const top = await file.readDirectory(dqmData, "DQMData");
  for (const runKey of latestCycles(top.keys)) {
    const m = RUN_DIR.exec(runKey.fName);
    if (!m || !isDirectoryClass(runKey.fClassName)) continue;
    const runPath = `DQMData/${runKey.fName}`;
    const runDir = await file.readDirectory(runKey, runPath);
    for (const subKey of latestCycles(runDir.keys)) {
      if (!isDirectoryClass(subKey.fClassName)) continue;
      const subPath = `${runPath}/${subKey.fName}`;
      const subDir = await file.readDirectory(subKey, subPath);
      const summary = latestCycles(subDir.keys).find((k) =>
        k.fName === RUN_SUMMARY && isDirectoryClass(k.fClassName)
      );
      if (summary) {
        roots.push({
          run: Number(m[1]),
          subsystem: subKey.fName,
          key: summary,
          rawPath: `${subPath}/${RUN_SUMMARY}`,
        });
      }
    }
  }
  return roots;
}

/**
 * Import a file without the DQM layout: its whole key tree, with the
 * historical DQM levels dropped — a lone `DQMData/` directory, a lone
 * `Run N/` below it, and a `Run summary/` that is the only content of a
 * top-level folder (the layouts of pre-2009 CMSSW and of CSC reference files).
 */
async function importGeneric(file: RootFile, out: Collector): Promise<void> {
  let keys = latestCycles(file.top.keys);
  let rawPath = "";
  const rootKeys: TKey[] = [];
  for (const wanted of [(n: string) => n === "DQMData", (n: string) => RUN_DIR.test(n)]) {
    const dirs = keys.filter((k) => isDirectoryClass(k.fClassName));
    if (dirs.length !== 1 || !wanted(dirs[0]!.fName)) break;
    rootKeys.push(...keys.filter((k) => !isDirectoryClass(k.fClassName)));
    rawPath = rawPath ? `${rawPath}/${dirs[0]!.fName}` : dirs[0]!.fName;
    keys = latestCycles((await file.readDirectory(dirs[0]!, rawPath)).keys);
  }
  rootKeys.push(...keys.filter((k) => !isDirectoryClass(k.fClassName)));
  out.addFolder("", rootKeys);
  for (const key of keys) {
    if (!isDirectoryClass(key.fClassName)) continue;
    let path = rawPath ? `${rawPath}/${key.fName}` : key.fName;
    let sub = latestCycles((await file.readDirectory(key, path)).keys);
    const only = sub.length === 1 ? sub[0]! : undefined;
    if (only?.fName === RUN_SUMMARY && isDirectoryClass(only.fClassName)) {
      path = `${path}/${RUN_SUMMARY}`;
      sub = (await file.readDirectory(only, path)).keys;
    }
    await importTree(file, sub, `${key.fName}/`, out, path);
  }
}

/** The legacy importer. */
export const dqmClassicImporter: Importer = {
  format: FileFormat.DQMCLASSIC,

  canImport: hasRootMagic,

  async importFile(source: Source, request: ImportRequest): Promise<ImportResult> {
    const file = await RootFile.open(source);
    const out = new Collector();
    const roots = await findSummaryRoots(file);
    if (roots.length > 0) {
      // Several "Run N" folders: keep the registered run's when it is there.
      const own = roots.filter((r) => r.run === request.run);
      for (const root of own.length ? own : roots) {
        const dir = await file.readDirectory(root.key, root.rawPath);
        await importTree(file, dir.keys, `${root.subsystem}/`, out, root.rawPath);
      }
    } else {
      await importGeneric(file, out);
    }
    const lumi = Math.max(0, request.lumi);
    return {
      lists: new Map([[runLumiKey(request.run, lumi), [...out.entries.values()]]]),
      warnings: out.warnings,
    };
  },
};
