import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { deflateSync } from "node:zlib";
import { type Histo, HistoSchema, PB_KINDS, ROOTFilePBSchema } from "../pb/mod.ts";
import { ObjectReader } from "../root/buffer.ts";
import { Cursor } from "../root/cursor.ts";
import { RootFormatError } from "../root/errors.ts";
import { classResolver } from "../root/models/mod.ts";
import type { RootObject, TH1 } from "../root/models/types.ts";
import { MemorySource } from "../root/source.ts";
import type { MEEntry } from "../store/me_entry.ts";
import { generatePbMEs, type LegacyME, pbSlot, writePbFile } from "../writer/mod.ts";
import { formatG17 } from "../writer/_format.ts";
import { histogramSummary } from "../../tests/support/jsroot_dump.ts";
import { errorMatching } from "../../tests/support/compare.ts";
import { FileFormat, importerFor, IMPORTERS } from "./mod.ts";
import { gunzipSnapshot, PB_GZIP_OFFSET, protobufImporter, readPbHisto } from "./protobuf.ts";
import {
  encodeHistos,
  genericHistos,
  genericObjString,
  genericSlot,
  lastByName,
  RecordingSource,
} from "./protobuf_test_support.ts";

const REQUEST = { dataset: "/Global/Online/ALL", run: 0, lumi: 0 };
const MES = generatePbMEs({ count: 1500, seed: 7 });

async function importBytes(bytes: Uint8Array, name = "snap.pb") {
  const result = await protobufImporter.importFile(new MemorySource(bytes, name), REQUEST);
  assert.deepEqual([...result.lists.keys()], ["0:0"]);
  return { entries: result.lists.get("0:0")!, warnings: result.warnings };
}

const gunzipped = new WeakMap<Uint8Array, Uint8Array>();

function readEntry(bytes: Uint8Array, e: MEEntry) {
  const source = new MemorySource(bytes, "snap.pb");
  const plain = () => {
    if (!gunzipped.has(bytes)) gunzipped.set(bytes, gunzipSnapshot(bytes, "snap.pb"));
    return Promise.resolve(gunzipped.get(bytes)!);
  };
  return readPbHisto(source, e.seek, e.size, e.offset === PB_GZIP_OFFSET, plain);
}

function decodeSlot(slot: Uint8Array): RootObject {
  return new ObjectReader(new Cursor(slot, 0), classResolver()).readObjectAny()!;
}

function scalarText(me: LegacyME): string | undefined {
  const v = me.value;
  if (!("kind" in v) || "_typename" in v) return undefined;
  return v.kind === "Float" ? formatG17(v.value) : String(v.value);
}

/** Checks import results against the generic decode of the same bytes. */
async function assertMatchesGeneric(bytes: Uint8Array, entries: MEEntry[]) {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const qtests = new Map<string, number>();
  let mes = 0;
  for (const [name, h] of lastByName(genericHistos(bytes))) {
    const kind = PB_KINDS.get(h.flags & 0xff)!;
    const slot = genericSlot(h);
    const text = (h.flags & 0xff) <= 3 ? genericObjString(slot) : undefined;
    if (text?.includes(">qr=st:")) {
      const me = name.slice(0, name.lastIndexOf("."));
      qtests.set(me, (qtests.get(me) ?? 0) + 1);
      continue;
    }
    mes++;
    const e = byPath.get(name);
    assert.ok(e, `missing ${name}`);
    assert.equal(e.kind, kind, name);
    assert.equal(e.efficiency ?? false, (h.flags & 0x00200000) !== 0, name);
    if (text !== undefined) assert.equal(e.value, /^<[^>]+>.=(.*)<\/[^>]+>$/.exec(text)![1], name);
    const read = await readEntry(bytes, e);
    assert.equal(read.name, name);
    assert.equal(read.flags, h.flags);
    assert.equal(read.slot.length, h.size);
    assert.deepEqual(read.slot, slot, name);
  }
  assert.equal(entries.length, mes);
  for (const [me, n] of qtests) assert.equal(byPath.get(me)?.qtests?.length, n, me);
}

/** Checks import results against the generator's MEs. */
async function assertMatchesSource(bytes: Uint8Array, entries: MEEntry[], mes: LegacyME[]) {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  assert.equal(entries.length, mes.length);
  for (const me of mes) {
    const e = byPath.get(me.path)!;
    assert.ok(e, `missing ${me.path}`);
    assert.equal(e.efficiency ?? false, me.efficiency ?? false, me.path);
    const expectedQTests = (me.qtests ?? []).toSorted((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(
      (e.qtests ?? []).toSorted((a, b) => (a.name < b.name ? -1 : 1)),
      expectedQTests,
      me.path,
    );
    const text = scalarText(me);
    if (text !== undefined) {
      assert.equal(e.kind, (me.value as { kind: string }).kind);
      assert.equal(e.value, text, me.path);
      continue;
    }
    const h = me.value as TH1;
    assert.equal(e.kind, h._typename);
    const read = await readEntry(bytes, e);
    assert.equal(read.className, h._typename);
    assert.deepEqual(read.slot, pbSlot(h), me.path);
    assert.deepEqual(histogramSummary(decodeSlot(read.slot)), histogramSummary(h), me.path);
  }
}

for (const variant of ["zlib", "gzip"] as const) {
  for (const clients of [1, 3]) {
    const bytes = writePbFile({ mes: MES, variant, clients });
    Deno.test(`protobufImporter.importFile() reads ${variant} snapshots of ${clients} client(s) as a generic @bufbuild/protobuf decode does`, async () => {
      const { entries, warnings } = await importBytes(bytes);
      assert.deepEqual(warnings, []);
      await assertMatchesGeneric(bytes, entries);
      assert.ok(entries.every((e) => e.offset === (variant === "gzip" ? PB_GZIP_OFFSET : 0)));
    });
    Deno.test(`protobufImporter.importFile() gives back the generator's MEs from ${variant} snapshots of ${clients} client(s)`, async () => {
      const { entries } = await importBytes(bytes);
      await assertMatchesSource(bytes, entries, MES);
    });
  }
}

Deno.test("writePbFile() covers every protobuf kind, efficiency plots and quality tests", () => {
  const histos = genericHistos(writePbFile({ mes: MES }));
  assert.deepEqual(
    [...new Set(histos.map((h) => h.flags & 0xff))].sort((a, b) => a - b),
    [...PB_KINDS.keys()],
  );
  assert.ok(histos.some((h) => h.flags & 0x00200000));
  assert.ok(histos.some((h) => h.flags === 3 && genericObjString(genericSlot(h)).includes("qr=")));
});

Deno.test("protobufImporter.importFile() keeps the last Histo of a duplicated name (MEs and quality tests)", async () => {
  const scalar = (name: string, text: string, flags: number) => {
    const slot = pbSlot({ _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: text });
    const fed = new Uint8Array(slot.length + 1);
    fed.set(slot);
    return create(HistoSchema, {
      fullPathname: name,
      size: slot.length,
      streamedHisto: new Uint8Array(deflateSync(fed)),
      flags,
    });
  };
  const histo = [
    scalar("A/EventInfo/iRun", "<iRun>i=1</iRun>", 1),
    scalar("A/EventInfo/iRun.KS", "<iRun.KS>qr=st:100:1:KS:ok</iRun.KS>", 3),
    scalar("A/EventInfo/iRun", "<iRun>i=2</iRun>", 1),
    scalar("A/EventInfo/iRun.KS", "<iRun.KS>qr=st:300:0.5:KS:bad</iRun.KS>", 3),
    scalar("A/EventInfo/iRun", "<iRun>i=3</iRun>", 0x55),
  ];
  const bytes = toBinary(ROOTFilePBSchema, create(ROOTFilePBSchema, { histo }));
  const { entries, warnings } = await importBytes(bytes);
  assert.equal(entries.length, 1);
  const [e] = entries;
  assert.equal(e!.value, "2");
  assert.deepEqual(e!.qtests, [
    { name: "KS", status: 300, result: 0.5, algorithm: "KS", message: "bad" },
  ]);
  assert.equal((await readEntry(bytes, e!)).slot.length, histo[2]!.size);
  assert.deepEqual(warnings, [
    '1 Histo(s) of unknown kind 0x55 skipped (first: "A/EventInfo/iRun")',
  ]);
});

Deno.test("protobufImporter.importFile() sees the generator's values through stale EventInfo copies of other clients", async () => {
  const bytes = writePbFile({ mes: MES, clients: 4 });
  const names = genericHistos(bytes).map((h) => h.fullPathname);
  const iRun = names.filter((n) => n.endsWith("/EventInfo/iRun"));
  assert.ok(iRun.length >= 4 * 15 && new Set(iRun).size * 4 === iRun.length);
  const { entries } = await importBytes(bytes);
  await assertMatchesSource(bytes, entries, MES);
});

Deno.test("protobufImporter.importFile() skips unknown kinds with one warning per kind byte", async () => {
  const histos = genericHistos(writePbFile({ mes: MES.slice(0, 40) }));
  histos[3]!.flags = 0x42;
  histos[5]!.flags = 0x42 | 0x00200000;
  histos[7]!.flags = 0x05;
  const { entries, warnings } = await importBytes(encodeHistos(histos));
  assert.equal(entries.length, 37);
  assert.deepEqual(warnings, [
    `2 Histo(s) of unknown kind 0x42 skipped (first: "${histos[3]!.fullPathname}")`,
    `1 Histo(s) of unknown kind 0x5 skipped (first: "${histos[7]!.fullPathname}")`,
  ]);
});

Deno.test("protobufImporter.importFile() reads Histos whose fields come in any order, with unknown fields and 64-bit varints", async () => {
  const canonical = writePbFile({ mes: MES.slice(0, 300) });
  const histos = genericHistos(canonical);
  const expected = (await importBytes(canonical)).entries;
  const strip = (e: MEEntry) => ({ ...e, seek: 0, size: 0 });
  for (const order of [[4, 3, 2, 1], [3, 4, 1, 2], [2, 4, 3, 1]]) {
    const bytes = encodeHistos(histos, { order, unknown: true, wideFlags: true });
    const fields = ({ fullPathname, size, streamedHisto, flags }: Histo) => ({
      fullPathname,
      size,
      streamedHisto,
      flags,
    });
    assert.deepEqual(genericHistos(bytes).map(fields), histos.map(fields));
    const { entries, warnings } = await importBytes(bytes);
    assert.deepEqual(warnings, []);
    assert.deepEqual(entries.map(strip), expected.map(strip));
    await assertMatchesGeneric(bytes, entries);
  }
});

Deno.test("readPbHisto() reads only the Histo message of a plain file", async () => {
  const bytes = writePbFile({ mes: MES.slice(0, 400) });
  const { entries } = await importBytes(bytes);
  const e = entries.find((x) => x.kind === "TProfile")!;
  const source = new RecordingSource(bytes, "snap.pb");
  const h = await readPbHisto(source, e.seek, e.size, false);
  assert.deepEqual(source.reads, [[e.seek, e.size]]);
  assert.equal(h.className, "TProfile");
  assert.equal(decodeSlot(h.slot)._typename, "TProfile");
});

Deno.test("readPbHisto() takes a gzip file's content from the gunzipped callback", async () => {
  const bytes = writePbFile({ mes: MES.slice(0, 400), variant: "gzip" });
  const { entries } = await importBytes(bytes);
  const e = entries.find((x) => x.kind === "TH1F")!;
  const plain = encodeHistos(genericHistos(bytes));
  const source = new RecordingSource(bytes, "snap.pb");
  const h = await readPbHisto(source, e.seek, e.size, true, () => Promise.resolve(plain));
  assert.deepEqual(source.reads, []);
  assert.equal(h.name, e.path);
  assert.deepEqual(h, await readPbHisto(source, e.seek, e.size, true));
  await assert.rejects(
    readPbHisto(source, plain.length - 2, 10, true),
    errorMatching(RangeError, "the gunzipped content has"),
  );
});

Deno.test("readPbHisto() reads a scalar's TObjString slot", async () => {
  const bytes = writePbFile({ mes: MES.slice(0, 10) });
  const { entries } = await importBytes(bytes);
  const e = entries.find((x) => x.kind === "Int")!;
  const h = await readEntry(bytes, e);
  assert.equal(h.className, "TObjString");
  assert.match(String(decodeSlot(h.slot).fString), new RegExp(`i=${e.value}<`));
});

Deno.test("protobufImporter.importFile() keeps non-XML scalars as TObjString and skips unreadable ones with a warning", async () => {
  const histos = genericHistos(writePbFile({ mes: MES.slice(0, 120) }));
  const i = histos.findIndex((h) => (h.flags & 0xff) === 3);
  const j = histos.findIndex((h, k) => k > i && (h.flags & 0xff) <= 2);
  const slot = pbSlot({ _typename: "TObjString", fUniqueID: 0, fBits: 0, fString: "free text" });
  histos[i] = { ...histos[i]!, streamedHisto: slot, size: slot.length };
  histos[j] = { ...histos[j]!, streamedHisto: new Uint8Array([0x78, 0xda, 1, 2, 3, 4, 5]) };
  const { entries, warnings } = await importBytes(encodeHistos(histos));
  assert.equal(entries.find((e) => e.path === histos[i]!.fullPathname)?.kind, "TObjString");
  assert.equal(entries.find((e) => e.path === histos[j]!.fullPathname), undefined);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /scalar text is not DQM's fake XML/);
  assert.match(
    warnings[1]!,
    /skipped: Cannot read scalar .* at offset \d+ in "snap.pb": zlib data/,
  );
});

Deno.test("protobufImporter.importFile() names the file and offset of a damaged message", async () => {
  const bytes = new Uint8Array([0x0a, 0x04, 0x0a, 0x02, 0x41, 0x42, 0x0a, 0x80]);
  await assert.rejects(
    importBytes(bytes, "x.pb"),
    errorMatching(
      RootFormatError,
      'Cannot read protobuf snapshot at offset 2 in "x.pb": Histo message lacks required size, streamed_histo, flags',
    ),
  );
  await assert.rejects(
    importBytes(new Uint8Array([0x0a, 0x10, 1]), "x.pb"),
    errorMatching(RootFormatError, 'at offset 1 in "x.pb": Histo message of 16 bytes runs past'),
  );
  await assert.rejects(
    importBytes(new Uint8Array([0x0a, 0x80]), "x.pb"),
    errorMatching(RootFormatError, 'at offset 1 in "x.pb": varint runs past the end'),
  );
  await assert.rejects(
    importBytes(new Uint8Array([0x1f, 0x8b, 8, 0]), "x.pb"),
    errorMatching(RootFormatError, 'Cannot gunzip protobuf snapshot in "x.pb"'),
  );
});

Deno.test("protobufImporter.importFile() imports an empty snapshot as an empty list", async () => {
  assert.deepEqual(await importBytes(new Uint8Array(0)), { entries: [], warnings: [] });
});

Deno.test("protobufImporter.importFile() honours the registered lumisection", async () => {
  const source = new MemorySource(writePbFile({ mes: MES.slice(0, 5) }), "snap.pb");
  const r = await protobufImporter.importFile(source, { dataset: "/A/B/C", run: 7, lumi: 3 });
  assert.deepEqual([...r.lists.keys()], ["7:3"]);
});

Deno.test("protobufImporter.canImport() accepts snapshots and gzip, not ROOT files", () => {
  assert.equal(protobufImporter.canImport(writePbFile({ mes: MES.slice(0, 2) })), true);
  assert.equal(
    protobufImporter.canImport(writePbFile({ mes: MES.slice(0, 2), variant: "gzip" })),
    true,
  );
  assert.equal(protobufImporter.canImport(new TextEncoder().encode("root\0\0\0")), false);
});

Deno.test("IMPORTERS maps fileformat 3 to the protobuf importer", () => {
  assert.equal(IMPORTERS.get(FileFormat.PROTOBUF), protobufImporter);
  assert.equal(importerFor(3), protobufImporter);
});
