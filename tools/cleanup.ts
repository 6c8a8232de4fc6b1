/**
 * @module
 * `deno task cleanup`: one cleanup pass over replaced protobuf snapshot files,
 * the same as the server's background task (core/service/cleanup.ts), for
 * cron jobs or by hand. Safe while the server runs (SQLite WAL).
 */

import { parseArgs } from "node:util";
import { cleanupSnapshots } from "../core/service/cleanup.ts";
import { DataRoots } from "../core/service/data_roots.ts";
import { Store } from "../core/store/mod.ts";

const HELP = `Delete protobuf snapshot files that no sample uses any more.

Usage: deno task cleanup [options]

Options:
  --state-dir DIR     the server's state directory (default ./data)
  --data-root DIR     a data root, as given to the server; repeat for several
                      (default: <state-dir>/files and <state-dir>/demo)
  --grace SECONDS     keep files replaced less than this long ago (default 600)
  --dry-run           list what would be deleted, delete nothing
  -h, --help          show this help
`;

async function main(): Promise<number> {
  let o;
  try {
    o = parseArgs({
      args: Deno.args,
      options: {
        "state-dir": { type: "string", default: "./data" },
        "data-root": { type: "string", multiple: true },
        grace: { type: "string", default: "600" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (o.help) {
    console.log(HELP);
    return 0;
  }
  if (!/^\d+$/.test(o.grace!)) {
    console.error(`Invalid --grace: expected seconds, got "${o.grace}"`);
    return 2;
  }
  const state = o["state-dir"]!;
  try {
    await Deno.stat(`${state}/dqmgui.sqlite`);
  } catch {
    console.error(`Cannot find the store "${state}/dqmgui.sqlite": give the server's --state-dir`);
    return 2;
  }
  const store = Store.open(`${state}/dqmgui.sqlite`);
  try {
    const roots = await DataRoots.create(o["data-root"] ?? [`${state}/files`, `${state}/demo`]);
    const report = await cleanupSnapshots(store, roots, {
      graceMs: Number(o.grace) * 1000,
      dryRun: o["dry-run"],
      log: (line) => console.log(line),
    });
    console.log(
      `${
        o["dry-run"] ? "Would delete" : "Deleted"
      } ${report.deleted.length} file(s); ${report.missing.length} already gone; ${report.refused.length} refused`,
    );
    return 0;
  } finally {
    store.close();
  }
}

if (import.meta.main) Deno.exit(await main());
