/**
 * @module
 * `deno task register [options] FILES...`: register DQM files with a running
 * server (POST /api/v1/register), replacing the original's
 * dqmgui-registerdqmio.py. Run, dataset and file format are taken from the
 * options, or else from the file name (`DQM_V0001_R<run>__<a>__<b>__<c>.root`)
 * and the file's first bytes.
 */

import { parseArgs } from "node:util";

const HELP = `Register DQM files with a running DQM GUI server.

Usage: deno task register [options] FILES...

Options:
  --server URL        server base URL (default http://127.0.0.1:8889)
  --dataset D         dataset "/Primary/Processed/Tier" (default: from each file name)
  --run R             run number (default: from each file name, "R000123456")
  --lumi L            lumisection: 0 per run (default); for DQMIO files -1 registers every
                      (run, lumi) the file holds
  --fileformat N      1 legacy ROOT, 2 DQMIO, 3 protobuf (default: detected from the file)
  --token TOKEN       bearer token, if the server requires one (or DQMGUI_REGISTER_TOKEN)
  --dry-run           print the JSON that would be sent, send nothing
  -h, --help          show this help
`;

/** Samples per request (the original's helper sent chunks of 1000). */
const CHUNK = 1000;

/** A sample to register. */
export interface Registration {
  dataset: string;
  run: number;
  lumi: number;
  file: string;
  fileformat: number;
}

/**
 * Run and dataset from a DQM file name such as
 * `DQM_V0001_R000320822__ZeroBias__Run2018B-PromptReco-v1__DQMIO.root`.
 *
 * @param name file name (a path is fine)
 * @returns run and dataset, or null when the name does not follow the convention
 */
export function parseDqmFileName(name: string): { run: number; dataset: string } | null {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const m = /^DQM_V\d+_R(\d{9})__([^_].*?)__([^_].*?)__([^_].*?)\.(root|pb)$/.exec(base);
  if (!m) return null;
  return { run: Number(m[1]), dataset: `/${m[2]}/${m[3]}/${m[4]}` };
}

/**
 * The file format from a file's first bytes: ROOT files start with "root"
 * (DQMIO ones have an "Indices" tree, found by name in the first 64 KiB,
 * where ROOT puts the top directory's keys); anything else is taken for
 * protobuf when it ends in ".pb".
 *
 * @param path the file
 * @returns 1, 2 or 3, or null when unknown
 */
export async function detectFormat(path: string): Promise<number | null> {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(64 * 1024);
    const n = (await file.read(head)) ?? 0;
    const text = new TextDecoder("latin1").decode(head.subarray(0, n));
    if (text.startsWith("root")) {
      const info = await file.stat();
      const tailSize = Math.min(info.size, 256 * 1024);
      const tail = new Uint8Array(tailSize);
      await file.seek(info.size - tailSize, Deno.SeekMode.Start);
      let got = 0;
      while (got < tailSize) {
        const r = await file.read(tail.subarray(got));
        if (r === null || r === 0) break;
        got += r;
      }
      const keys = new TextDecoder("latin1").decode(tail);
      return /TTree.Indices/.test(keys) || /TTree.Indices/.test(text) ? 2 : 1;
    }
    return path.endsWith(".pb") ? 3 : null;
  } finally {
    file.close();
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        server: { type: "string", default: "http://127.0.0.1:8889" },
        dataset: { type: "string" },
        run: { type: "string" },
        lumi: { type: "string", default: "0" },
        fileformat: { type: "string" },
        token: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values: o, positionals: files } = parsed;
  if (o.help) {
    console.log(HELP);
    return 0;
  }
  if (files.length === 0) {
    console.error(`No files given.\n\n${HELP}`);
    return 2;
  }
  const integer = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v) || Number(v) < min) {
      throw new Error(`Invalid --${name}: expected an integer >= ${min}, got "${v}"`);
    }
    return Number(v);
  };
  const samples: Registration[] = [];
  try {
    const run = integer("run", o.run, 0);
    const lumi = integer("lumi", o.lumi, -1)!;
    const format = integer("fileformat", o.fileformat, 1);
    if (format !== undefined && ![1, 2, 3].includes(format)) {
      throw new Error(`Invalid --fileformat: expected 1, 2 or 3, got ${format}`);
    }
    if (o.dataset !== undefined && !/^\/[^/]+\/[^/]+\/[^/]+$/.test(o.dataset)) {
      throw new Error(`Invalid --dataset: expected "/Primary/Processed/Tier", got "${o.dataset}"`);
    }
    for (const name of files) {
      const path = name.startsWith("/") ? name : `${Deno.cwd()}/${name}`;
      try {
        if (!(await Deno.stat(path)).isFile) throw new Error("not a regular file");
      } catch (error) {
        throw new Error(`Cannot register "${name}": ${(error as Error).message}`);
      }
      const fromName = parseDqmFileName(path);
      const sampleRun = run ?? fromName?.run;
      const dataset = o.dataset ?? fromName?.dataset;
      if (sampleRun === undefined || dataset === undefined) {
        throw new Error(
          `Cannot register "${name}": give --run and --dataset (the file name does not say them)`,
        );
      }
      const fileformat = format ?? await detectFormat(path);
      if (fileformat === null) {
        throw new Error(`Cannot register "${name}": unknown file format; give --fileformat`);
      }
      if (lumi === -1 && fileformat !== 2) {
        throw new Error(`Cannot register "${name}": --lumi -1 is for DQMIO files only`);
      }
      samples.push({ dataset, run: sampleRun, lumi, file: path, fileformat });
    }
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (o["dry-run"]) {
    console.log(JSON.stringify(samples, null, 2));
    return 0;
  }
  const token = o.token ?? Deno.env.get("DQMGUI_REGISTER_TOKEN");
  let registered = 0;
  for (let i = 0; i < samples.length; i += CHUNK) {
    const chunk = samples.slice(i, i + CHUNK);
    let res: Response;
    try {
      res = await fetch(new URL("/api/v1/register", o.server), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(chunk),
      });
    } catch (error) {
      console.error(`Cannot reach the server at ${o.server}: ${(error as Error).message}`);
      return 1;
    }
    const text = await res.text();
    if (res.status !== 201) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // not JSON: show it as it is
      }
      console.error(
        `Cannot register samples ${i + 1}..${i + chunk.length}: HTTP ${res.status}: ${message}`,
      );
      return 1;
    }
    registered += JSON.parse(text).registered ?? chunk.length;
  }
  console.log(`Registered ${registered} sample(s) with ${o.server}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main());
