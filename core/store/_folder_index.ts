/**
 * @module
 * The folder tree of one sorted ME list, built in one pass on first use, so
 * that a directory listing costs a map lookup and two array copies instead of
 * a scan (spec/api.md §3.3 scanned every ME below the folder on each call).
 *
 * Folder keys end with "/" ("" is the root, "A/" the folder A, "A/B/" its
 * sub-folder B), so an empty segment ("A//x") still has a key of its own.
 * Because the list is sorted, the MEs below any folder form one contiguous
 * index range [first, first + count), which a filtered listing scans.
 */

import { compareUtf8 } from "./compare_utf8.ts";

/** One sub-folder in a listing. */
export interface FolderEntry {
  /** The sub-folder's name (one path segment). */
  readonly name: string;
  /** How many MEs lie anywhere below it (that pass the filter, if any). */
  readonly count: number;
}

/** A directory listing: sub-folders, then the entry indices of direct MEs. */
export interface FolderListing {
  /** Immediate sub-folders in UTF-8 byte order of their names. */
  dirs: FolderEntry[];
  /** Entry indices of the MEs directly in the folder, in UTF-8 order of names. */
  objects: number[];
}

interface FolderNode {
  readonly name: string;
  readonly parent: FolderNode | undefined;
  readonly first: number;
  count: number;
  readonly objects: number[];
  readonly children: FolderNode[];
  dirs: readonly FolderEntry[];
}

/** The folder tree over the sorted paths of one ME list. */
export class FolderIndex {
  readonly #nodes = new Map<string, FolderNode>();
  readonly #names: string[];

  /** @param paths ME paths, sorted in UTF-8 byte order, without duplicates */
  constructor(paths: readonly string[]) {
    const n = paths.length;
    this.#names = new Array<string>(n);
    const order: FolderNode[] = [];
    const root = this.#create("", "", undefined, 0, order);
    let prevKey = "";
    let prev = root;
    for (let i = 0; i < n; i++) {
      const p = paths[i]!;
      const slash = p.lastIndexOf("/");
      this.#names[i] = p.slice(slash + 1);
      // Consecutive MEs usually share their folder: test it without slicing.
      if (!(slash + 1 === prevKey.length && p.startsWith(prevKey))) {
        prevKey = p.slice(0, slash + 1);
        prev = this.#nodes.get(prevKey) ?? this.#createChain(prevKey, i, order);
      }
      prev.objects.push(i);
    }
    // Children are created after their parents, so a reverse sweep sums
    // counts bottom-up without recursion (paths may nest thousands deep).
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      node.count += node.objects.length;
      node.children.sort((a, b) => compareUtf8(a.name, b.name));
      node.dirs = Object.freeze(
        node.children.map((c) => Object.freeze({ name: c.name, count: c.count })),
      );
      if (node.parent !== undefined) node.parent.count += node.count;
    }
  }

  /**
   * List one folder.
   *
   * @param folder "" for the root, or "A/B" with or without one trailing "/"
   * @param filter keeps an ME when it returns true for its name (last segment)
   * @returns sub-folders with ME counts, and direct MEs; empty if no such folder
   */
  list(folder: string, filter?: (name: string) => boolean): FolderListing {
    const key = folder === "" || folder.endsWith("/") ? folder : folder + "/";
    const node = this.#nodes.get(key);
    if (node === undefined) return { dirs: [], objects: [] };
    if (filter === undefined) return { dirs: node.dirs.slice(), objects: node.objects.slice() };
    const names = this.#names;
    const dirs: FolderEntry[] = [];
    for (const child of node.children) {
      let count = 0;
      const end = child.first + child.count;
      for (let i = child.first; i < end; i++) if (filter(names[i]!)) count++;
      if (count > 0) dirs.push({ name: child.name, count });
    }
    return { dirs, objects: node.objects.filter((i) => filter(names[i]!)) };
  }

  /**
   * @param i entry index
   * @returns the ME name (last path segment) of entry `i`
   */
  name(i: number): string {
    return this.#names[i]!;
  }

  #create(
    key: string,
    name: string,
    parent: FolderNode | undefined,
    first: number,
    order: FolderNode[],
  ): FolderNode {
    const node: FolderNode = { name, parent, first, count: 0, objects: [], children: [], dirs: [] };
    this.#nodes.set(key, node);
    parent?.children.push(node);
    order.push(node);
    return node;
  }

  /** Create the folder `key` and any missing ancestors; `first` = index of its first ME. */
  #createChain(key: string, first: number, order: FolderNode[]): FolderNode {
    const missing = [key];
    let up = parentKey(key);
    let parent = this.#nodes.get(up);
    while (parent === undefined) {
      missing.push(up);
      up = parentKey(up);
      parent = this.#nodes.get(up);
    }
    for (let k = missing.length - 1; k >= 0; k--) {
      const child = missing[k]!;
      parent = this.#create(child, child.slice(up.length, -1), parent, first, order);
      up = child;
    }
    return parent;
  }
}

/** "A/B/" → "A/", "A/" → "", "/" → "", "//" → "/". */
function parentKey(key: string): string {
  return key.length >= 2 ? key.slice(0, key.lastIndexOf("/", key.length - 2) + 1) : "";
}
