import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { gunzipSync, inflateSync } from "node:zlib";
import { DQM_PROP_EFFICIENCY_PLOT, PB_KIND_CODES, ROOTFilePBSchema } from "../pb/mod.ts";
import type { RootObject } from "../root/models/types.ts";
import { errorMatching } from "../../tests/support/compare.ts";
import { makeTH1 } from "./histograms.ts";
import { qtestKeyName, scalarKeyName } from "./legacy.ts";
import { generatePbMEs, pbSlot, splitPbClients, writePbFile, writePbSnapshot } from "./pb.ts";
import { TBufferWriter } from "./tbuffer_writer.ts";
import { writeObject } from "./objects.ts";

const MES = generatePbMEs({ count: 600, seed: 5 });

function objString(text: string): RootObject {
  return { _typename: "TObjString", fUniqueID: 0, fBits: 0x02000000, fString: text };
}

Deno.test("pbSlot() is TBufferFile::WriteObject: byte count, new class tag, name, object", () => {
  const h = makeTH1("TH1F", { name: "h", x: { nbins: 4, min: 0, max: 1 } });
  const slot = pbSlot(h);
  const view = new DataView(slot.buffer, slot.byteOffset);
  assert.equal(view.getUint32(0), (slot.length - 4) | 0x40000000);
  assert.equal(view.getUint32(4), 0xffffffff);
  assert.equal(new TextDecoder().decode(slot.subarray(8, 13)), "TH1F\0");
  const w = new TBufferWriter(13);
  writeObject(w, h);
  assert.deepEqual(slot.subarray(13), w.finish());
});

Deno.test("writePbSnapshot() writes one Histo per ME and quality test, zlib-compressing Length() + 1 bytes", () => {
  const mes = MES.slice(0, 300);
  const histos = fromBinary(ROOTFilePBSchema, writePbSnapshot(mes)).histo;
  let i = 0;
  for (const me of mes) {
    const h = histos[i++]!;
    assert.equal(h.fullPathname, me.path);
    const name = me.path.slice(me.path.lastIndexOf("/") + 1);
    const v = me.value;
    const scalar = "kind" in v && !("_typename" in v);
    const obj = scalar ? objString(scalarKeyName(name, v)) : v as RootObject;
    const kind = PB_KIND_CODES.get(scalar ? v.kind : (v as RootObject)._typename)!;
    assert.equal(h.flags, kind | (me.efficiency ? DQM_PROP_EFFICIENCY_PLOT : 0));
    const inflated = new Uint8Array(inflateSync(h.streamedHisto));
    assert.equal(h.streamedHisto[0], 0x78);
    assert.equal(inflated.length, h.size + 1);
    assert.deepEqual(inflated.subarray(0, h.size), pbSlot(obj));
    for (const q of me.qtests ?? []) {
      const t = histos[i++]!;
      assert.equal(t.fullPathname, `${me.path}.${q.name}`);
      assert.equal(t.flags, 0x03);
      assert.deepEqual(
        new Uint8Array(inflateSync(t.streamedHisto)).subarray(0, t.size),
        pbSlot(objString(qtestKeyName(name, q))),
      );
    }
  }
  assert.equal(i, histos.length);
});

Deno.test("writePbSnapshot() gzip variant stores raw objects in a gzip-compressed file", () => {
  const mes = MES.slice(0, 200);
  const gz = writePbSnapshot(mes, "gzip");
  assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]);
  const plain = new Uint8Array(gunzipSync(gz));
  const raw = fromBinary(ROOTFilePBSchema, plain).histo;
  const zlib = fromBinary(ROOTFilePBSchema, writePbSnapshot(mes)).histo;
  assert.equal(raw.length, zlib.length);
  raw.forEach((h, k) => {
    assert.equal(h.streamedHisto.length, h.size);
    assert.deepEqual(
      h.streamedHisto,
      new Uint8Array(inflateSync(zlib[k]!.streamedHisto)).subarray(0, h.size),
    );
  });
});

Deno.test("writePbFile() is deterministic and concatenates one snapshot per client", () => {
  const a = writePbFile({ mes: MES, clients: 3 });
  assert.deepEqual(a, writePbFile({ mes: generatePbMEs({ count: 600, seed: 5 }), clients: 3 }));
  const parts = splitPbClients(MES, 3).map((m) => writePbSnapshot(m));
  assert.equal(a.length, parts.reduce((n, p) => n + p.length, 0));
  assert.notDeepEqual(
    writePbFile({ mes: generatePbMEs({ count: 600, seed: 5, contentSeed: 9 }) }),
    writePbFile({ mes: MES }),
  );
});

Deno.test("splitPbClients() deals subsystems out and gives every client every EventInfo ME, the last one unchanged", () => {
  const clients = splitPbClients(MES, 4);
  const shared = MES.filter((m) => m.path.split("/")[1] === "EventInfo");
  const own = MES.filter((m) => m.path.split("/")[1] !== "EventInfo");
  assert.equal(clients.flat().length, own.length + 4 * shared.length);
  for (const me of shared) assert.ok(clients[3]!.includes(me));
  const iRun = clients.map((c) => c.find((m) => m.path.endsWith("/EventInfo/iRun"))!.value);
  assert.deepEqual(new Set(iRun.map((v) => JSON.stringify(v))).size, 4);
  const owners = new Map<string, Set<number>>();
  clients.forEach((c, k) =>
    c.filter((m) => !shared.includes(m) && m.path.split("/")[1] !== "EventInfo").forEach((m) => {
      const sub = m.path.split("/")[0]!;
      owners.set(sub, (owners.get(sub) ?? new Set()).add(k));
    })
  );
  for (const set of owners.values()) assert.equal(set.size, 1);
  assert.throws(
    () => splitPbClients(MES, 0),
    errorMatching(RangeError, "expected an integer >= 1"),
  );
});

Deno.test("generatePbMEs() produces every protobuf kind", () => {
  const kinds = new Set(
    MES.map((m) =>
      "kind" in m.value && !("_typename" in m.value)
        ? m.value.kind
        : (m.value as RootObject)._typename
    ),
  );
  for (const k of PB_KIND_CODES.keys()) assert.ok(kinds.has(k), k);
});

Deno.test("writePbSnapshot() rejects a class without a protobuf kind", () => {
  const h = makeTH1("TH1C", { name: "c", x: { nbins: 2, min: 0, max: 1 } });
  assert.throws(
    () => writePbSnapshot([{ path: "A/c", value: h }]),
    errorMatching(TypeError, 'Cannot write ME "A/c": TH1C has no protobuf kind'),
  );
});
