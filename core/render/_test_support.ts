/**
 * @module
 * Test support for `core/render`: where the daemon binary is, whether it is
 * built, PNG header checks, sample records from the shared test data, and
 * process checks through /proc.
 */

import { FileSource, RootFile } from "../root/mod.ts";
import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
import { recordFromKeyPayload } from "./records.ts";
import type { RenderOptions, RenderRecord } from "./types.ts";

/** The daemon built by `make -C render-native` (override: `$DQMGUI_RENDER_BIN`). */
export const DAEMON_BIN: string = Deno.env.get("DQMGUI_RENDER_BIN") ??
  new URL("../../render-native/build/dqm-render", import.meta.url).pathname;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Why daemon tests are skipped, or null when the binary exists. */
export const SKIP_REASON: string | null = isFile(DAEMON_BIN)
  ? null
  : `render daemon not built: "${DAEMON_BIN}" is missing (run "make -C render-native")`;

if (SKIP_REASON) console.warn(`core/render: skipping daemon tests: ${SKIP_REASON}`);

/** Default options at a size. */
export function options(
  width = 266,
  height = 200,
  extra: Partial<RenderOptions> = {},
): RenderOptions {
  return { width, height, stats: true, norm: true, errors: false, ...extra };
}

/**
 * Width and height from a PNG's IHDR chunk.
 *
 * @param png PNG bytes
 * @returns the size, or null when the bytes do not start with a PNG signature and IHDR
 */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || !sig.every((b, i) => png[i] === b)) return null;
  if (new TextDecoder().decode(png.subarray(12, 16)) !== "IHDR") return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Whether a process exists and is not a zombie (from /proc/<pid>/stat). */
export function processRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Pids of this process's children whose command line contains `needle`. */
export function childPids(needle: string): number[] {
  const out: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      if (ppid === Deno.pid && cmd.includes(needle)) out.push(Number(entry.name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** One record of each class, by class name, from real files (ROOT 6 and ROOT 5). */
export async function sampleRecords(): Promise<Map<string, RenderRecord>> {
  const out = new Map<string, RenderRecord>();
  const files = [
    ["DQM_V0001_GEM_R000344518.root", ""],
    [
      "reference_DQM_V0001_R000067141__GlobalCruzet4-A__CMSSW_2_1_X-Testing__RECO.root",
      " (ROOT 5)",
    ],
  ];
  for (const [name, suffix] of files) {
    const file = await RootFile.open(await FileSource.open(`${TESTDATA_DIR}dqm-legacy/${name}`));
    const streamers = await file.streamers();
    for await (const { key } of file.walk()) {
      const label = key.fClassName + suffix;
      if (!/^(TH[12][FS]|TProfile|TProfile2D|TObjString)$/.test(key.fClassName) || out.has(label)) {
        continue;
      }
      const payload = await file.readPayload(key);
      out.set(label, recordFromKeyPayload(key.fClassName, payload, key.fKeyLen, streamers));
    }
    file.close();
  }
  return out;
}

/** A fresh temporary run directory. */
export function tempRunDir(): string {
  return Deno.makeTempDirSync({ prefix: "dqm-render-test-" });
}

/** Sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `condition` every 5 ms until it holds; returns the time it took, or -1 after `limitMs`. */
export async function waitFor(condition: () => boolean, limitMs: number): Promise<number> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > limitMs) return -1;
    await sleep(5);
  }
  return performance.now() - t0;
}
