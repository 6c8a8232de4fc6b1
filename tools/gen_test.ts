import { ok, strictEqual } from "node:assert/strict";
import { openFile } from "jsroot/io";
import { fromBinary } from "@bufbuild/protobuf";
import { ROOTFilePBSchema } from "../core/pb/mod.ts";

const GEN = new URL("./gen.ts", import.meta.url).pathname;

async function gen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-run=xz", GEN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("gen --help prints the usage and exits 0", async () => {
  const r = await gen("--help");
  strictEqual(r.code, 0);
  ok(r.stdout.includes("Usage: deno task gen KIND --out FILE"));
});

Deno.test("gen exits 2 with a message for bad options", async () => {
  const cases: [string[], string][] = [
    [["dqmio"], "Missing --out FILE"],
    [
      ["dqmio", "--out", "x.root", "--mes", "ten"],
      'Invalid --mes: expected an integer 0-10000000, got "ten"',
    ],
    [["dqmio", "--out", "x.root", "--compression", "brotli"], "Invalid --compression"],
    [
      ["legacy", "--out", "x.root", "--lumis", "3"],
      "Option --lumis does not apply to legacy files",
    ],
    [["legacy", "--out", "x.root", "--compression", "lz4"], "legacy files: use zlib or none"],
    [["root", "--out", "x.pb"], 'Unknown KIND "root"'],
    [
      ["pb", "--out", "x.pb", "--variant", "lz4"],
      'Invalid --variant: expected zlib or gzip, got "lz4"',
    ],
    [["pb", "--out", "x.pb", "--compression", "zlib"], "Invalid --compression for pb files"],
    [["legacy", "--out", "x.root", "--clients", "2"], "Option --clients does not apply to legacy"],
    [["dqmio", "--out", "x.root", "--types", "TH1F,TH4F"], '"TH4F" is not one of'],
    [["dqmio", "--out", "x.root", "--unknown"], "Unknown option '--unknown'"],
  ];
  for (const [args, message] of cases) {
    const r = await gen(...args);
    strictEqual(r.code, 2, args.join(" "));
    ok(r.stderr.includes(message), `${args.join(" ")}: ${r.stderr}`);
  }
});

Deno.test("gen dqmio and gen legacy write files JSROOT opens", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dqmio = `${dir}/run.root`;
    const r = await gen(
      "dqmio",
      "--out",
      dqmio,
      "--lumis",
      "3",
      "--mes",
      "50",
      "--basket-size",
      "1000",
      "--compression",
      "lz4",
    );
    strictEqual(r.code, 0, r.stderr);
    ok(r.stdout.includes("3 lumisections x 50 MEs"));
    const f = await openFile((await Deno.readFile(dqmio)).buffer);
    strictEqual(f.fCompress, 404);
    strictEqual((await f.readObject("Indices")).fEntries > 3, true);
    const legacy = `${dir}/legacy.root`;
    strictEqual((await gen("legacy", "--out", legacy, "--mes", "20", "--run", "7")).code, 0);
    const g = await openFile((await Deno.readFile(legacy)).buffer);
    strictEqual(g.fKeys[0].fName, "DQMData");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gen pb writes a snapshot of concatenated clients that @bufbuild/protobuf decodes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/live.pb`;
    const args = ["pb", "--out", out, "--mes", "40", "--clients", "3", "--seed", "4"];
    const r = await gen(...args);
    strictEqual(r.code, 0, r.stderr);
    ok(r.stdout.includes("40 MEs from 3 client(s), zlib variant"), r.stdout);
    const bytes = await Deno.readFile(out);
    const names = fromBinary(ROOTFilePBSchema, bytes).histo.map((h) => h.fullPathname);
    ok(names.length > new Set(names).size, "EventInfo MEs repeat across clients");
    strictEqual((await gen(...args)).code, 0);
    ok((await Deno.readFile(out)).every((b, i) => b === bytes[i]), "same seed, same bytes");
    strictEqual((await gen(...args, "--variant", "gzip")).code, 0);
    const gz = await Deno.readFile(out);
    strictEqual(gz[0], 0x1f);
    strictEqual(gz[1], 0x8b);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
