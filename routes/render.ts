/**
 * @module
 * PNG rendering: `/api/v1/render/{run[:lumi]}/{dataset}/{ME}`,
 * `/api/v1/render_overlay?obj=...` and the legacy `/plotfairy/archive/...` and
 * `/plotfairy/overlay` (spec/api.md §2.4.4–2.4.5), through the render daemon
 * pool. Beyond the original: a missing ME is an image saying so with HTTP 404;
 * a missing overlay is dropped together with its label (the original shifted
 * labels onto the wrong plots); `ref` modes reach the daemon; scalars and
 * histograms cannot be mixed (400); unchanged plots answer 304 to
 * If-None-Match, and recently drawn ones come from memory.
 */

import { Hono } from "hono";
import type { Context } from "hono";
import { ByteLRU } from "../core/cache/mod.ts";
import {
  DAEMON_CLASS_VERSIONS,
  recordFromKeyPayload,
  type RenderOptions,
  type RenderRequest,
  type RenderResult,
  specString,
} from "../core/render/mod.ts";
import type { LocatedME, MEObjects } from "../core/service/me_objects.ts";
import {
  badRequest,
  etagOf,
  notModified,
  notOlderThan,
  parseObjParam,
  parseQuery,
  parseSampleRef,
  type SampleRef,
} from "./_params.ts";
import { renderOptions } from "./_render_options.ts";
import { MAX_OVERLAY_OBJECTS } from "./json.ts";

/** Draws a request (the daemon pool). */
export interface Renderer {
  render(request: RenderRequest): Promise<RenderResult>;
}

/** What the render routes need. */
export interface RenderDeps {
  mes: MEObjects;
  renderer: Renderer;
  /** Changes whenever drawing may change (daemon build, plugin rules); part of every ETag. */
  epoch: string;
  /** Memory for recently drawn PNGs (default 64 MiB). */
  pngCacheBytes?: number;
}

const PNG_HEADERS = { "content-type": "image/png", "cache-control": "no-cache" };

/**
 * Routes for PNG rendering.
 *
 * @param deps ME access, renderer, epoch
 * @returns a Hono sub-app mounted at the root
 */
export function renderRoutes(deps: RenderDeps): Hono {
  const app = new Hono();
  const pngs = new ByteLRU<Uint8Array>({ maxBytes: deps.pngCacheBytes ?? 64 * 1024 * 1024 });

  const draw = async (c: Context, refs: SampleRef[], options: RenderOptions, nOT?: number) => {
    // Missing overlays are dropped together with their labels; a missing main object is a 404 image.
    const found = await Promise.allSettled(refs.map((r) => deps.mes.locate(r, r.path, nOT)));
    const main = found[0]!;
    if (main.status === "rejected") {
      if (main.reason?.name !== "ObjectNotFoundError") throw main.reason;
      return await message(c, deps, "ME not found", options, 404, main.reason.message);
    }
    const located: LocatedME[] = [main.value];
    const labels: string[] = [];
    for (let i = 1; i < found.length; i++) {
      const f = found[i]!;
      if (f.status === "fulfilled") {
        located.push(f.value);
        labels.push(options.reflabels?.[i - 1] ?? "");
      } else if (f.reason?.name !== "ObjectNotFoundError") throw f.reason;
    }
    const final = { ...options, reflabels: labels.some((l) => l) ? labels : undefined };
    const etag = await etagOf([
      "png",
      deps.epoch,
      specString(final),
      ...located.flatMap((m) => [m.sample.file, m.sample.registered, m.list.seek(m.index), m.path]),
    ]);
    const headers = { ...PNG_HEADERS, etag };
    if (notModified(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
    const cached = pngs.get(etag);
    if (cached) return c.body(cached as Uint8Array<ArrayBuffer>, 200, headers);
    const request = await buildRequest(deps.mes, located, final);
    if (typeof request === "string") return await message(c, deps, request, options, 422, request);
    const result = await deps.renderer.render(request);
    if (result.code === 0) {
      pngs.set(etag, result.png);
      return c.body(result.png as Uint8Array<ArrayBuffer>, 200, headers);
    }
    if (result.png.length) {
      return c.body(result.png as Uint8Array<ArrayBuffer>, 500, {
        ...PNG_HEADERS,
        "x-dqm-error": oneLine(result.message ?? "render error"),
      });
    }
    return await message(
      c,
      deps,
      `Render error: ${result.message ?? `code ${result.code}`}`,
      options,
      500,
      result.message ?? "",
    );
  };

  const single = (legacy: boolean) => async (c: Context) => {
    const q = parseQuery(c.req.url);
    const ref = parseSampleRef(c.req.param("run")!, c.req.param("path")!);
    if (!ref.path) throw badRequest("Invalid ME path: the URL names a dataset but no ME");
    return await draw(c, [ref], renderOptions(q, legacy), notOlderThan(q));
  };
  const overlay = (legacy: boolean) => async (c: Context) => {
    const q = parseQuery(c.req.url);
    const objs = q.get("obj") ?? [];
    if (objs.length === 0) {
      throw badRequest("Invalid obj: give at least one obj=archive/<run>/<dataset>/<ME path>");
    }
    if (objs.length > MAX_OVERLAY_OBJECTS) {
      throw badRequest(`Invalid obj: at most ${MAX_OVERLAY_OBJECTS} objects`);
    }
    return await draw(c, objs.map(parseObjParam), renderOptions(q, legacy), notOlderThan(q));
  };
  app.get("/api/v1/render/:run/:path{.+}", single(false));
  app.get("/plotfairy/archive/:run/:path{.+}", single(true));
  app.get("/api/v1/render_overlay", overlay(false));
  app.get("/plotfairy/overlay", overlay(true));
  return app;
}

/** Build the daemon request, or a message explaining why the MEs cannot be drawn. */
async function buildRequest(
  mes: MEObjects,
  located: LocatedME[],
  options: RenderOptions,
): Promise<RenderRequest | string> {
  const contents = await Promise.all(located.map((m) => mes.content(m)));
  const scalars = contents.filter((c) => c.kind === "scalar");
  if (scalars.length === contents.length) {
    return {
      kind: "scalar",
      text: scalars.map((s) => s.kind === "scalar" ? s.text : "").join("\n"),
      options,
    };
  }
  if (scalars.length) throw badRequest("Invalid obj: scalar MEs and histograms cannot be overlaid");
  const records = [];
  for (const [i, content] of contents.entries()) {
    if (content.kind !== "raw") continue;
    const cls = content.raw.className;
    if (DAEMON_CLASS_VERSIONS[cls] === undefined) {
      return `Cannot draw ${located[i]!.path}: class ${cls} is not drawable`;
    }
    records.push(
      recordFromKeyPayload(cls, content.raw.payload, content.raw.origin, content.raw.streamers),
    );
  }
  return {
    kind: "objects",
    name: located[0]!.path,
    efficiency: located.some((m) => m.efficiency),
    records,
    options,
  };
}

/** An image holding a message, with the given status; JSON when no daemon can draw it. */
async function message(
  c: Context,
  deps: RenderDeps,
  text: string,
  options: RenderOptions,
  status: number,
  detail: string,
) {
  const result = await deps.renderer.render({
    kind: "scalar",
    text,
    options: { ...options, reflabels: undefined },
  });
  const headers = { ...PNG_HEADERS, "x-dqm-error": oneLine(detail) };
  if (result.code === 0 && result.png.length) {
    return c.body(result.png as Uint8Array<ArrayBuffer>, status as 404, headers);
  }
  return c.json({ message: detail || text }, status as 404);
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/[^\x20-\x7e]/g, "?").slice(0, 300);
}
