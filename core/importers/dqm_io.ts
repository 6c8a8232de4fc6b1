/**
 * @module
 * Importer for DQMIO (fileformat 2) TTree files, as CMSSW's
 * DQMRootOutputModule writes them (spec/formats.md §3.2): an `Indices` tree
 * (Run, Lumi, Type, FirstIndex, LastIndex) pointing into one tree per ME type
 * (FullName, Flags, Value). Fixes of the original (§6.1–6.3, §6.12): it works;
 * type ids map to the DQMIO enum (6 = TH2F, …, 11 = TProfile2D, 12/13 =
 * TH1I/TH2I); every basket of a branch is read, not only the first; only the
 * entry ranges of the requested (run, lumi) are read; `lumi = -1` at
 * registration lists every (run, lumi) the file holds.
 *
 * An ME is stored as: kind = its class (or Int/Float/String with its value),
 * seek = entry number in its type tree, offset = the DQMIO type id, size -1.
 * Objects are read on demand from that entry (`readDqmioObject`).
 */

import { RootFormatError } from "../root/errors.ts";
import { RootFile } from "../root/file.ts";
import type { Source } from "../root/source.ts";
import type { RootBranch } from "../root/branch.ts";
import { RootTree } from "../root/tree.ts";
import type { MEEntry } from "../store/me_entry.ts";
import { latestCycles } from "./dqm_classic.ts";
import {
  FileFormat,
  hasRootMagic,
  type Importer,
  type ImportRequest,
  type ImportResult,
  runLumiKey,
} from "./types.ts";

/** DQMIO type id → (tree, kind), the DQMIO enum of CMSSW DQMServices/FwkIO format.h. */
export const DQMIO_TYPES: readonly { tree: string; kind: string }[] = [
  { tree: "Ints", kind: "Int" },
  { tree: "Floats", kind: "Float" },
  { tree: "Strings", kind: "String" },
  { tree: "TH1Fs", kind: "TH1F" },
  { tree: "TH1Ss", kind: "TH1S" },
  { tree: "TH1Ds", kind: "TH1D" },
  { tree: "TH2Fs", kind: "TH2F" },
  { tree: "TH2Ss", kind: "TH2S" },
  { tree: "TH2Ds", kind: "TH2D" },
  { tree: "TH3Fs", kind: "TH3F" },
  { tree: "TProfiles", kind: "TProfile" },
  { tree: "TProfile2Ds", kind: "TProfile2D" },
  { tree: "TH1Is", kind: "TH1I" },
  { tree: "TH2Is", kind: "TH2I" },
];
/** Indices Type of a transition that stored no ME (format.h kNoTypesStored). */
export const kNoTypesStored = 1000;

/** One row of the Indices tree. */
export interface IndexRow {
  run: number;
  lumi: number;
  type: number;
  first: number;
  last: number;
}

/** Open a top-level tree by name (highest cycle). */
async function openTree(file: RootFile, name: string): Promise<RootTree | null> {
  const key = latestCycles(file.top.keys).find((k) => k.fName === name && k.fClassName === "TTree");
  return key ? await RootTree.open(file, key) : null;
}

function needBranch(tree: RootTree, name: string, file: RootFile): RootBranch {
  const branch = tree.branch(name);
  if (!branch) {
    throw new RootFormatError(
      `Cannot read DQMIO tree "${tree.name}"`,
      `it has no "${name}" branch`,
      { filePath: file.name },
    );
  }
  return branch;
}

/**
 * Read the Indices tree.
 *
 * @param file an open DQMIO file
 * @returns its rows, in file order
 */
export async function readIndices(file: RootFile): Promise<IndexRow[]> {
  const tree = await openTree(file, "Indices");
  if (!tree) {
    throw new RootFormatError(
      "Cannot import DQMIO file",
      'no "Indices" tree in the top directory (is it a legacy file?)',
      {
        filePath: file.name,
      },
    );
  }
  const n = tree.entries;
  const [run, lumi, type, first, last] = await Promise.all(
    ["Run", "Lumi", "Type", "FirstIndex", "LastIndex"].map((b) =>
      needBranch(tree, b, file).readNumbers(0, n)
    ),
  );
  const rows: IndexRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      run: run![i]!,
      lumi: lumi![i]!,
      type: type![i]!,
      first: first![i]!,
      last: last![i]!,
    };
  }
  return rows;
}

/**
 * Every (run, lumi) a DQMIO file holds, for registrations with lumi -1.
 *
 * @param source the file
 * @returns distinct pairs, in file order
 */
export async function listRunLumis(source: Source): Promise<{ run: number; lumi: number }[]> {
  const rows = await readIndices(await RootFile.open(source));
  const seen = new Set<string>();
  const out: { run: number; lumi: number }[] = [];
  for (const r of rows) {
    const key = runLumiKey(r.run, r.lumi);
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ run: r.run, lumi: r.lumi });
    }
  }
  return out;
}

/** Format a Float ME value as the shortest text that reads back the same number. */
function floatText(v: number): string {
  return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
}

async function importRows(
  file: RootFile,
  rows: IndexRow[],
  warnings: string[],
): Promise<MEEntry[]> {
  const byType = new Map<number, IndexRow[]>();
  for (const r of rows) {
    if (r.type === kNoTypesStored) continue;
    if (!DQMIO_TYPES[r.type]) {
      warnings.push(
        `Indices row with unknown type ${r.type} (run ${r.run}, lumi ${r.lumi}) skipped`,
      );
      continue;
    }
    byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  }
  const entries: MEEntry[] = [];
  for (const [type, typeRows] of byType) {
    const { tree: treeName, kind } = DQMIO_TYPES[type]!;
    const tree = await openTree(file, treeName);
    if (!tree) {
      throw new RootFormatError(
        "Cannot import DQMIO file",
        `Indices points into tree "${treeName}", which is missing`,
        {
          filePath: file.name,
        },
      );
    }
    const names = needBranch(tree, "FullName", file);
    const values = type <= 2 ? needBranch(tree, "Value", file) : null;
    for (const r of typeRows) {
      if (r.first < 0 || r.last < r.first - 1 || r.last >= tree.entries) {
        throw new RootFormatError(
          `Cannot import DQMIO tree "${treeName}"`,
          `Indices range [${r.first}, ${r.last}] outside its ${tree.entries} entries`,
          { filePath: file.name },
        );
      }
      const end = r.last + 1;
      const paths = await names.readStrings(r.first, end);
      const texts = type === 0
        ? Array.from(await values!.readBigInts(r.first, end), (v) => v.toString())
        : type === 1
        ? Array.from(await values!.readNumbers(r.first, end), floatText)
        : type === 2
        ? await values!.readStrings(r.first, end)
        : null;
      for (let i = 0; i < paths.length; i++) {
        const entry: MEEntry = { path: paths[i]!, kind, seek: r.first + i, offset: type, size: -1 };
        if (texts) entry.value = texts[i]!;
        entries.push(entry);
      }
    }
  }
  return entries;
}

/** The DQMIO importer: imports the registered (run, lumi) only. */
export const dqmIoImporter: Importer = {
  format: FileFormat.DQMIO,

  canImport: hasRootMagic,

  async importFile(source: Source, request: ImportRequest): Promise<ImportResult> {
    const file = await RootFile.open(source);
    const rows = (await readIndices(file)).filter((r) =>
      r.run === request.run && r.lumi === request.lumi
    );
    const warnings: string[] = [];
    const entries = await importRows(file, rows, warnings);
    return { lists: new Map([[runLumiKey(request.run, request.lumi), entries]]), warnings };
  },
};

/**
 * The type tree of a DQMIO type id.
 *
 * @param file the open file
 * @param type DQMIO type id (an object ME's `offset`)
 * @returns the tree
 */
export async function openTypeTree(file: RootFile, type: number): Promise<RootTree> {
  const spec = DQMIO_TYPES[type];
  if (!spec) throw new TypeError(`Cannot open the tree of DQMIO type ${type}: no such type`);
  const tree = await openTree(file, spec.tree);
  if (!tree) {
    throw new RootFormatError("Cannot read DQMIO object", `tree "${spec.tree}" is missing`, {
      filePath: file.name,
    });
  }
  return tree;
}
