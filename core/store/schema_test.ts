import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { migrate, type Migration, MIGRATIONS, SCHEMA_VERSION, userVersion } from "./schema.ts";

const NEXT = MIGRATIONS.length + 1;
const V2: Migration = {
  version: NEXT,
  description: "add notes",
  sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY) STRICT;",
};
const BROKEN: Migration = {
  version: NEXT,
  description: "broken step",
  sql: "CREATE TABLE samples (x);",
};

function tables(db: DatabaseSync): string[] {
  return (db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
  ).all() as {
    name: string;
  }[])
    .map((r) => r.name);
}

Deno.test("migrate() creates the initial schema in an empty database", () => {
  const db = new DatabaseSync(":memory:");
  assert.equal(migrate(db, ":memory:"), 0);
  assert.equal(userVersion(db), SCHEMA_VERSION);
  assert.deepEqual(tables(db), ["links", "melists", "retired_files", "samples"]);
  assert.equal(migrate(db, ":memory:"), SCHEMA_VERSION);
  db.close();
});

Deno.test("migrate() applies only the pending migrations, in order", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db, "mem");
  assert.equal(migrate(db, "mem", [...MIGRATIONS, V2]), SCHEMA_VERSION);
  assert.equal(userVersion(db), NEXT);
  assert.deepEqual(tables(db), ["links", "melists", "notes", "retired_files", "samples"]);
  db.close();
});

Deno.test("migrate() rolls back a failing migration and names it", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db, "mem");
  assert.throws(
    () => migrate(db, "db.sqlite", [...MIGRATIONS, V2, { ...BROKEN, version: NEXT + 1 }]),
    (e: unknown) =>
      e instanceof Error &&
      e.message.startsWith(
        `Cannot migrate store "db.sqlite" to version ${NEXT + 1} (broken step): `,
      ),
  );
  assert.equal(userVersion(db), SCHEMA_VERSION);
  assert.deepEqual(tables(db), ["links", "melists", "retired_files", "samples"]);
  assert.equal(db.isTransaction, false);
  db.close();
});

Deno.test("migrate() refuses a database newer than this build", () => {
  const db = new DatabaseSync(":memory:");
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  assert.throws(
    () => migrate(db, "x.sqlite"),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.includes(`schema version ${SCHEMA_VERSION + 1} is newer`),
  );
  db.close();
});

Deno.test("migrate() takes a version-1 database with samples to the current schema, keeping them", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db, "mem", MIGRATIONS.slice(0, 1));
  db.exec(
    "INSERT INTO samples (dataset, run, lumi, file, fileformat, registered) VALUES ('/A/B/C', 1, 0, '/f.pb', 3, 5)",
  );
  assert.equal(migrate(db, "mem"), 1);
  assert.equal(userVersion(db), SCHEMA_VERSION);
  assert.deepEqual(
    db.prepare("SELECT file FROM samples").all().map((r) => (r as { file: string }).file),
    ["/f.pb"],
  );
  db.close();
});
