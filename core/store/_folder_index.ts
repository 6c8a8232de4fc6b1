/**
 * @module
 * Directory listings over one sorted ME list, computed per folder on first
 * use and remembered, so a repeated listing costs a map lookup and two array
 * copies (spec/api.md §3.3 scanned every ME below the folder on each call).
 *
 * Sorted order keeps the MEs below any prefix contiguous, so a folder is
 * listed without looking at the MEs of its sub-folders: walk its index range,
 * take direct MEs one by one, and jump over each sub-folder's block with a
 * binary search (its size is its ME count). A folder with k direct MEs and c
 * sub-folders costs O(k + c log n), never a scan of the whole list.
 *
 * Folder keys end with "/" ("" is the root, "A/" the folder A, "A/B/" its
 * sub-folder B), so an empty segment ("A//x") still has a key of its own.
 */

import { compareUtf8 } from "./compare_utf8.ts";

/** One sub-folder in a listing. */
export interface FolderEntry {
  /** The sub-folder's name (one path segment). */
  readonly name: string;
  /** How many MEs lie anywhere below it (that pass the filter, if any). */
  readonly count: number;
  /** Entry indices of every ME below it, filtered or not: `[first, end)`. */
  readonly first: number;
  /** See `first`. */
  readonly end: number;
}

/** A directory listing: sub-folders, then the entry indices of direct MEs. */
export interface FolderListing {
  /** Immediate sub-folders in UTF-8 byte order of their names. */
  dirs: FolderEntry[];
  /** Entry indices of the MEs directly in the folder, in UTF-8 order of names. */
  objects: number[];
}

interface Folder {
  readonly dirs: readonly FolderEntry[];
  readonly objects: readonly number[];
}

const NO_FOLDER: Folder = Object.freeze({ dirs: Object.freeze([]), objects: Object.freeze([]) });

/** Folder listings over the sorted paths of one ME list. */
export class FolderIndex {
  readonly #paths: readonly string[];
  readonly #lowerBound: (prefix: string) => number;
  readonly #folders = new Map<string, Folder>();
  /** ME names, made on the first filtered listing (a filter sees names, not paths). */
  #names: string[] | undefined;

  /**
   * @param paths ME paths, sorted in UTF-8 byte order, without duplicates
   * @param lowerBound index of the first path ≥ a string, in the list's order
   */
  constructor(paths: readonly string[], lowerBound: (prefix: string) => number) {
    this.#paths = paths;
    this.#lowerBound = lowerBound;
  }

  /**
   * List one folder.
   *
   * @param folder "" for the root, or "A/B" with or without one trailing "/"
   * @param filter keeps an ME when it returns true for its name (last segment) and index
   * @returns sub-folders with ME counts, and direct MEs; empty if no such folder
   */
  list(folder: string, filter?: (name: string, i: number) => boolean): FolderListing {
    const key = folderKey(folder);
    let node = this.#folders.get(key);
    if (node === undefined) {
      node = this.#build(key);
      this.#folders.set(key, node);
    }
    if (filter === undefined) {
      return {
        dirs: node.dirs.map((d) => ({ ...d })),
        objects: node.objects.slice(),
      };
    }
    const names = this.#names ??= this.#paths.map(nameOf);
    const dirs: FolderEntry[] = [];
    for (const sub of node.dirs) {
      let count = 0;
      for (let i = sub.first; i < sub.end; i++) if (filter(names[i]!, i)) count++;
      if (count > 0) dirs.push({ name: sub.name, count, first: sub.first, end: sub.end });
    }
    return { dirs, objects: node.objects.filter((i) => filter(names[i]!, i)) };
  }

  #build(key: string): Folder {
    const paths = this.#paths;
    let i = key === "" ? 0 : this.#lowerBound(key);
    const end = this.#blockEnd(key, i, paths.length);
    if (i === end) return NO_FOLDER;
    const dirs: FolderEntry[] = [];
    const objects: number[] = [];
    const start = key.length;
    while (i < end) {
      const p = paths[i]!;
      const slash = p.indexOf("/", start);
      if (slash < 0) {
        objects.push(i++);
        continue;
      }
      const blockEnd = this.#blockEnd(p.slice(0, slash + 1), i + 1, end);
      dirs.push(
        Object.freeze({
          name: p.slice(start, slash),
          count: blockEnd - i,
          first: i,
          end: blockEnd,
        }),
      );
      i = blockEnd;
    }
    // Blocks come in path order, where "x-y/…" sorts before "x/…"; names must
    // be in name order ("x" before "x-y"). Direct MEs already are.
    dirs.sort((a, b) => compareUtf8(a.name, b.name));
    return Object.freeze({ dirs: Object.freeze(dirs), objects: Object.freeze(objects) });
  }

  /** First index in [lo, hi) whose path does not start with `prefix` (those that do come first). */
  #blockEnd(prefix: string, lo: number, hi: number): number {
    const paths = this.#paths;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (paths[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The prefix every path below a folder starts with.
 *
 * @param folder "" for the root, or "A/B" with or without one trailing "/"
 * @returns "" or "A/B/"
 */
export function folderKey(folder: string): string {
  return folder === "" || folder.endsWith("/") ? folder : folder + "/";
}

/**
 * @param path an ME path
 * @returns its last segment, the ME name
 */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
