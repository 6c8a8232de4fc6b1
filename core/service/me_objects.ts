/**
 * @module
 * One monitor element of a sample, for the render and JSON endpoints: find it
 * in the sample's ME list (a missing one is an `ObjectNotFoundError` naming
 * the closest existing names), read its object from the file, and give the
 * validators HTTP caching needs (ETag inputs) without reading anything.
 */

import { FileFormat } from "../importers/types.ts";
import { PB_GZIP_OFFSET } from "../importers/protobuf.ts";
import type { RootObject } from "../root/models/types.ts";
import type { MEList, SampleKey, SampleRecord } from "../store/mod.ts";
import { describe, type DQMService } from "./dqm_service.ts";
import { ObjectNotFoundError } from "./errors.ts";
import type { MEReader, RawObject } from "./me_reader.ts";

/** Kinds whose value is stored in the ME list itself. */
const SCALAR_KINDS = new Set(["Int", "Float", "String"]);

/** An ME found in its sample. */
export interface LocatedME {
  /** The sample's record. */
  sample: SampleRecord;
  /** Its ME list. */
  list: MEList;
  /** Index of the ME in the list. */
  index: number;
  /** ME path. */
  path: string;
  /** Class name or "Int" | "Float" | "String". */
  kind: string;
  /** The ME carries the efficiency flag. */
  efficiency: boolean;
}

/** What the renderer gets for one ME: a scalar's text, or the stored object. */
export type MEContent =
  | { kind: "scalar"; text: string }
  | { kind: "raw"; raw: RawObject };

/**
 * Access to single MEs.
 *
 * @example
 * ```ts ignore
 * const mes = new MEObjects(service, new MEReader());
 * const { object } = await mes.object({ dataset: "/A/B/C", run: 1, lumi: 0 }, "Pixel/h");
 * ```
 */
export class MEObjects {
  readonly #service: DQMService;
  readonly #reader: MEReader;

  /**
   * @param service sample and ME list access
   * @param reader file access
   */
  constructor(service: DQMService, reader: MEReader) {
    this.#service = service;
    this.#reader = reader;
  }

  /**
   * Find an ME.
   *
   * @param key the sample
   * @param path the ME path
   * @param notOlderThan see `DQMService.sample`
   * @returns where it is
   * @throws ObjectNotFoundError for an unknown sample or ME
   */
  async locate(key: SampleKey, path: string, notOlderThan?: number): Promise<LocatedME> {
    const { record, list } = await this.#service.sample(key, notOlderThan);
    const index = list.indexOf(path);
    if (index < 0) {
      throw new ObjectNotFoundError(
        "ME",
        path,
        closestNames(list, path),
        `not in ${describe(key)}`,
      );
    }
    return {
      sample: record,
      list,
      index,
      path,
      kind: list.kind(index),
      efficiency: list.efficiency(index),
    };
  }

  /**
   * What to render for an ME: its scalar text, or the stored object bytes.
   *
   * @param me a located ME
   * @returns the content
   */
  async content(me: LocatedME): Promise<MEContent> {
    const value = me.list.value(me.index);
    if (SCALAR_KINDS.has(me.kind) && value !== undefined) return { kind: "scalar", text: value };
    return { kind: "raw", raw: await this.#raw(me) };
  }

  /**
   * The decoded object of an ME; scalars come back as a TObjString holding
   * their value, as the original's JSON did.
   *
   * @param me a located ME
   * @returns the object
   */
  async object(me: LocatedME): Promise<RootObject> {
    const value = me.list.value(me.index);
    if (SCALAR_KINDS.has(me.kind) && value !== undefined) {
      return { _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: value };
    }
    const { file, fileformat } = me.sample;
    const seek = me.list.seek(me.index);
    switch (fileformat) {
      case FileFormat.DQMCLASSIC:
        return (await this.#reader.legacyObject(file, seek)).object;
      case FileFormat.DQMIO:
        return (await this.#reader.dqmioObject(file, me.list.offset(me.index), seek)).object;
      case FileFormat.PROTOBUF:
        return await this.#reader.pbObject(
          file,
          seek,
          me.list.size(me.index),
          me.list.offset(me.index) === PB_GZIP_OFFSET,
        );
      default:
        throw unreadable(me);
    }
  }

  #raw(me: LocatedME): Promise<RawObject> {
    const { file, fileformat } = me.sample;
    const seek = me.list.seek(me.index);
    switch (fileformat) {
      case FileFormat.DQMCLASSIC:
        return this.#reader.legacyRaw(file, seek);
      case FileFormat.DQMIO:
        return this.#reader.dqmioRaw(file, me.list.offset(me.index), seek);
      case FileFormat.PROTOBUF:
        return this.#reader.pbRaw(
          file,
          seek,
          me.list.size(me.index),
          me.list.offset(me.index) === PB_GZIP_OFFSET,
        );
      default:
        return Promise.reject(unreadable(me));
    }
  }
}

function unreadable(me: LocatedME): TypeError {
  return new TypeError(
    `Cannot read "${me.path}": fileformat ${me.sample.fileformat} objects are not readable yet`,
  );
}

/**
 * Up to three existing ME paths closest to a missing one: same folder first,
 * ranked by edit distance of the names.
 *
 * @param list the sample's MEs
 * @param path the missing path
 * @returns suggestions, best first
 */
export function closestNames(list: MEList, path: string): string[] {
  const slash = path.lastIndexOf("/");
  const folder = slash < 0 ? "" : path.slice(0, slash);
  const name = path.slice(slash + 1);
  let candidates: number[];
  try {
    candidates = list.list(folder).objects;
  } catch {
    return [];
  }
  return candidates.slice(0, 2000)
    .map((i) => ({ path: list.path(i), d: editDistance(list.path(i).slice(slash + 1), name) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((c) => c.path);
}

function editDistance(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) return Math.abs(a.length - b.length) + 200;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}
