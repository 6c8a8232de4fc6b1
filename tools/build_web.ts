/**
 * @module
 * `deno task build:web`: bundle the browser app (static/src/) into
 * static/dist/ with `deno bundle` (esbuild inside Deno: TypeScript and JSX,
 * minified, code-split so JSROOT is a chunk loaded only by the interactive
 * mode), then copy the HTML, CSS and icons beside it.
 *
 * Skips the work when every output is newer than every source (as make
 * does), so `deno task serve` and `deno task test` can call it each time.
 * `--force` rebuilds anyway. Exits non-zero, with deno bundle's messages,
 * when the bundle fails.
 */

import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

const ROOT = new URL("..", import.meta.url).pathname;
const SRC = `${ROOT}static/src`;
const DIST = `${ROOT}static/dist`;
/** Copied as they are. */
const ASSETS = ["index.html", "style.css", "favicon.svg"];

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) newest = Math.max(newest, await newestMtime(path));
    else newest = Math.max(newest, (await Deno.stat(path)).mtime?.getTime() ?? 0);
  }
  return newest;
}

async function mtimeOr(path: string, fallback: number): Promise<number> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * Write `.br` and `.gz` beside every text file, so the server sends
 * compressed bytes without compressing per request.
 */
async function precompress(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await precompress(path);
    else if (/\.(js|css|html|svg)$/.test(entry.name)) {
      const bytes = await Deno.readFile(path);
      await Deno.writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      await Deno.writeFile(
        `${path}.br`,
        brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
}

/**
 * Build the app unless it is up to date.
 *
 * @param force rebuild even when the outputs are newer than the sources
 * @returns true when it built, false when it was up to date
 */
export async function buildWeb(force = false): Promise<boolean> {
  const sources = Math.max(
    await newestMtime(SRC),
    await mtimeOr(`${ROOT}deno.json`, 0),
    await mtimeOr(`${ROOT}tools/build_web.ts`, 0),
  );
  const built = await mtimeOr(`${DIST}/.built`, 0);
  if (!force && built > sources) return false;
  await Deno.remove(DIST, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${DIST}/js`, { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--code-splitting",
      // JSROOT's Node-only paths import these; the browser never runs them.
      ...["@resvg/resvg-js", "jsdom", "canvas", "gl", "mathjax"].flatMap((m) => ["--external", m]),
      "--outdir",
      `${DIST}/js`,
      `${SRC}/main.tsx`,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`Cannot bundle static/src/main.tsx:\n${text}`);
  }
  for (const name of ASSETS) await Deno.copyFile(`${SRC}/${name}`, `${DIST}/${name}`);
  await precompress(DIST);
  await Deno.writeTextFile(`${DIST}/.built`, new Date().toISOString() + "\n");
  return true;
}

if (import.meta.main) {
  try {
    const built = await buildWeb(Deno.args.includes("--force"));
    if (built) console.error("static/dist: built");
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
