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
  readonly #paths: readonly string[];

  /** @param paths ME paths, sorted in UTF-8 byte order, without duplicates */
  constructor(paths: readonly string[]) {
    this.#paths = paths;
    const order: FolderNode[] = [];
    const root = this.#create("", "", undefined, 0, order);
    // The folders enclosing the current path, outermost first. Sorted order
    // keeps every folder's MEs contiguous, so a folder left (popped) never
    // comes back and a folder entered (pushed) is always new: no lookups.
    const keys = [""];
    const stack = [root];
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      const end = p.lastIndexOf("/") + 1;
      let key = keys[keys.length - 1]!;
      while (!(key.length <= end && p.startsWith(key))) {
        keys.pop();
        stack.pop();
        key = keys[keys.length - 1]!;
      }
      let node = stack[stack.length - 1]!;
      while (key.length < end) {
        const next = p.indexOf("/", key.length) + 1;
        node = this.#create(p.slice(0, next), p.slice(key.length, next - 1), node, i, order);
        key = p.slice(0, next);
        keys.push(key);
        stack.push(node);
      }
      node.objects.push(i);
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
    const paths = this.#paths;
    const dirs: FolderEntry[] = [];
    for (const child of node.children) {
      let count = 0;
      const end = child.first + child.count;
      for (let i = child.first; i < end; i++) if (filter(nameOf(paths[i]!))) count++;
      if (count > 0) dirs.push({ name: child.name, count });
    }
    return { dirs, objects: node.objects.filter((i) => filter(nameOf(paths[i]!))) };
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
}

/**
 * @param path an ME path
 * @returns its last segment, the ME name
 */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
