import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { ROOTFilePBSchema } from "../pb/mod.ts";
import { ObjectReader } from "../root/buffer.ts";
import { Cursor } from "../root/cursor.ts";
import { RootFormatError } from "../root/errors.ts";
import { classResolver } from "../root/models/mod.ts";
import { MemorySource } from "../root/source.ts";
import { encodeMEList, MEList } from "../store/mod.ts";
import { generatePbMEs, writePbFile } from "../writer/mod.ts";
import { Random } from "../writer/_random.ts";
import { gunzipSnapshot, PB_GZIP_OFFSET, protobufImporter, readPbHisto } from "./protobuf.ts";

const MES = generatePbMEs({ count: 400, seed: 11 }).filter((_, i) => i % 10 === 0 || i >= 390);
const REQUEST = { dataset: "/Global/Online/ALL", run: 0, lumi: 0 };
const LOCATED = /^Cannot (read|gunzip) [^\n]* in "bad\.pb"/;

/**
 * Import, store and read back every ME of a damaged file, as the server
 * would. Returns "error" for a RootFormatError naming the file, the entry
 * count otherwise; anything else thrown fails the test.
 */
async function importAndRead(bytes: Uint8Array): Promise<"error" | number> {
  const source = new MemorySource(bytes, "bad.pb");
  let entries;
  try {
    entries = (await protobufImporter.importFile(source, REQUEST)).lists.get("0:0")!;
  } catch (error) {
    if (!(error instanceof RootFormatError)) throw error;
    assert.match(error.message, LOCATED);
    return "error";
  }
  encodeMEList(new MEList(entries));
  let plain: Uint8Array | undefined;
  const gunzipped = () => Promise.resolve(plain ??= gunzipSnapshot(bytes, "bad.pb"));
  for (const e of entries) {
    try {
      const h = await readPbHisto(source, e.seek, e.size, e.offset === PB_GZIP_OFFSET, gunzipped);
      new ObjectReader(new Cursor(h.slot, 0), classResolver()).readObjectAny();
    } catch (error) {
      if (!(error instanceof RootFormatError)) throw error;
    }
  }
  return entries.length;
}

function parses(bytes: Uint8Array): boolean {
  try {
    fromBinary(ROOTFilePBSchema, bytes);
    return true;
  } catch {
    return false;
  }
}

for (const variant of ["zlib", "gzip"] as const) {
  const bytes = writePbFile({ mes: MES, clients: 2, variant });

  Deno.test(`protobufImporter.importFile() rejects every truncation of a ${variant} snapshot with RootFormatError, or imports the whole Histos before the cut`, async () => {
    const step = Math.max(1, Math.floor(bytes.length / 1500));
    for (let n = 0; n < bytes.length; n += n < 64 || n > bytes.length - 64 ? 1 : step) {
      const cut = bytes.subarray(0, n);
      const result = await importAndRead(cut);
      if (variant === "gzip") assert.equal(result, n === 0 ? 0 : "error", `cut at ${n}`);
      else assert.equal(result !== "error", parses(cut), `cut at ${n}`);
    }
  });

  Deno.test(`protobufImporter.importFile() and readPbHisto() survive bit flips in a ${variant} snapshot`, async () => {
    const rng = new Random(variant === "zlib" ? 1 : 2);
    const outcomes = { error: 0, imported: 0 };
    for (let i = 0; i < 400; i++) {
      const copy = bytes.slice();
      const at = rng.int(0, copy.length - 1);
      copy[at]! ^= 1 << rng.int(0, 7);
      outcomes[(await importAndRead(copy)) === "error" ? "error" : "imported"]++;
    }
    // Flips in names and histogram payloads still import; flips in lengths and tags do not.
    assert.ok(outcomes.error > 0);
    if (variant === "zlib") assert.ok(outcomes.imported > outcomes.error);
  });
}

Deno.test("protobufImporter.importFile() rejects random garbage with RootFormatError", async () => {
  const rng = new Random(3);
  for (let i = 0; i < 300; i++) {
    const junk = Uint8Array.from({ length: rng.int(1, 200) }, () => rng.int(0, 255));
    if (i % 2 === 0) junk[0] = 0x0a;
    await importAndRead(junk);
  }
});
