/**
 * @module
 * TBufferFile object decoding (spec/formats.md §1.8; ROOT io/io/src/
 * TBufferFile.cxx `ReadObjectAny`, `ReadClass`, `ReadVersion`,
 * `CheckByteCount`). An `ObjectReader` walks one buffer, keeps the maps of
 * objects and classes seen so far (for back-references) and dispatches each
 * class body to a reader from the class table (STYLE rule 12).
 */

import {
  Cursor,
  kByteCountMask,
  kClassMask,
  kMapOffset,
  kNewClassTag,
  type VersionHeader,
} from "./cursor.ts";
import type { RootObject, UnknownObject } from "./models/types.ts";

/** A reader of one class version: fills `obj` after the version header was read. */
export type ClassReader = (r: ObjectReader, obj: RootObject, header: VersionHeader) => void;

/** Finds the reader of a class version (hand-written first, then streamer-built). */
export interface ClassResolver {
  /**
   * @param className ROOT class name
   * @param version class version found in the buffer
   * @returns a reader, or undefined when the class version is unknown
   */
  resolve(className: string, version: number): ClassReader | undefined;
  /**
   * Classes streamed without a version header (TArray*: `i32 n` + data;
   * TBasket: a TKey header first).
   *
   * @param className ROOT class name
   * @returns a reader of the whole object, or undefined. It either fills
   *   `obj` and returns undefined, or returns a value stored as `obj.value`.
   */
  headerless(className: string): ((r: ObjectReader, obj: RootObject) => unknown) | undefined;
  /**
   * Classes without a ClassDef ("foreign" classes such as `ROOT::TIOFeatures`)
   * are written with version 0 followed by the class checksum
   * (TBufferFile::WriteVersion); this finds the class version the checksum
   * identifies and its reader.
   *
   * @param className ROOT class name
   * @param checksum the u32 after the version word
   * @returns the version and its reader, or undefined when no streamer info matches
   */
  resolveChecksum?(
    className: string,
    checksum: number,
  ): { version: number; reader: ClassReader } | undefined;
}

/** Nesting guard: ROOT objects are shallow; deeper means a corrupt cycle. */
const MAX_DEPTH = 64;

/**
 * Reads objects out of one TBufferFile buffer.
 *
 * @example Read a TObjString body
 * ```ts
 * import { Cursor } from "./cursor.ts";
 * import { ObjectReader } from "./buffer.ts";
 * import { BUILTIN_CLASSES } from "./models/mod.ts";
 * const body = [0x40, 0, 0, 15, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 104, 105];
 * const r = new ObjectReader(new Cursor(new Uint8Array(body)), BUILTIN_CLASSES);
 * const s = r.readClass("TObjString");
 * if (s.fString !== "hi") throw new Error("bad decode");
 * ```
 */
export class ObjectReader {
  /** The underlying cursor. */
  readonly c: Cursor;
  /** Class table. */
  readonly classes: ClassResolver;
  /** Recoverable problems met while decoding (resyncs, skipped classes). */
  readonly warnings: string[] = [];
  readonly #objects = new Map<number, RootObject | null>();
  readonly #classNames = new Map<number, string>();
  #depth = 0;

  /**
   * @param c cursor over the buffer; `c.origin` must be the writer position of byte 0
   * @param classes class table
   */
  constructor(c: Cursor, classes: ClassResolver) {
    this.c = c;
    this.classes = classes;
  }

  /**
   * Read an object slot: null, a back-reference, or a (possibly new) class tag
   * followed by the object (TBufferFile::ReadObjectAny).
   *
   * @returns the object, or null for a null pointer
   */
  readObjectAny(): RootObject | null {
    const c = this.c;
    const start = c.pos;
    const startTag = c.tagPos();
    const first = c.u32();
    if (first === 0) return null;
    let byteCount = 0;
    let tag = first;
    let countedFrom = c.pos;
    if (first & kByteCountMask && first !== kNewClassTag) {
      byteCount = first & ~kByteCountMask;
      countedFrom = c.pos;
      tag = c.u32();
    }
    if (!(tag & kClassMask)) {
      // A reference to an object read earlier, by its map position.
      if (!this.#objects.has(tag)) {
        throw c.error("Cannot resolve object reference", `no object was read at tag ${tag}`, start);
      }
      if (byteCount) c.seek(countedFrom + byteCount);
      return this.#objects.get(tag) ?? null;
    }
    if (!byteCount) {
      throw c.error(
        "Cannot read object",
        `class tag 0x${tag.toString(16)} without byte count`,
        start,
      );
    }
    let className: string;
    if (tag === kNewClassTag) {
      const classTag = c.tagPos() - 4 + kMapOffset;
      className = c.cstring();
      this.#classNames.set(classTag, className);
    } else {
      const ref = (tag & ~kClassMask) >>> 0;
      const known = this.#classNames.get(ref);
      if (known === undefined) {
        throw c.error("Cannot resolve class reference", `no class was read at tag ${ref}`, start);
      }
      className = known;
    }
    const end = countedFrom + byteCount;
    if (end > c.bytes.length) {
      throw c.error(
        `Cannot read "${className}"`,
        `byte count ${byteCount} runs past the buffer end`,
        start,
      );
    }
    const obj: RootObject = { _typename: className };
    this.#objects.set(startTag + kMapOffset, obj);
    const headerless = this.classes.headerless(className);
    if (headerless) {
      const value = headerless(this, obj);
      if (value !== undefined) obj.value = value;
    } else {
      this.#readBody(className, obj, end);
    }
    if (c.pos !== end) {
      this.warnings.push(
        `"${className}" at byte ${start}: object slot ended at ${c.pos}, byte count says ${end}`,
      );
      c.seek(end);
    }
    return obj;
  }

  /**
   * Read a class body (version header + members) into a new object, as a
   * TKey payload or an embedded member holds it.
   *
   * @param className ROOT class name
   * @returns the object (an `UnknownObject` placeholder if the class is unknown)
   */
  readClass(className: string): RootObject {
    const obj: RootObject = { _typename: className };
    this.#readBody(className, obj, -1);
    return obj;
  }

  /**
   * Read the object stored under a TKey: ROOT maps it at tag 1 before
   * streaming (TKey::ReadObj, `MapObject(obj, cl)`), so members may refer back
   * to it (a TPaveStats' fParent does).
   *
   * @param className the key's class
   * @returns the object
   */
  readKeyObject(className: string): RootObject {
    const obj: RootObject = { _typename: className };
    this.#objects.set(1, obj);
    this.#readBody(className, obj, -1);
    return obj;
  }

  /**
   * Read a base class (version header + members) into an existing object.
   *
   * @param className base class name
   * @param obj object being filled
   */
  readBase(className: string, obj: RootObject): void {
    this.#readBody(className, obj, -1, true);
  }

  #readBody(className: string, obj: RootObject, slotEnd: number, isBase = false): void {
    const c = this.c;
    if (++this.#depth > MAX_DEPTH) {
      this.#depth = 0;
      throw c.error(`Cannot decode "${className}"`, `objects nested deeper than ${MAX_DEPTH}`);
    }
    let header = c.version();
    let foreign: ClassReader | undefined;
    if (
      header.version === 0 && header.byteCount >= 6 && c.remaining() >= 4 &&
      this.classes.resolveChecksum
    ) {
      // A foreign class: version 0, then its checksum names the streamer info
      // (TBufferFile::ReadVersion, "v.cnt >= 6" branch).
      const found = this.classes.resolveChecksum(className, c.view.getUint32(c.pos));
      if (found) {
        c.pos += 4;
        header = { ...header, version: found.version };
        foreign = found.reader;
      }
    }
    const where = `${className}@v${header.version}`;
    c.breadcrumbs.push(where);
    try {
      const reader = foreign ?? this.classes.resolve(className, header.version);
      if (reader) {
        reader(this, obj, header);
        const warning = c.checkByteCount(header, className);
        if (warning) this.warnings.push(warning);
        return;
      }
      const end = header.byteCount ? header.countedFrom + header.byteCount : slotEnd;
      if (end < 0 || end > c.bytes.length) {
        throw c.error(
          `Cannot decode "${className}" v${header.version}`,
          "no reader or streamer info for this class version, and no byte count to skip it",
          header.start,
        );
      }
      c.seek(end);
      this.warnings.push(`"${className}" v${header.version} skipped (no reader or streamer info)`);
      if (!isBase) {
        const unknown = obj as UnknownObject;
        unknown.version = header.version;
        unknown.byteCount = header.byteCount;
        unknown._unknown = true;
      }
    } finally {
      c.breadcrumbs.pop();
      this.#depth--;
    }
  }
}
