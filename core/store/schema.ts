/**
 * @module
 * The SQLite schema of the store and its migrations. The schema version lives
 * in `PRAGMA user_version`; `MIGRATIONS[k]` takes a database from version k to
 * k + 1 and is never edited once released (add a new entry instead).
 *
 * Differences from the original (spec/api.md §4.1), by design:
 * - typed STRICT tables, one `melists` row per list holding both blobs, keyed
 *   by a content hash with a UNIQUE index (the original indexed whole blobs,
 *   §12.16, and never deduplicated infos, §12.15);
 * - `registered` in milliseconds, an `import_error` column for back-off;
 * - triggers delete a list as soon as no sample references it any more, in
 *   the same transaction as the change that released it, so replaced samples
 *   (live mode re-registers every ~20 s) no longer grow the file forever.
 */

import type { DatabaseSync } from "node:sqlite";

/** One schema step. */
export interface Migration {
  /** The version the database has after this step. */
  readonly version: number;
  /** What the step does, for error messages. */
  readonly description: string;
  /** The SQL, run inside the migration transaction. */
  readonly sql: string;
}

/** Every migration, in order; `MIGRATIONS[k].version === k + 1`. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "initial schema",
    sql: `
      -- AUTOINCREMENT: ids of deleted lists are never handed out again, so
      -- a decoded list cached by id cannot be mistaken for a newer one.
      CREATE TABLE melists (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        hash   TEXT    NOT NULL UNIQUE,
        names  BLOB    NOT NULL,
        infos  BLOB    NOT NULL,
        count  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE samples (
        id           INTEGER PRIMARY KEY,
        dataset      TEXT    NOT NULL,
        run          INTEGER NOT NULL,
        lumi         INTEGER NOT NULL,
        file         TEXT    NOT NULL,
        fileformat   INTEGER NOT NULL,
        registered   INTEGER NOT NULL,
        melist_id    INTEGER NULL REFERENCES melists(id),
        import_error TEXT    NULL,
        UNIQUE (dataset, run, lumi)
      ) STRICT;

      -- latest runs (ORDER BY run DESC); the UNIQUE index serves dataset,
      -- (dataset, run) and exact-key lookups.
      CREATE INDEX samples_run ON samples(run);
      -- "is this list still referenced?" for the triggers, GC and FK checks.
      CREATE INDEX samples_melist ON samples(melist_id) WHERE melist_id IS NOT NULL;

      CREATE TRIGGER samples_melist_released
      AFTER UPDATE OF melist_id ON samples
      WHEN old.melist_id IS NOT NULL AND old.melist_id IS NOT new.melist_id
      BEGIN
        DELETE FROM melists WHERE id = old.melist_id
          AND NOT EXISTS (SELECT 1 FROM samples WHERE melist_id = old.melist_id);
      END;

      CREATE TRIGGER samples_deleted
      AFTER DELETE ON samples
      WHEN old.melist_id IS NOT NULL
      BEGIN
        DELETE FROM melists WHERE id = old.melist_id
          AND NOT EXISTS (SELECT 1 FROM samples WHERE melist_id = old.melist_id);
      END;
    `,
  },
  {
    version: 2,
    description: "retired snapshot files",
    sql: `
      -- Protobuf snapshots (fileformat 3) replaced by a newer one, for the
      -- cleanup task: a file lands here when the last sample using it moves
      -- to another file, and leaves when it is registered again.
      CREATE TABLE retired_files (
        file     TEXT    PRIMARY KEY,
        dataset  TEXT    NOT NULL,
        run      INTEGER NOT NULL,
        retired  INTEGER NOT NULL
      ) STRICT;

      CREATE TRIGGER samples_snapshot_retired
      AFTER UPDATE OF file ON samples
      WHEN old.fileformat = 3 AND old.file IS NOT new.file
        AND NOT EXISTS (SELECT 1 FROM samples WHERE file = old.file)
      BEGIN
        INSERT OR REPLACE INTO retired_files (file, dataset, run, retired)
        VALUES (old.file, old.dataset, old.run, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
      END;

      CREATE TRIGGER samples_snapshot_revived
      AFTER UPDATE OF file ON samples
      BEGIN
        DELETE FROM retired_files WHERE file = new.file;
      END;

      CREATE TRIGGER samples_snapshot_inserted
      AFTER INSERT ON samples
      BEGIN
        DELETE FROM retired_files WHERE file = new.file;
      END;
    `,
  },
  {
    version: 3,
    description: "short links",
    sql: `
      -- Short links to views of the app: the id stands for the query string
      -- of the app's URL (its whole state). One id per distinct target.
      CREATE TABLE links (
        id      TEXT    PRIMARY KEY,
        target  TEXT    NOT NULL UNIQUE,
        created INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

/** The schema version this build creates and understands. */

export const SCHEMA_VERSION: number = MIGRATIONS.length;

/**
 * Bring a database to {@linkcode SCHEMA_VERSION}. Pending migrations run in
 * one `BEGIN IMMEDIATE` transaction (the version is re-read under the write
 * lock, so two processes opening a new file do not both migrate it). An
 * up-to-date database is only read.
 *
 * @param db an open connection
 * @param name the database path, for error messages
 * @param migrations the migration list (tests pass longer ones)
 * @returns the version the database had before
 * @throws {RangeError} when the database is newer than this build
 * @throws {Error} when a migration fails (nothing is changed)
 */
export function migrate(
  db: DatabaseSync,
  name: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const target = migrations.length;
  const before = userVersion(db);
  checkVersion(before, target, name);
  if (before === target) return before;
  db.exec("BEGIN IMMEDIATE");
  let step: Migration | undefined;
  try {
    const current = userVersion(db);
    checkVersion(current, target, name);
    for (step of migrations.slice(current)) db.exec(step.sql);
    db.exec(`PRAGMA user_version = ${target}`);
    db.exec("COMMIT");
    return current;
  } catch (e) {
    if (db.isTransaction) db.exec("ROLLBACK");
    if (e instanceof RangeError || step === undefined) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new Error(
      `Cannot migrate store "${name}" to version ${step.version} (${step.description}): ${detail}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * @param db an open connection
 * @returns the database's `PRAGMA user_version`
 */
export function userVersion(db: DatabaseSync): number {
  return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
}

function checkVersion(version: number, target: number, name: string): void {
  if (version > target) {
    throw new RangeError(
      `Cannot open store "${name}": schema version ${version} is newer than this build supports (${target})`,
    );
  }
}
