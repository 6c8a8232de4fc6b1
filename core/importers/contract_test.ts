import assert from "node:assert/strict";
import { RootFormatError } from "../root/errors.ts";
import { MemorySource } from "../root/source.ts";
import { checkEntry, type MEEntry } from "../store/me_entry.ts";
import {
  generatePbMEs,
  type LegacyME,
  writeDqmioFile,
  writeLegacyDqmFile,
  writePbFile,
} from "../writer/mod.ts";
import { FileFormat, type Importer, IMPORTERS, runLumiKey } from "./mod.ts";

const RUN = 356789;
const MES: LegacyME[] = generatePbMEs({ count: 800, seed: 21, run: RUN });

/** Each format's importer over a file holding MES (protobuf in both variants, three clients). */
const FILES: { label: string; format: FileFormat; bytes: Uint8Array }[] = [
  {
    label: "legacy",
    format: FileFormat.DQMCLASSIC,
    bytes: writeLegacyDqmFile({ run: RUN, mes: MES }),
  },
  {
    label: "DQMIO",
    format: FileFormat.DQMIO,
    bytes:
      writeDqmioFile({ run: RUN, lumis: 0, mesPerLumi: 0, perRunMEs: () => MES, seed: 21 }).bytes,
  },
  {
    label: "protobuf (zlib payloads)",
    format: FileFormat.PROTOBUF,
    bytes: writePbFile({ mes: MES, clients: 3 }),
  },
  {
    label: "protobuf (gzip file)",
    format: FileFormat.PROTOBUF,
    bytes: writePbFile({ mes: MES, clients: 3, variant: "gzip" }),
  },
];

async function importAll(importer: Importer, bytes: Uint8Array, name: string) {
  const source = new MemorySource(bytes, name);
  return await importer.importFile(source, { dataset: "/A/B/C", run: RUN, lumi: 0 });
}

/** What every importer must agree on: path, kind and scalar value (Floats as numbers). */
function comparable(entries: MEEntry[]): Map<string, string> {
  return new Map(
    entries.map((e) => {
      const value = e.value === undefined ? "" : e.kind === "Float" ? Number(e.value) : e.value;
      return [e.path, `${e.kind} ${value}`] as [string, string];
    }).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Quality tests and efficiency, which legacy and protobuf files carry and DQMIO does not. */
function annotations(entries: MEEntry[]): Map<string, string> {
  return new Map(
    entries.filter((e) => e.efficiency || e.qtests?.length).map((e) => {
      const q = (e.qtests ?? []).map((t) => JSON.stringify(t)).sort();
      return [e.path, `${e.efficiency ?? false} ${q.join(",")}`] as [string, string];
    }).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

Deno.test("IMPORTERS has an importer for each of the three file formats", () => {
  assert.deepEqual([...IMPORTERS.keys()].sort(), [1, 2, 3]);
  for (const [format, importer] of IMPORTERS) assert.equal(importer.format, format);
});

for (const file of FILES) {
  const importer = IMPORTERS.get(file.format)!;

  Deno.test(`Importer contract: ${file.label} importer recognises its file and returns checkable entries under the registered run`, async () => {
    assert.equal(importer.canImport(file.bytes.subarray(0, 64)), true);
    const result = await importAll(importer, file.bytes, "file");
    assert.deepEqual([...result.lists.keys()], [runLumiKey(RUN, 0)]);
    assert.deepEqual(result.warnings, []);
    for (const e of result.lists.get(runLumiKey(RUN, 0))!) checkEntry(e);
  });

  Deno.test(`Importer contract: ${file.label} importer rejects a file of zeros with RootFormatError naming it`, async () => {
    await assert.rejects(importAll(importer, new Uint8Array(100), "zeros.bin"), (e) => {
      assert.ok(e instanceof RootFormatError, String(e));
      assert.match(e.message, /in "zeros\.bin"/);
      return true;
    });
  });
}

Deno.test("Importer contract: the three importers read the same ME paths, kinds and scalar values from equivalent files", async () => {
  const lists = await Promise.all(FILES.map(async (f) => {
    const r = await importAll(IMPORTERS.get(f.format)!, f.bytes, f.label);
    return r.lists.get(runLumiKey(RUN, 0))!;
  }));
  const reference = comparable(lists[0]!);
  assert.equal(reference.size, MES.length);
  for (let i = 1; i < FILES.length; i++) {
    assert.deepEqual(comparable(lists[i]!), reference, FILES[i]!.label);
  }
  const legacy = annotations(lists[0]!);
  assert.ok(legacy.size > 0);
  assert.deepEqual(annotations(lists[2]!), legacy);
  assert.deepEqual(annotations(lists[3]!), legacy);
});
