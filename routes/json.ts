/**
 * @module
 * ROOT objects as JSON for JSROOT: `/api/v1/json/{run[:lumi]}/{dataset}/{ME}`,
 * legacy `/jsrootfairy/archive/...` and `/api/v1/json_overlay?obj=...`
 * (spec/api.md §2.4.6–2.4.7), made from our decoder in TBufferJSON
 * conventions, with `"dqmProperties": {"efficiency": <bool>}` added. Fixes:
 * an unknown ME is a 404 (the original answered 500), overlays never
 * produce invalid JSON, and responses carry an ETag (304 when unchanged).
 */

import { Hono } from "hono";
import type { Context } from "hono";
import { toRootJson } from "../core/json/root_json.ts";
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

/** Most objects one overlay request may name. */
export const MAX_OVERLAY_OBJECTS = 10;

async function locateAll(mes: MEObjects, refs: SampleRef[], nOT?: number): Promise<LocatedME[]> {
  return await Promise.all(refs.map((r) => mes.locate(r, r.path, nOT)));
}

async function respond(c: Context, mes: MEObjects, located: LocatedME[]) {
  const etag = await etagOf([
    "json",
    ...located.flatMap((m) => [m.sample.file, m.sample.registered, m.list.seek(m.index), m.path]),
  ]);
  const headers = { etag, "cache-control": "no-cache" };
  if (notModified(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  const objects = await Promise.all(located.map((m) => mes.object(m)));
  const efficiency = located.some((m) => m.efficiency);
  const body = objects.length === 1
    ? toRootJson(objects[0]!) as Record<string, unknown>
    : { objects: objects.map((o) => toRootJson(o)) };
  return c.json({ ...body, dqmProperties: { efficiency } }, 200, headers);
}

/**
 * Routes for JSON output.
 *
 * @param mes single-ME access
 * @returns a Hono sub-app mounted at the root
 */
export function jsonRoutes(mes: MEObjects): Hono {
  const app = new Hono();
  const single = async (c: Context) => {
    const raw = parseQuery(c.req.url);
    const ref = parseSampleRef(c.req.param("run")!, c.req.param("path")!);
    if (!ref.path) throw badRequest("Invalid ME path: the URL names a dataset but no ME");
    return respond(c, mes, await locateAll(mes, [ref], notOlderThan(raw)));
  };
  app.get("/api/v1/json/:run/:path{.+}", single);
  app.get("/jsrootfairy/archive/:run/:path{.+}", single);
  app.get("/api/v1/json_overlay", async (c) => {
    const raw = parseQuery(c.req.url);
    const objs = raw.get("obj") ?? [];
    if (objs.length === 0) {
      throw badRequest("Invalid obj: give at least one obj=archive/<run>/<dataset>/<ME path>");
    }
    if (objs.length > MAX_OVERLAY_OBJECTS) {
      throw badRequest(`Invalid obj: at most ${MAX_OVERLAY_OBJECTS} objects`);
    }
    return respond(c, mes, await locateAll(mes, objs.map(parseObjParam), notOlderThan(raw)));
  });
  return app;
}
