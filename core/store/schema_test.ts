import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { migrate, type Migration, MIGRATIONS, SCHEMA_VERSION, userVersion } from "./schema.ts";

const V2: Migration = {
  version: 2,
  description: "add notes",
  sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY) STRICT;",
};
const BROKEN: Migration = {
  version: 2,
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
  assert.deepEqual(tables(db), ["melists", "samples"]);
  assert.equal(migrate(db, ":memory:"), SCHEMA_VERSION);
  db.close();
});

Deno.test("migrate() applies only the pending migrations, in order", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db, "mem");
  assert.equal(migrate(db, "mem", [...MIGRATIONS, V2]), 1);
  assert.equal(userVersion(db), 2);
  assert.deepEqual(tables(db), ["melists", "notes", "samples"]);
  db.close();
});

Deno.test("migrate() rolls back a failing migration and names it", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db, "mem");
  assert.throws(
    () => migrate(db, "db.sqlite", [...MIGRATIONS, V2, { ...BROKEN, version: 3 }]),
    (e: unknown) =>
      e instanceof Error &&
      e.message.startsWith('Cannot migrate store "db.sqlite" to version 3 (broken step): '),
  );
  assert.equal(userVersion(db), 1);
  assert.deepEqual(tables(db), ["melists", "samples"]);
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
