/**
 * @module
 * `deno task gen KIND --out FILE [options]`: write a generated DQM file for
 * tests, benchmarks and demos, from the writers in `core/writer/`. Kinds are
 * a table (`KINDS`), so a new output format (protobuf, later) is one more
 * entry: its help line, the options it accepts and its writer.
 *
 * - `legacy`: a legacy DQM ROOT file (TDirectory layout, spec §3.1);
 * - `dqmio`: a DQMIO ROOT file (TTrees, spec §3.2), lumisection by
 *   lumisection, written chunk by chunk so multi-gigabyte files need no
 *   second copy in memory;
 * - `pb`: an online protobuf snapshot (spec §4), the concatenation of
 *   `--clients` client processes' snapshots, with zlib payloads or gzip-compressed.
 */

import { parseArgs } from "node:util";
import {
  type CompressionAlgorithm,
  DQMIO_TYPES,
  type DqmioType,
  generateMEs,
  generatePbMEs,
  writeDqmioChunks,
  writeLegacyDqmFile,
  writePbFile,
  type XzEncoder,
} from "../core/writer/mod.ts";

const HELP = `Write a generated DQM file.

Usage: deno task gen KIND --out FILE [options]

Kinds:
  legacy              legacy DQM ROOT file (DQMData/Run R/<subsystem>/Run summary/...)
  dqmio               DQMIO ROOT file (Indices + 14 type trees + MetaData)
  pb                  online protobuf snapshot (ROOTFilePB), several clients concatenated

Options:
  --out FILE          output file (required)
  --run R             run number (default 1)
  --mes N             MEs: in the file (legacy, pb) or per lumisection (dqmio) (default 1000)
  --seed S            generator seed: ME names, classes, binning (default 1)
  --content-seed S    seed of the contents (default: --seed)
  --compression C     zlib (default), lzma, lz4, zstd or none; legacy: zlib or none;
                      pb: see --variant
  --level L           compression level 0-9 (default: zlib 1, lzma 4, lz4 4, zstd 5;
                      pb: 9 per payload, 1 for a gzip file)
dqmio only:
  --lumis M           lumisections (default 10)
  --per-run N         run-level MEs written under Lumi 0 (default: --mes)
  --basket-size B     basket size in bytes of every branch (default: CMSSW's 32000,
                      131072 for histograms); small values give many baskets per branch
  --types T,T,...     only these ME types (default all 14): ${DQMIO_TYPES.join(",")}
  --xz-cli            compress LZMA blocks with the xz command instead of the built-in
                      encoder (needs --allow-run=xz; slower, ~10% smaller)
pb only:
  --clients K         client processes whose snapshots are concatenated (default 1);
                      each writes every EventInfo ME, the last one wins
  --variant V         zlib (default: each payload zlib-compressed, as tagged online
                      clients write) or gzip (raw payloads, whole file gzip-compressed)
  -h, --help          show this help

Exit status: 0 on success, 1 when writing fails, 2 for bad options.
`;

type Options = Record<string, string | boolean | undefined>;

/** A usage error: reported with the help text and exit status 2. */
class UsageError extends Error {
  override name = "UsageError";
}

/** One kind of output: its options and its writer. */
interface Kind {
  /** Options this kind accepts besides the common ones. */
  options: string[];
  /** Writes the file; returns a one-line description of what was written. */
  write(o: Options, common: Common): Promise<string>;
}

/** Options every kind takes. */
interface Common {
  out: string;
  run: number;
  mes: number;
  seed: number;
  contentSeed: number;
  compression: CompressionAlgorithm;
  level?: number;
}

const COMMON_OPTIONS = [
  "out",
  "run",
  "mes",
  "seed",
  "content-seed",
  "compression",
  "level",
  "help",
];
const COMPRESSIONS = ["zlib", "lzma", "lz4", "zstd", "none"];

function integer(o: Options, name: string, min: number, max: number, fallback?: number): number {
  const v = o[name];
  if (v === undefined) {
    if (fallback === undefined) throw new UsageError(`Missing --${name}`);
    return fallback;
  }
  if (typeof v !== "string" || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`Invalid --${name}: expected an integer ${min}-${max}, got "${v}"`);
  }
  return Number(v);
}

/** Writes chunks to `path` one after the other. */
async function writeChunks(path: string, chunks: Uint8Array[]): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (const c of chunks) {
      for (let done = 0; done < c.length;) done += await file.write(c.subarray(done));
    }
  } finally {
    file.close();
  }
}

/** An XzEncoder that runs `xz` on a temporary file (the writer's hook is synchronous). */
function xzCommand(): XzEncoder {
  const tmp = Deno.makeTempFileSync({ prefix: "gen-xz-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(tmp));
  return (input, level) => {
    Deno.writeFileSync(tmp, input);
    const out = new Deno.Command("xz", {
      args: ["--format=xz", "--check=crc32", `-${level}`, "--stdout", tmp],
    }).outputSync();
    if (!out.success) {
      throw new Error(`Cannot compress with xz: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return out.stdout;
  };
}

const KINDS: Record<string, Kind> = {
  legacy: {
    options: [],
    async write(_o, c) {
      if (c.compression !== "zlib" && c.compression !== "none") {
        throw new UsageError(
          `Invalid --compression for legacy files: use zlib or none, got "${c.compression}"`,
        );
      }
      const mes = generateMEs({
        count: c.mes,
        seed: c.seed,
        contentSeed: c.contentSeed,
        run: c.run,
      });
      const bytes = writeLegacyDqmFile({
        run: c.run,
        mes,
        compression: c.compression,
        level: c.level,
      });
      await writeChunks(c.out, [bytes]);
      return `${mes.length} MEs`;
    },
  },
  dqmio: {
    options: ["lumis", "per-run", "basket-size", "types", "xz-cli"],
    async write(o, c) {
      const types = typeof o.types === "string"
        ? o.types.split(",").map((t) => t.trim())
        : undefined;
      for (const t of types ?? []) {
        if (!DQMIO_TYPES.includes(t as DqmioType)) {
          throw new UsageError(`Invalid --types: "${t}" is not one of ${DQMIO_TYPES.join(", ")}`);
        }
      }
      if (o["xz-cli"] && c.compression !== "lzma") {
        throw new UsageError("Invalid --xz-cli: it applies to --compression lzma only");
      }
      const lumis = integer(o, "lumis", 0, 1_000_000, 10);
      const perRun = integer(o, "per-run", 0, 10_000_000, c.mes);
      const { chunks, size, manifest } = writeDqmioChunks({
        run: c.run,
        lumis,
        mesPerLumi: c.mes,
        perRunMEs: perRun,
        types: types as DqmioType[] | undefined,
        compression: c.compression,
        level: c.level,
        basketSize: o["basket-size"] === undefined
          ? undefined
          : integer(o, "basket-size", 100, 1 << 30),
        seed: c.seed,
        contentSeed: c.contentSeed,
        fileName: c.out.slice(c.out.lastIndexOf("/") + 1),
        xzEncoder: o["xz-cli"] ? xzCommand() : undefined,
        manifest: "none",
      });
      await writeChunks(c.out, chunks);
      const entries = manifest.trees.slice(1, 15).reduce((s, t) => s + t.entries, 0);
      const baskets = manifest.trees.reduce(
        (s, t) => s + t.branches.reduce((n, b) => n + b.baskets, 0),
        0,
      );
      return `${lumis} lumisections x ${c.mes} MEs + ${perRun} run MEs: ${entries} entries, ` +
        `${manifest.indices.length} Indices entries, ${baskets} baskets, ${size} bytes`;
    },
  },
  pb: {
    options: ["clients", "variant"],
    async write(o, c) {
      if (o.compression !== undefined) {
        throw new UsageError("Invalid --compression for pb files: use --variant zlib or gzip");
      }
      const variant = o.variant ?? "zlib";
      if (variant !== "zlib" && variant !== "gzip") {
        throw new UsageError(`Invalid --variant: expected zlib or gzip, got "${variant}"`);
      }
      const clients = integer(o, "clients", 1, 10_000, 1);
      const mes = generatePbMEs({
        count: c.mes,
        seed: c.seed,
        contentSeed: c.contentSeed,
        run: c.run,
      });
      const bytes = writePbFile({ mes, clients, variant, level: c.level });
      await writeChunks(c.out, [bytes]);
      return `${mes.length} MEs from ${clients} client(s), ${variant} variant, ${bytes.length} bytes`;
    },
  },
};

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        out: { type: "string" },
        run: { type: "string" },
        mes: { type: "string" },
        seed: { type: "string" },
        "content-seed": { type: "string" },
        compression: { type: "string" },
        level: { type: "string" },
        lumis: { type: "string" },
        "per-run": { type: "string" },
        "basket-size": { type: "string" },
        types: { type: "string" },
        "xz-cli": { type: "boolean" },
        clients: { type: "string" },
        variant: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    console.log(HELP);
    return 0;
  }
  const started = performance.now();
  try {
    if (positionals.length !== 1) {
      throw new UsageError(
        `Expected one KIND (${Object.keys(KINDS).join(", ")}), got ${positionals.length}`,
      );
    }
    const name = positionals[0]!;
    const kind = KINDS[name];
    if (!kind) {
      throw new UsageError(`Unknown KIND "${name}": expected ${Object.keys(KINDS).join(", ")}`);
    }
    for (const [k, v] of Object.entries(o)) {
      if (v !== undefined && !COMMON_OPTIONS.includes(k) && !kind.options.includes(k)) {
        throw new UsageError(`Option --${k} does not apply to ${name} files`);
      }
    }
    if (typeof o.out !== "string" || o.out === "") throw new UsageError("Missing --out FILE");
    const compression = o.compression ?? "zlib";
    if (!COMPRESSIONS.includes(compression)) {
      throw new UsageError(
        `Invalid --compression: expected ${COMPRESSIONS.join(", ")}, got "${compression}"`,
      );
    }
    const seed = integer(o, "seed", 0, 0xffffffff, 1);
    const common: Common = {
      out: o.out,
      run: integer(o, "run", 0, 0xffffffff, 1),
      mes: integer(o, "mes", 0, 10_000_000, 1000),
      seed,
      contentSeed: integer(o, "content-seed", 0, 0xffffffff, seed),
      compression: compression as CompressionAlgorithm,
      level: o.level === undefined ? undefined : integer(o, "level", 0, 9),
    };
    const what = await kind.write(o, common);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Wrote ${name} file "${common.out}" in ${seconds} s: ${what}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\nRun with --help for usage.`);
      return 2;
    }
    console.error(`Cannot write the file: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main());
