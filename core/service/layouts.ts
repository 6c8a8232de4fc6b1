/**
 * @module
 * Layouts: server-side rules that gather MEs of a sample into virtual
 * folders (spec/api.md §8), such as every subsystem's `reportSummaryMap`
 * under `Summary/`, or the shifter's pages `00 Shift/<Subsystem>/...`, each
 * with optional draw options, overlays and a description.
 *
 * The original declared them in ~105 Python files imported at start-up; we
 * read JSON files (no code runs), in either of two shapes, both per file:
 *
 * ```json
 * {
 *   "scope": "all",
 *   "layouts": [
 *     { "name": "Summaries", "source": "Pixel/EventInfo/reportSummaryMap",
 *       "destination": "Summary/reportSummaryMap", "draw": { "zmin": 0 } }
 *   ],
 *   "dqmitems": {
 *     "00 Shift/Pixel/000 - Pixel summary": [
 *       [{ "path": "Pixel/EventInfo/reportSummaryMap", "description": "..." }, null]
 *     ]
 *   }
 * }
 * ```
 *
 * `layouts` holds entries as the original's `register_layout` took them;
 * `dqmitems` is the old GUI's grid format (`adapt_and_register`): each cell
 * with a `path` becomes an entry whose destination is the key's folder plus
 * the path's last segment and whose name is the key's last segment. `scope`
 * is `online` (dataset `/Global/Online/ALL`), `offline`, `relval` (datasets
 * with "relval" in the name) or `all`.
 *
 * Fixes: a layout of scope `all` is returned once by {@linkcode Layouts.byName}
 * (the original returned it three times), a bad file is reported with its
 * name and the entry at fault instead of stopping the server, and cells that
 * are plain strings are counted in the load report rather than lost silently.
 */

import { compareUtf8, folderKey } from "../store/mod.ts";

/** Which datasets a layout applies to. */
export type LayoutScope = "online" | "offline" | "relval";

/** The render options a layout may set (spec/api.md §8.1). */
export const DRAW_KEYS = [
  "xmin",
  "xmax",
  "ymin",
  "ymax",
  "zmin",
  "zmax",
  "xtype",
  "ytype",
  "ztype",
  "drawopts",
] as const;

/** One layout entry. */
export interface Layout {
  /** The real ME drawn. */
  readonly source: string;
  /** Where it appears: a virtual path, its last segment the shown name. */
  readonly destination: string;
  /** The layout's title (shared by the entries of one page). */
  readonly name: string;
  /** Render options (only `DRAW_KEYS`), as the file gave them. */
  readonly draw?: Readonly<Record<string, string | number>>;
  /** Other MEs of the same sample drawn over the source. */
  readonly overlays?: readonly string[];
  /** Free text for the shifter. */
  readonly description?: string;
}

/** Layouts below a folder: direct entries and sub-folders with their entries. */
export interface LayoutListing {
  /** Entries whose destination lies directly in the folder. */
  objects: Layout[];
  /** Sub-folder name → every entry below it. */
  dirs: Map<string, Layout[]>;
}

/** A layout file that cannot be used, named with the entry at fault. */
export class LayoutFileError extends Error {
  /**
   * @param file the file
   * @param message what is wrong and where
   */
  constructor(file: string, message: string) {
    super(`Cannot load layouts from "${file}": ${message}`);
    this.name = "LayoutFileError";
  }
}

const SCOPES: Record<string, readonly LayoutScope[]> = {
  online: ["online"],
  offline: ["offline"],
  relval: ["relval"],
  all: ["online", "offline", "relval"],
};

const ONLINE_DATASET = "/Global/Online/ALL";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(v: unknown, where: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || (!optional && v === "")) {
    throw new Error(`${where}: expected a non-empty string`);
  }
  return v;
}

function checkPath(v: unknown, where: string): string {
  const p = text(v, where)!;
  if (p.startsWith("/") || p.endsWith("/") || p.includes("//")) {
    throw new Error(`${where}: "${p}" is not an ME path ("Folder/.../name")`);
  }
  return p;
}

function parseDraw(v: unknown, where: string): Record<string, string | number> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new Error(`${where}: expected an object`);
  const out: Record<string, string | number> = {};
  for (const key of DRAW_KEYS) {
    const value = v[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
      throw new Error(`${where}.${key}: expected a string or a number`);
    }
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function parseEntry(
  v: unknown,
  where: string,
  defaults: { name?: string; folder?: string } = {},
): Layout {
  if (!isRecord(v)) throw new Error(`${where}: expected an object`);
  const source = checkPath(
    defaults.folder === undefined ? v.source : v.path,
    `${where}.${defaults.folder === undefined ? "source" : "path"}`,
  );
  const destination = defaults.folder === undefined
    ? checkPath(v.destination, `${where}.destination`)
    : checkPath(`${defaults.folder}/${source.slice(source.lastIndexOf("/") + 1)}`, where);
  const name = defaults.name ?? text(v.name, `${where}.name`)!;
  const entry: {
    -readonly [K in keyof Layout]: Layout[K];
  } = { source, destination, name };
  const draw = parseDraw(v.draw, `${where}.draw`);
  if (draw) entry.draw = draw;
  if (v.overlays !== undefined && v.overlays !== null) {
    if (!Array.isArray(v.overlays)) {
      throw new Error(`${where}.overlays: expected a list of ME paths`);
    }
    const overlays = v.overlays.map((o, i) => checkPath(o, `${where}.overlays[${i}]`));
    if (overlays.length > 0) entry.overlays = overlays;
  }
  const description = text(v.description, `${where}.description`, true);
  if (description) entry.description = description;
  return entry;
}

/** What one file gave. */
interface ParsedFile {
  scopes: readonly LayoutScope[];
  entries: Layout[];
  /** Grid cells that were neither empty nor an ME (plain strings): skipped. */
  skipped: number;
}

/**
 * Parse one layout file's JSON text.
 *
 * @param file the file's name, for messages
 * @param source the JSON text
 * @returns scopes, entries and the number of skipped grid cells
 * @throws {LayoutFileError} naming the file and the entry at fault
 */
export function parseLayoutFile(file: string, source: string): ParsedFile {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new LayoutFileError(file, `not JSON (${(error as Error).message})`);
  }
  try {
    if (!isRecord(json)) throw new Error("expected an object with scope and layouts or dqmitems");
    const scopes = SCOPES[String(json.scope)];
    if (!scopes) {
      throw new Error(
        `scope: expected "online", "offline", "relval" or "all", got ${JSON.stringify(json.scope)}`,
      );
    }
    const entries: Layout[] = [];
    let skipped = 0;
    if (json.layouts !== undefined) {
      if (!Array.isArray(json.layouts)) throw new Error("layouts: expected a list");
      json.layouts.forEach((v, i) => entries.push(parseEntry(v, `layouts[${i}]`)));
    }
    if (json.dqmitems !== undefined) {
      if (!isRecord(json.dqmitems)) throw new Error("dqmitems: expected an object of grids");
      for (const [key, rows] of Object.entries(json.dqmitems)) {
        const where = `dqmitems[${JSON.stringify(key)}]`;
        const slash = key.lastIndexOf("/");
        if (slash <= 0 || slash === key.length - 1) {
          throw new Error(`${where}: expected "<Folder>/.../<layout name>"`);
        }
        if (!Array.isArray(rows)) throw new Error(`${where}: expected a list of rows`);
        const defaults = { name: key.slice(slash + 1), folder: key.slice(0, slash) };
        rows.forEach((row, r) => {
          if (!Array.isArray(row)) throw new Error(`${where}[${r}]: expected a list of cells`);
          row.forEach((cell, c) => {
            if (cell === null) return;
            if (typeof cell === "string") return void skipped++;
            entries.push(parseEntry(cell, `${where}[${r}][${c}]`, defaults));
          });
        });
      }
    }
    return { scopes, entries, skipped };
  } catch (error) {
    throw new LayoutFileError(file, (error as Error).message);
  }
}

function byDestination(a: Layout, b: Layout): number {
  return compareUtf8(a.destination, b.destination) || compareUtf8(a.source, b.source);
}

/** The layouts of a deployment, per scope, sorted by destination. */
export class Layouts {
  readonly #byScope: Record<LayoutScope, Layout[]> = { online: [], offline: [], relval: [] };
  /** Every entry once, in registration order (for `byName`). */
  readonly #all: Layout[] = [];

  /**
   * @param files parsed files, in the order their entries are registered
   */
  constructor(files: readonly ParsedFile[] = []) {
    for (const f of files) {
      for (const e of f.entries) {
        this.#all.push(e);
        for (const s of f.scopes) this.#byScope[s].push(e);
      }
    }
    for (const list of Object.values(this.#byScope)) list.sort(byDestination);
  }

  /**
   * Read every `*.json` file of a directory, in name order. A file that
   * cannot be used is reported through `onError` and skipped; the others load.
   *
   * @param dir the directory (absent: no layouts)
   * @param onError receives each file's problem
   * @returns the layouts and how many files and entries were loaded
   */
  static async load(
    dir: string,
    onError: (error: LayoutFileError) => void,
  ): Promise<{ layouts: Layouts; files: number; entries: number; skipped: number }> {
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) {
        if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { layouts: new Layouts(), files: 0, entries: 0, skipped: 0 };
      }
      throw error;
    }
    names.sort();
    const parsed: ParsedFile[] = [];
    for (const name of names) {
      const file = `${dir.replace(/\/+$/, "")}/${name}`;
      try {
        parsed.push(parseLayoutFile(file, await Deno.readTextFile(file)));
      } catch (error) {
        if (!(error instanceof LayoutFileError)) {
          onError(new LayoutFileError(file, (error as Error).message));
        } else onError(error);
      }
    }
    return {
      layouts: new Layouts(parsed),
      files: parsed.length,
      entries: parsed.reduce((n, f) => n + f.entries.length, 0),
      skipped: parsed.reduce((n, f) => n + f.skipped, 0),
    };
  }

  /** Number of entries (each once, whatever its scope). */
  get count(): number {
    return this.#all.length;
  }

  /**
   * The scope of a dataset, as the original chose it.
   *
   * @param dataset dataset name
   * @returns online for the online dataset, relval when the name says so, else offline
   */
  static scopeOf(dataset: string): LayoutScope {
    if (dataset === ONLINE_DATASET) return "online";
    return dataset.toLowerCase().includes("relval") ? "relval" : "offline";
  }

  /**
   * Every entry of a layout (any scope), each once.
   *
   * @param name the layout's name
   * @returns its entries in registration order
   */
  byName(name: string): Layout[] {
    return name === "" ? [] : this.#all.filter((e) => e.name === name);
  }

  /**
   * The entries below a folder for one scope.
   *
   * @param scope the dataset's scope
   * @param folder "" or "A/B" (trailing slash optional)
   * @returns direct entries and sub-folders with their entries, in destination order
   */
  list(scope: LayoutScope, folder: string): LayoutListing {
    const prefix = folderKey(folder);
    const entries = this.#byScope[scope];
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(entries[mid]!.destination, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: LayoutListing = { objects: [], dirs: new Map() };
    for (let i = lo; i < entries.length; i++) {
      const e = entries[i]!;
      if (!e.destination.startsWith(prefix)) break;
      const rest = e.destination.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) out.objects.push(e);
      else {
        const dir = rest.slice(0, slash);
        const below = out.dirs.get(dir);
        if (below) below.push(e);
        else out.dirs.set(dir, [e]);
      }
    }
    return out;
  }
}
