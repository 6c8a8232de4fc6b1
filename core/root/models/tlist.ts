/**
 * @module
 * Readers for ROOT collections: TList, THashList, TObjArray (spec/formats.md
 * §1.9.7; ROOT core/cont/src/TList.cxx and TObjArray.cxx `Streamer`).
 */

import type { ClassReader, ObjectReader } from "../buffer.ts";
import type { RootObject } from "./types.ts";
import { readTObjectBase } from "./tobject.ts";

/** Upper bound on collection sizes: each element takes at least 4 bytes. */
function checkCount(r: ObjectReader, n: number, what: string): void {
  if (n < 0 || n * 4 > r.c.remaining()) {
    throw r.c.error(`Cannot read ${what}`, `impossible element count ${n}`, r.c.pos - 4);
  }
}

/**
 * TList (THashList streams through TList::Streamer with TList's version):
 * v4+: TObject, fName, n, then n × (object slot, option string); older
 * versions lack the options (v3) and the TObject/name (v1, v2).
 */
const readTList: ClassReader = (r, obj, { version }) => {
  const c = r.c;
  if (version > 2) readTObjectBase(r, obj);
  obj.name = version > 1 ? c.tstring() : "";
  const n = c.i32();
  checkCount(r, n, "TList");
  const arr: (RootObject | null)[] = new Array(n);
  const opt: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    arr[i] = r.readObjectAny();
    if (version > 4) opt[i] = c.tstring();
    else if (version > 3) opt[i] = new TextDecoder().decode(c.bytesView(c.u8()));
    else opt[i] = "";
  }
  obj.arr = arr;
  obj.opt = opt;
};

/** TObjArray v1–v3: TObject (v3), fName (v2+), n, fLowerBound, n object slots. */
const readTObjArray: ClassReader = (r, obj, { version }) => {
  const c = r.c;
  if (version > 2) readTObjectBase(r, obj);
  obj.name = version > 1 ? c.tstring() : "";
  const n = c.i32();
  obj.fLowerBound = c.i32();
  checkCount(r, n, "TObjArray");
  const arr: (RootObject | null)[] = new Array(n);
  for (let i = 0; i < n; i++) arr[i] = r.readObjectAny();
  obj.arr = arr;
};

const LIST_VERSIONS = { 1: readTList, 2: readTList, 3: readTList, 4: readTList, 5: readTList };

/** Hand-written readers of this module, by class and version. */
export const LIST_READERS: Record<string, Record<number, ClassReader>> = {
  TList: LIST_VERSIONS,
  THashList: LIST_VERSIONS,
  TObjArray: { 1: readTObjArray, 2: readTObjArray, 3: readTObjArray },
};
