/**
 * @module
 * The sample index and the ME list blobs, in one SQLite file (Deno's built-in
 * `node:sqlite`). This and the rest of `core/store/` are the only modules that
 * talk to SQLite (STYLE rule 5).
 *
 * The file runs in WAL mode with `synchronous=NORMAL`: readers never wait for
 * the writer, and a crash loses at most the last transactions, never
 * consistency. Every write is one short `BEGIN IMMEDIATE` transaction that
 * either commits or throws; nothing reports success on a failed write
 * (spec/api.md §12.17).
 *
 * Lists that no sample references are deleted by triggers in the transaction
 * that released them (re-registration, replacement by a new list, deletion);
 * {@linkcode Store.garbageCollect} is a full sweep for databases written by
 * other code, cheap enough to run at start-up.
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import {
  checkKey,
  checkLimit,
  checkList,
  checkRegistration,
  likeSubstring,
  messageOf,
} from "./_store_checks.ts";
import type {
  FindQuery,
  FindResult,
  SampleKey,
  SampleRecord,
  SampleRegistration,
  SamplesQuery,
  StoredMEList,
} from "./sample.ts";
import { migrate } from "./schema.ts";

export type {
  FindQuery,
  FindResult,
  SampleKey,
  SampleRecord,
  SampleRegistration,
  SamplesQuery,
  StoredMEList,
} from "./sample.ts";

/** Options of {@linkcode Store.open}. */
export interface StoreOptions {
  /** Clock for `registered`, ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** How long a write waits for another connection's lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

type Row = Record<string, SQLInputValue>;

const LINK_ID_LENGTH = 8;
const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random id over [0-9A-Za-z] (62^8 ≈ 2·10^14 ids). */
function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let id = "";
  // Rejection sampling keeps every character equally likely (248 = 4·62).
  for (const b of bytes) {
    if (b < 248) id += ID_ALPHABET[b % 62];
    if (id.length === length) return id;
  }
  return id + randomId(length - id.length);
}

/**
 * The store: samples, their files and their ME lists.
 *
 * @example Register, attach a list, query
 * ```ts
 * import { encodeMEList, MEList, Store } from "./mod.ts";
 * const store = Store.open(":memory:");
 * const key = { dataset: "/ZeroBias/Run2018B-PromptReco-v1/DQMIO", run: 317182, lumi: 0 };
 * store.register([{ ...key, file: "/data/DQM_R000317182.root", fileformat: 1 }]);
 * const list = new MEList([{ path: "A/h", kind: "TH1F", seek: 100, offset: 0, size: -1 }]);
 * store.saveMELists("/data/DQM_R000317182.root", 1, key.dataset, new Map([["317182:0", { ...encodeMEList(list), count: 1 }]]));
 * const sample = store.getSample(key);
 * if (sample?.melistId == null || store.samples({ run: "3171" }).length !== 1) throw new Error("store");
 * store.close();
 * ```
 */
export class Store {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #now: () => number;
  readonly #statements = new Map<string, StatementSync>();
  #generation = 0;
  #dataVersion = -1;

  // `private`, not `#`: a constructor cannot be #private; use Store.open().
  private constructor(db: DatabaseSync, path: string, now: () => number) {
    this.#db = db;
    this.#path = path;
    this.#now = now;
  }

  /**
   * Open (creating if needed) and migrate a store.
   *
   * @param path database file, or ":memory:"
   * @param options clock and lock timeout
   * @returns the open store
   * @throws {RangeError} when the file's schema is newer than this build
   * @throws {Error} when the file cannot be opened or migrated
   */
  static open(path: string, options: StoreOptions = {}): Store {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
    } catch (e) {
      throw new Error(`Cannot open store "${path}": ${messageOf(e)}`, { cause: e });
    }
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec("PRAGMA foreign_keys = ON");
      migrate(db, path);
    } catch (e) {
      db.close();
      if (e instanceof RangeError || messageOf(e).startsWith("Cannot ")) throw e;
      throw new Error(`Cannot open store "${path}": ${messageOf(e)}`, { cause: e });
    }
    const store = new Store(db, path, options.now ?? Date.now);
    store.#dataVersion = store.#readDataVersion();
    return store;
  }

  /**
   * A counter that changes whenever samples or lists may have changed: on
   * every `register` and `saveMELists` through this store, and when another
   * connection (an import worker) committed to the same file. Caches compare
   * it to drop entries made before a change.
   */
  get generation(): number {
    if (this.#db.isOpen) {
      const dv = this.#readDataVersion();
      if (dv !== this.#dataVersion) {
        this.#dataVersion = dv;
        this.#generation++;
      }
    }
    return this.#generation;
  }

  /**
   * Register samples in one transaction. A sample that exists already is
   * updated in place and its ME list and import error are reset, whatever
   * changed (a file re-registered under the same name may have new content,
   * as in live mode), so the next access re-imports it.
   *
   * @param samples the samples; checked before anything is written (when a
   *   key repeats within the batch, the later one wins)
   * @returns how many were written
   * @throws {TypeError} for a malformed sample (nothing is written)
   * @throws {Error} when the write fails (nothing is written)
   */
  register(samples: readonly SampleRegistration[]): number {
    samples.forEach(checkRegistration);
    if (samples.length === 0) return 0;
    const upsert = this.#sql(
      `INSERT INTO samples (dataset, run, lumi, file, fileformat, registered) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset, run, lumi) DO UPDATE SET file = excluded.file, fileformat = excluded.fileformat,
         registered = excluded.registered, melist_id = NULL, import_error = NULL`,
    );
    const now = this.#now();
    return this.#write(`Cannot register ${samples.length} samples`, () => {
      for (const s of samples) upsert.run(s.dataset, s.run, s.lumi, s.file, s.fileformat, now);
      return samples.length;
    });
  }

  /**
   * @param key the sample
   * @returns its row, or undefined
   */
  getSample(key: SampleKey): SampleRecord | undefined {
    checkKey(key, "Cannot get sample");
    const row = this.#sql(
      `SELECT dataset, run, lumi, file, fileformat, registered, melist_id, import_error FROM samples
       WHERE dataset = ? AND run = ? AND lumi = ?`,
    ).get(key.dataset, key.run, key.lumi) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      dataset: row.dataset as string,
      run: row.run as number,
      lumi: row.lumi as number,
      file: row.file as string,
      fileformat: row.fileformat as number,
      registered: row.registered as number,
      melistId: row.melist_id as number | null,
      importError: row.import_error as string | null,
    };
  }

  /**
   * Search samples, ordered by dataset, run descending, lumi.
   *
   * @param q filters (all optional, combined with AND)
   * @returns the matching keys
   * @throws {TypeError} for a non-integer lumi or a bad limit
   */
  samples(q: SamplesQuery = {}): SampleKey[] {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (q.dataset) {
      where.push("dataset LIKE ? ESCAPE '\\'");
      params.push(likeSubstring(q.dataset));
    }
    if (q.run) {
      where.push("instr(CAST(run AS TEXT), ?) > 0");
      params.push(String(q.run));
    }
    const lumi = q.lumi ?? 0;
    if (!Number.isSafeInteger(lumi)) {
      throw new TypeError(`Cannot search samples: lumi must be an integer (got ${lumi})`);
    }
    if (lumi === 0) where.push("lumi = 0");
    else if (lumi === -1) where.push("lumi > 0");
    else if (lumi > 0) {
      where.push("lumi = ?");
      params.push(lumi);
    }
    const filter = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
    const sql =
      `SELECT dataset, run, lumi FROM samples${filter} ORDER BY dataset, run DESC, lumi LIMIT ?`;
    params.push(checkLimit(q.limit, -1));
    return (this.#sql(sql).all(...params) as Row[]).map((r) => ({
      dataset: r.dataset as string,
      run: r.run as number,
      lumi: r.lumi as number,
    }));
  }

  /**
   * Find samples for the finder: dataset by exact name, substring or test,
   * runs in ranges, a lumi rule; latest runs first.
   *
   * @param q the query
   * @returns a page of keys and the total number of matches
   * @throws {TypeError} for a bad limit, lumi or run range
   */
  find(q: FindQuery): FindResult {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    const ds = q.dataset;
    if (typeof ds === "function") {
      const names = (this.#sql("SELECT DISTINCT dataset FROM samples").all() as Row[])
        .map((r) => r.dataset as string).filter(ds);
      where.push("dataset IN (SELECT value FROM json_each(?))");
      params.push(JSON.stringify(names));
    } else if (ds && q.exact) {
      where.push("dataset = ?");
      params.push(ds);
    } else if (ds) {
      where.push("dataset LIKE ? ESCAPE '\\'");
      params.push(likeSubstring(ds));
    }
    if (q.runs && q.runs.length > 0) {
      const ranges: string[] = [];
      for (const [lo, hi] of q.runs) {
        if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
          throw new TypeError(`Cannot find samples: bad run range ${lo}-${hi}`);
        }
        ranges.push("run BETWEEN ? AND ?");
        params.push(lo, hi);
      }
      where.push(`(${ranges.join(" OR ")})`);
    }
    const lumi = q.lumi ?? 0;
    if (lumi !== "all") {
      if (!Number.isSafeInteger(lumi) || lumi < -1) {
        throw new TypeError(`Cannot find samples: lumi must be -1, 0, N or "all" (got ${lumi})`);
      }
      if (lumi === -1) where.push("lumi > 0");
      else {
        where.push("lumi = ?");
        params.push(lumi);
      }
    }
    const filter = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
    const total = (this.#sql(`SELECT count(*) AS n FROM samples${filter}`).get(...params) as Row)
      .n as number;
    const rows = this.#sql(
      `SELECT dataset, run, lumi FROM samples${filter} ORDER BY run DESC, dataset, lumi LIMIT ?`,
    ).all(...params, checkLimit(q.limit, 1000)) as Row[];
    return {
      data: rows.map((r) => ({
        dataset: r.dataset as string,
        run: r.run as number,
        lumi: r.lumi as number,
      })),
      total,
    };
  }

  /**
   * Distinct dataset names containing `search` (case-insensitive for ASCII;
   * `%` and `_` are literal), in byte order.
   *
   * @param search substring; "" matches all
   * @param limit most names to return
   * @returns the names
   */
  datasets(search: string, limit = 100): string[] {
    const rows = this.#sql(
      "SELECT DISTINCT dataset FROM samples WHERE dataset LIKE ? ESCAPE '\\' ORDER BY dataset LIMIT ?",
    ).all(likeSubstring(search), checkLimit(limit, 100)) as Row[];
    return rows.map((r) => r.dataset as string);
  }

  /**
   * Distinct run numbers, newest first.
   *
   * @param search substring of the decimal run number; "" matches all
   * @param limit most runs to return
   * @returns the runs
   */
  latestRuns(search: string, limit = 100): number[] {
    const rows = this.#sql(
      "SELECT DISTINCT run FROM samples WHERE instr(CAST(run AS TEXT), ?) > 0 ORDER BY run DESC LIMIT ?",
    ).all(String(search), checkLimit(limit, 100)) as Row[];
    return rows.map((r) => r.run as number);
  }

  /**
   * @param dataset exact dataset name
   * @param run exact run
   * @returns registered lumis ascending, including 0 if a per-run sample exists
   */
  lumis(dataset: string, run: number): number[] {
    const rows = this.#sql("SELECT lumi FROM samples WHERE dataset = ? AND run = ? ORDER BY lumi")
      .all(dataset, run) as Row[];
    return rows.map((r) => r.lumi as number);
  }

  /**
   * @param dataset exact dataset name
   * @returns its largest registered run, or null when it has none
   */
  maxRun(dataset: string): number | null {
    const row = this.#sql("SELECT max(run) AS run FROM samples WHERE dataset = ?").get(dataset) as
      | Row
      | undefined;
    return (row?.run as number | null | undefined) ?? null;
  }

  /** @returns true when no sample is registered */
  isEmpty(): boolean {
    return this.#sql("SELECT 1 AS one FROM samples LIMIT 1").get() === undefined;
  }

  /** @returns the number of sample and ME list rows */
  counts(): { samples: number; melists: number } {
    const row = this.#sql(
      "SELECT (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM melists) AS melists",
    ).get() as Row;
    return { samples: row.samples as number, melists: row.melists as number };
  }

  /**
   * Store the lists an import of `file` produced, in one transaction.
   *
   * Lists are deduplicated by hash. Each list is attached to the sample with
   * that dataset, run and lumi if the sample still points at this `file` and
   * `fileformat` (one re-registered with another file meanwhile is left
   * alone), clearing its import error. A (run, lumi) that has no sample yet
   * is registered as a new sample of this file: a DQMIO file holds many
   * lumisections, and one import makes all of them browsable. Lists that end
   * up attached to nothing are not kept.
   *
   * @param file the imported file, as registered
   * @param fileformat its format, as registered
   * @param dataset the dataset of the samples
   * @param lists lists by `${run}:${lumi}`
   * @returns how many samples now point at one of the lists
   * @throws {TypeError} for a malformed key or list (nothing is written)
   * @throws {Error} when the write fails (nothing is written)
   */
  saveMELists(
    file: string,
    fileformat: number,
    dataset: string,
    lists: ReadonlyMap<string, StoredMEList>,
  ): number {
    const items = [...lists].map(([key, list]) =>
      checkList(key, list, { file, fileformat, dataset })
    );
    if (items.length === 0) return 0;
    const insertList = this.#sql(
      "INSERT INTO melists (hash, names, infos, count) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
    );
    const listId = this.#sql("SELECT id FROM melists WHERE hash = ?");
    const attach = this.#sql(
      `UPDATE samples SET melist_id = ?, import_error = NULL
       WHERE dataset = ? AND run = ? AND lumi = ? AND file = ? AND fileformat = ?`,
    );
    const exists = this.#sql(
      "SELECT 1 AS one FROM samples WHERE dataset = ? AND run = ? AND lumi = ?",
    );
    const insertSample = this.#sql(
      `INSERT INTO samples (dataset, run, lumi, file, fileformat, registered, melist_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const dropUnused = this.#sql(
      "DELETE FROM melists WHERE id = ? AND NOT EXISTS (SELECT 1 FROM samples WHERE melist_id = ?)",
    );
    const now = this.#now();
    return this.#write(`Cannot save ${items.length} ME lists of "${file}"`, () => {
      let attached = 0;
      const ids = new Set<number>();
      for (const { run, lumi, list } of items) {
        insertList.run(list.hash, list.names, list.infos, list.count);
        const id = (listId.get(list.hash) as Row).id as number;
        ids.add(id);
        const { changes } = attach.run(id, dataset, run, lumi, file, fileformat);
        if (changes > 0) attached += Number(changes);
        else if (exists.get(dataset, run, lumi) === undefined) {
          insertSample.run(dataset, run, lumi, file, fileformat, now, id);
          attached++;
        }
      }
      for (const id of ids) dropUnused.run(id, id);
      return attached;
    });
  }

  /**
   * @param id a sample's `melistId`; ids are never reused, so decoded lists
   *   may be cached by id
   * @returns the two blobs, or undefined if no such list (it may have been
   *   released since the sample was read: read the sample again)
   */
  loadMEList(id: number): { names: Uint8Array; infos: Uint8Array } | undefined {
    const row = this.#sql("SELECT names, infos FROM melists WHERE id = ?").get(id) as
      | Row
      | undefined;
    return row === undefined
      ? undefined
      : { names: row.names as Uint8Array, infos: row.infos as Uint8Array };
  }

  /**
   * Record (or clear, with null) why importing a sample failed, if the sample
   * still points at `file`. Does not change {@linkcode Store.generation}.
   *
   * @param key the sample
   * @param file the file whose import failed
   * @param message the error text, or null to clear
   */
  setImportError(key: SampleKey, file: string, message: string | null): void {
    checkKey(key, "Cannot set import error");
    try {
      this.#sql(
        "UPDATE samples SET import_error = ? WHERE dataset = ? AND run = ? AND lumi = ? AND file = ?",
      )
        .run(message, key.dataset, key.run, key.lumi, file);
    } catch (e) {
      throw new Error(`Cannot set import error in "${this.#path}": ${messageOf(e)}`, { cause: e });
    }
  }

  /**
   * Protobuf snapshot files that no sample uses any more, retired before a
   * given time (the cleanup task deletes them).
   *
   * @param before ms since the epoch
   * @returns the files, oldest first
   */
  retiredFiles(before: number): { file: string; dataset: string; run: number; retired: number }[] {
    const rows = this.#sql(
      `SELECT file, dataset, run, retired FROM retired_files
       WHERE retired < ? AND NOT EXISTS (SELECT 1 FROM samples WHERE samples.file = retired_files.file)
       ORDER BY retired`,
    ).all(before) as Row[];
    return rows.map((r) => ({
      file: r.file as string,
      dataset: r.dataset as string,
      run: r.run as number,
      retired: r.retired as number,
    }));
  }

  /**
   * The short link of a target: the existing one, or a new random id.
   *
   * @param target what the link stands for (the app's query string)
   * @returns the id, 8 characters of [0-9A-Za-z]
   */
  saveLink(target: string): string {
    return this.#write(`Cannot save a short link`, () => {
      const found = this.#sql("SELECT id FROM links WHERE target = ?").get(target) as
        | Row
        | undefined;
      if (found) return found.id as string;
      for (;;) {
        const id = randomId(LINK_ID_LENGTH);
        const res = this.#sql(
          "INSERT INTO links (id, target, created) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
        ).run(id, target, Date.now());
        if (res.changes === 1) return id;
      }
    }, false);
  }

  /**
   * @param id a short link's id
   * @returns its target, or undefined
   */
  link(id: string): string | undefined {
    const row = this.#sql("SELECT target FROM links WHERE id = ?").get(id) as Row | undefined;
    return row?.target as string | undefined;
  }

  /**
   * Forget a retired file (after it was deleted, or when it is gone).
   *
   * @param file the path
   */
  forgetRetired(file: string): void {
    this.#write(
      `Cannot forget retired file "${file}"`,
      () => this.#sql("DELETE FROM retired_files WHERE file = ?").run(file),
    );
  }

  /**
   * Delete every ME list no sample references. The triggers already do this

   * on each change; this sweep is for files written by other code and is
   * meant for start-up or maintenance.
   *
   * @returns how many lists were deleted
   */
  garbageCollect(): number {
    const sql =
      "DELETE FROM melists WHERE NOT EXISTS (SELECT 1 FROM samples WHERE samples.melist_id = melists.id)";
    return this.#write(
      "Cannot collect unused ME lists",
      () => Number(this.#sql(sql).run().changes),
      false,
    );
  }

  /** Close the database. Idempotent. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
    this.#statements.clear();
  }

  #sql(sql: string): StatementSync {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #readDataVersion(): number {
    return (this.#sql("PRAGMA data_version").get() as Row).data_version as number;
  }

  /** Run `fn` in a write transaction; commit, or roll back and throw with `action` and the file. */
  #write<T>(action: string, fn: () => T, bump = true): T {
    const db = this.#db;
    try {
      db.exec("BEGIN IMMEDIATE");
      const result = fn();
      db.exec("COMMIT");
      if (bump) this.#generation++;
      return result;
    } catch (e) {
      if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
      throw new Error(`${action} in "${this.#path}": ${messageOf(e)}`, { cause: e });
    }
  }
}
