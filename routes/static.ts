/**
 * @module
 * The browser app: `GET /` answers static/dist/index.html, `GET /static/*`
 * the bundle, stylesheet and icons beside it. Every URL the app uses is
 * relative to the page, so the same files work under any `--base-path`.
 *
 * Caching: code-split chunks carry a content hash in their name
 * (`chunk-XXXXXXXX.js`) and are immutable for a year; everything else is
 * revalidated with an ETag on each load. Text files go out as the Brotli or
 * gzip copies the build wrote, when the client accepts them.
 */

import { Hono } from "hono";
import type { Context } from "hono";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  map: "application/json",
  json: "application/json",
};
/** Names esbuild gives hashed chunks. */
const HASHED = /-[A-Z0-9]{8}\.js(\.map)?$/;

/**
 * Routes serving the built app.
 *
 * @param dir the build output (static/dist)
 * @returns a Hono sub-app mounted at the root
 */
export function staticRoutes(dir: string): Hono {
  const app = new Hono();
  const serve = async (c: Context, name: string) => {
    if (name.split("/").some((part) => part === ".." || part === "" || part.startsWith("."))) {
      return c.json({ message: `No such file: "${name}"` }, 404);
    }
    const ext = name.slice(name.lastIndexOf(".") + 1);
    const type = TYPES[ext];
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(`${dir}/${name}`);
    } catch {
      stat = { isFile: false } as Deno.FileInfo;
    }
    if (!type || !stat.isFile) {
      const hint = name === "index.html"
        ? " (the app is not built: run `deno task build:web`)"
        : "";
      return c.json({ message: `No such file: "${name}"${hint}` }, 404);
    }
    const etag = `W/"${stat.size.toString(36)}-${(stat.mtime?.getTime() ?? 0).toString(36)}"`;
    const headers: Record<string, string> = {
      "content-type": type,
      etag,
      "cache-control": HASHED.test(name) ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    };
    if (ext === "html") {
      headers["content-security-policy"] =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
        "connect-src 'self'; script-src 'self'";
    }
    headers.vary = "accept-encoding";
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    // The build writes .br and .gz copies of text files (tools/build_web.ts).
    const accepted = c.req.header("accept-encoding") ?? "";
    for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]] as const) {
      if (!new RegExp(`\\b${encoding}\\b`).test(accepted)) continue;
      try {
        const bytes = await Deno.readFile(`${dir}/${name}${suffix}`);
        return c.body(bytes, 200, { ...headers, "content-encoding": encoding });
      } catch {
        // no compressed copy: send the file as it is
      }
    }
    return c.body(await Deno.readFile(`${dir}/${name}`), 200, headers);
  };
  app.get("/", (c) => serve(c, "index.html"));
  app.get("/index.html", (c) => serve(c, "index.html"));
  app.get("/static/:name{.+}", (c) => serve(c, c.req.param("name")));
  return app;
}

/**
 * Serve `fetch` under a URL prefix, as deployments behind a proxy need
 * (`--base-path /dqm/offline`): requests below the prefix reach `fetch`
 * with the prefix removed, the bare prefix is redirected to its slash form,
 * anything else is a 404 naming the prefix.
 *
 * @param basePath "" (no prefix) or "/a/b" (leading slash, no trailing one)
 * @param fetch the app
 * @returns the prefixed handler
 *
 * @example
 * ```ts
 * import { withBasePath } from "./static.ts";
 * const handler = withBasePath("/dqm/offline", (req) => new Response(new URL(req.url).pathname));
 * const res = await handler(new Request("http://x/dqm/offline/api/v1/host"), undefined);
 * if (await res.text() !== "/api/v1/host") throw new Error("prefix not removed");
 * ```
 */
export function withBasePath<E>(
  basePath: string,
  fetch: (req: Request, env: E) => Response | Promise<Response>,
): (req: Request, env: E) => Response | Promise<Response> {
  if (basePath === "") return fetch;
  return (req, env) => {
    const url = new URL(req.url);
    if (url.pathname === basePath) {
      return new Response(null, {
        status: 301,
        headers: { location: `${basePath}/${url.search}` },
      });
    }
    if (!url.pathname.startsWith(basePath + "/")) {
      return Response.json(
        { message: `Not found: this server answers under ${basePath}/` },
        { status: 404 },
      );
    }
    url.pathname = url.pathname.slice(basePath.length);
    return fetch(new Request(url, req), env);
  };
}

/**
 * Check a `--base-path` value.
 *
 * @param raw the option ("" or undefined: none)
 * @returns the normalised prefix: "" or "/a/b"
 * @throws {TypeError} naming the value when it is not a plain path
 */
export function normaliseBasePath(raw: string | undefined): string {
  const trimmed = (raw ?? "").replace(/\/+$/, "");
  if (trimmed === "") return "";
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed) || /\/\.\.?(\/|$)/.test(trimmed)) {
    throw new TypeError(
      `Invalid --base-path "${raw}": expected a path such as /dqm/offline (letters, digits, . _ ~ -)`,
    );
  }
  return trimmed;
}
