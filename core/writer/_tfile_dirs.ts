/**
 * @module
 * Directory bookkeeping of `tfile_writer.ts`: the in-memory state of each
 * directory being written (its record, keys and cycles), and the default
 * key name and title of an object.
 *
 * This module is browser compatible.
 */

import type { RootObject } from "../root/models/types.ts";

/** A directory of the file being written; obtained from {@link TFileWriter.root} or `mkdir`. */
export interface DirectoryHandle {
  /** Directory name ("" for the top directory). */
  readonly name: string;
  /** Slash-separated path from the top directory ("" for the top directory). */
  readonly path: string;
}

/** The writer's state of one directory. */
export interface Dir extends DirectoryHandle {
  title: string;
  parent: Dir | null;
  /** The directory's key record and the offset of the TDirectory fields in it. */
  record: Uint8Array;
  recordAt: number;
  seekDir: number;
  nbytesName: number;
  uuidIndex: number;
  /** Key headers in KeysList order, and cycles seen per name. */
  keys: { name: string; header: Uint8Array }[];
  cycles: Map<string, number>;
  children: Map<string, Dir>;
  seekKeys: number;
  nbytesKeys: number;
}

/** TObjString's class title, which ROOT uses as its key title (TObject::GetTitle). */
const TOBJSTRING_TITLE = "Collectable string class";

/** A fresh directory with no record, keys or children yet. */
export function newDir(
  name: string,
  path: string,
  title: string,
  parent: Dir | null,
  uuid: number,
): Dir {
  return {
    name,
    path,
    title,
    parent,
    record: new Uint8Array(0),
    recordAt: 0,
    seekDir: 0,
    nbytesName: 0,
    uuidIndex: uuid,
    keys: [],
    cycles: new Map(),
    children: new Map(),
    seekKeys: 0,
    nbytesKeys: 0,
  };
}

/** An object's key name: its fName (TNamed) or fString (TObjString). */
export function defaultName(obj: RootObject): string {
  const name = typeof obj.fName === "string"
    ? obj.fName
    : typeof obj.fString === "string"
    ? obj.fString
    : "";
  if (!name) throw new TypeError(`Cannot write a "${obj._typename}" without a name`);
  return name;
}

/** An object's key title: its fTitle, or ROOT's class title for a TObjString. */
export function defaultTitle(obj: RootObject): string {
  if (typeof obj.fTitle === "string") return obj.fTitle;
  return obj._typename === "TObjString" ? TOBJSTRING_TITLE : "";
}

/** Directories in pre-order (the top directory first). */
export function allDirs(top: Dir): Dir[] {
  const out: Dir[] = [];
  const visit = (d: Dir) => {
    out.push(d);
    d.children.forEach(visit);
  };
  visit(top);
  return out;
}
