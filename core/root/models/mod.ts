/**
 * @module
 * The class table: hand-written readers keyed by class name, then by class
 * version (STYLE rules 9 and 12). `classResolver()` combines it with a file's
 * streamer infos: the hand-written reader for the exact version first, then a
 * reader built from the file's TStreamerInfo, else nothing (the caller then
 * skips the object by its byte count and reports it).
 */

import type { ClassReader, ClassResolver, ObjectReader } from "../buffer.ts";
import type { StreamerSet } from "../streamers.ts";
import type { RootObject } from "./types.ts";
import { AXIS_READERS } from "./taxis.ts";
import { readTArray, TARRAY_KINDS } from "./tarray.ts";
import { TH1_READERS } from "./th1.ts";
import { TH2_READERS } from "./th2.ts";
import { TH3_READERS } from "./th3.ts";
import { LIST_READERS } from "./tlist.ts";
import { OBJECT_READERS } from "./tobject.ts";
import { STREAMER_READERS } from "./tstreamer.ts";
import { HEADERLESS_TREE_READERS } from "./tbasket.ts";
import { TBRANCH_READERS } from "./tbranch.ts";

export * from "./types.ts";

/** Every hand-written reader: class name → version → reader. */
export const CLASS_READERS: Readonly<Record<string, Record<number, ClassReader>>> = {
  ...OBJECT_READERS,
  ...LIST_READERS,
  ...AXIS_READERS,
  ...TH1_READERS,
  ...TH2_READERS,
  ...TH3_READERS,
  ...STREAMER_READERS,
  ...TBRANCH_READERS,
};

function headerless(
  className: string,
): ((r: ObjectReader, obj: RootObject) => unknown) | undefined {
  const kind = TARRAY_KINDS[className];
  return kind ? (r) => readTArray(r.c, kind) : HEADERLESS_TREE_READERS[className];
}

/**
 * A class resolver over the hand-written readers and, optionally, a file's
 * streamer infos.
 *
 * @param streamers the file's streamer infos, if known
 * @returns the resolver
 */
export function classResolver(streamers?: StreamerSet): ClassResolver {
  return {
    resolve: (className, version) =>
      CLASS_READERS[className]?.[version] ?? streamers?.readerFor(className, version),
    headerless,
    resolveChecksum: (className, checksum) => streamers?.readerForChecksum(className, checksum),
  };
}

/** The hand-written readers alone (objects written at ROOT 6's class versions, or streamer records). */
export const BUILTIN_CLASSES: ClassResolver = classResolver();
