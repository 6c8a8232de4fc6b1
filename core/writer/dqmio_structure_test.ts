import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { DQMIO_TREES, writeDqmioFile } from "./dqmio.ts";
import {
  type JsrootAny,
  jsrootOpen,
  type RawKey,
  readRawKey,
  recordPayload,
  scanRecords,
} from "./_test_helpers.ts";

/** Entry size of each leaf class (fixed-size baskets hold no offset table). */
const LEAF_SIZE: Record<string, number> = { TLeafI: 4, TLeafL: 8, TLeafD: 8 };
const BASKET_KEY_VERSION = 1004;
const TREES = ["Indices", ...DQMIO_TREES, "MetaData/ProcessHistories", "MetaData/ParameterSets"];

function header(b: Uint8Array) {
  const v = new DataView(b.buffer, b.byteOffset);
  return { end: v.getInt32(12), seekInfo: v.getInt32(37), compress: v.getInt32(33) };
}

/** Checks one branch's basket arrays against the TBasket records they point at. */
function checkBranch(bytes: Uint8Array, tree: JsrootAny, br: JsrootAny, dirSeek: number): void {
  const where = `${tree.fName}/${br.fName}`;
  const wb = br.fWriteBasket;
  strictEqual(br.fMaxBaskets, Math.max(wb + 1, 10), `${where} fMaxBaskets`);
  strictEqual(br.fEntries, tree.fEntries, `${where} fEntries`);
  strictEqual(br.fBasketEntry[wb], br.fEntries, `${where} sentinel entry`);
  strictEqual(br.fBasketSeek[wb], 0, `${where} sentinel seek`);
  strictEqual(br.fBasketBytes[wb], 0, `${where} sentinel bytes`);
  for (let i = wb + 1; i < br.fMaxBaskets; i++) {
    deepStrictEqual([br.fBasketBytes[i], br.fBasketEntry[i], br.fBasketSeek[i]], [0, 0, 0], where);
  }
  strictEqual(br.fBaskets.arr.length, wb + 1, `${where} fBaskets holds fWriteBasket+1 nulls`);
  const leaf = br.fLeaves.arr[0];
  const fixed = LEAF_SIZE[leaf._typename];
  let totBytes = 0, zipBytes = 0;
  for (let i = 0; i < wb; i++) {
    const k: RawKey = readRawKey(bytes, br.fBasketSeek[i]);
    const basket = k.basket!;
    const nev = br.fBasketEntry[i + 1] - br.fBasketEntry[i];
    deepStrictEqual(
      [k.className, k.name, k.title, k.cycle, k.version, k.seekKey, k.seekPdir, k.nbytes],
      [
        "TBasket",
        br.fName,
        tree.fName.split("/").at(-1),
        i,
        BASKET_KEY_VERSION,
        k.at,
        dirSeek,
        br.fBasketBytes[i],
      ],
      `${where} basket ${i} key`,
    );
    strictEqual(basket.version, 3);
    strictEqual(basket.nevBuf, nev, `${where} basket ${i} fNevBuf`);
    strictEqual(basket.flag, 0);
    ok(basket.bufferSize >= Math.max(br.fBasketSize, basket.last) - 0, `${where} fBufferSize`);
    const payload = recordPayload(bytes, k);
    const dataLen = basket.last - k.keyLen;
    if (fixed) {
      strictEqual(basket.nevBufSize, fixed, `${where} fNevBufSize is the entry size`);
      strictEqual(k.objLen, nev * fixed, `${where} basket ${i} fObjLen`);
      strictEqual(dataLen, k.objLen);
    } else {
      strictEqual(k.objLen, dataLen + 4 * (nev + 2), `${where} basket ${i} offset table size`);
      const v = new DataView(payload.buffer, payload.byteOffset + dataLen);
      strictEqual(v.getInt32(0), nev + 1, `${where} offset count`);
      const offsets = Array.from({ length: nev }, (_, e) => v.getInt32(4 + 4 * e));
      strictEqual(offsets[0], k.keyLen, `${where} first entry starts after the key`);
      for (let e = 1; e < nev; e++) ok(offsets[e]! > offsets[e - 1]!, `${where} offsets increase`);
      ok(offsets[nev - 1]! < basket.last, `${where} last entry before fLast`);
      strictEqual(v.getInt32(4 + 4 * nev), 0, `${where} trailing 0`);
      ok(basket.nevBufSize >= nev + 1, `${where} fNevBufSize holds the offsets`);
    }
    totBytes += k.objLen + k.keyLen;
    zipBytes += k.nbytes;
  }
  deepStrictEqual([br.fTotBytes, br.fZipBytes], [totBytes, zipBytes], `${where} sizes`);
}

for (const compression of ["zlib", "lzma", "lz4", "zstd", "none"] as const) {
  Deno.test(`writeDqmioFile() ${compression} baskets agree with their branches' arrays and the file tiles`, async () => {
    const { bytes, manifest } = writeDqmioFile({
      run: 7,
      lumis: 4,
      mesPerLumi: 200,
      perRunMEs: 60,
      basketSize: 1500,
      compression,
      seed: 3,
    });
    const h = header(bytes);
    strictEqual(h.end, bytes.length, "fEND is the file size");
    strictEqual(h.compress, manifest.compression);
    const records = scanRecords(bytes);
    for (const k of records) {
      strictEqual(k.seekKey, k.at, `${k.className} "${k.name}" points at itself`);
    }
    ok(records.some((k) => k.at === h.seekInfo && k.name === "StreamerInfo"));
    const file = await jsrootOpen(bytes);
    const metaSeek = file.fKeys.find((k: JsrootAny) => k.fName === "MetaData").fSeekKey;
    const basketsInFile = records.filter((k) => k.className === "TBasket").length;
    let basketsListed = 0;
    for (const name of TREES) {
      const tree = await file.readObject(name);
      const summary = manifest.trees.find((t) => name.endsWith(t.name))!;
      strictEqual(tree.fEntries, summary.entries, name);
      let totBytes = 0, zipBytes = 0;
      for (const [i, br] of tree.fBranches.arr.entries()) {
        checkBranch(bytes, tree, br, name.startsWith("MetaData") ? metaSeek : 100);
        deepStrictEqual(
          Array.from(br.fBasketEntry).slice(0, br.fWriteBasket + 1),
          summary.branches[i]!.basketEntry,
        );
        basketsListed += br.fWriteBasket;
        totBytes += br.fTotBytes;
        zipBytes += br.fZipBytes;
      }
      deepStrictEqual([tree.fTotBytes, tree.fZipBytes], [totBytes, zipBytes], `${name} sizes`);
      strictEqual(tree.fLeaves.arr.length, tree.fBranches.arr.length, `${name} fLeaves`);
      tree.fLeaves.arr.forEach((leaf: JsrootAny, i: number) => {
        strictEqual(
          leaf,
          tree.fBranches.arr[i].fLeaves.arr[0],
          `${name} fLeaves refers to branch leaves`,
        );
      });
    }
    strictEqual(basketsListed, basketsInFile, "every basket on disk belongs to a branch");
    const multi = manifest.trees.flatMap((t) => t.branches).filter((b) => b.baskets >= 10);
    ok(multi.length > 0, "some branch has 10 or more baskets");
  });
}

Deno.test("writeDqmioFile() object branches clear kDoNotUseBufferMap once labelled axes use the class map", async () => {
  const { bytes } = writeDqmioFile({ run: 7, lumis: 1, mesPerLumi: 100, perRunMEs: 0, seed: 3 });
  const file = await jsrootOpen(bytes);
  const bits = async (tree: string) => (await file.readObject(tree)).fBranches.arr[2].fBits >>> 0;
  strictEqual(await bits("TH2Fs"), 0x03008000, "reportSummaryMap has labels: map used");
  strictEqual(await bits("TProfiles"), 0x03408000, "no labels: kDoNotUseBufferMap stays");
  const ints = await file.readObject("Ints");
  deepStrictEqual(ints.fBranches.arr.map((b: JsrootAny) => b.fBits >>> 0), [
    0x03500000,
    0x03400000,
    0x03400000,
  ]);
});
