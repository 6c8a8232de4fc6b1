/**
 * @module
 * Directory listings of a sample: `/api/v1/archive/{run[:lumi]}/{dataset}/{folder}`
 * and the legacy `/data/json/archive/...` (spec/api.md §2.4.3). Beyond the
 * original: MEs come in a stable order, scalar MEs carry their value, quality
 * tests carry their full result, and `search` is a case-insensitive regular
 * expression matched anywhere in the ME name (an invalid one is a 400, not
 * silently ignored).
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { DQMService, ListedME } from "../core/service/dqm_service.ts";
import { badRequest, notOlderThan, parseQuery, parseSampleRef } from "./_params.ts";

/** Longest accepted search expression. */
const MAX_SEARCH_LENGTH = 1000;

function searchRegex(raw: string | undefined): RegExp | undefined {
  if (!raw) return undefined;
  if (raw.length > MAX_SEARCH_LENGTH) {
    throw badRequest(`Invalid search: longer than ${MAX_SEARCH_LENGTH} characters`);
  }
  try {
    return new RegExp(raw, "i");
  } catch (error) {
    throw badRequest(`Invalid search: ${(error as Error).message}`);
  }
}

function meJson(me: ListedME) {
  const out: Record<string, unknown> = {
    name: me.name,
    path: me.path,
    layout: null,
    qtstatuses: me.qtests.map((q) => q.status),
    kind: me.kind,
  };
  if (me.value !== undefined) out.value = me.value;
  if (me.efficiency) out.efficiency = true;
  if (me.qtests.length) out.qtests = me.qtests;
  return out;
}

/**
 * Routes for directory listings.
 *
 * @param service the DQM service
 * @returns a Hono sub-app mounted at the root
 */
export function archiveRoutes(service: DQMService): Hono {
  const app = new Hono();
  const handler = (key: "data" | "contents") => async (c: Context) => {
    const raw = parseQuery(c.req.url);
    const ref = parseSampleRef(c.req.param("run")!, c.req.param("path")!);
    const listing = await service.archive(
      ref,
      ref.path,
      searchRegex(raw.get("search")?.[0]),
      notOlderThan(raw),
    );
    const dirs = listing.dirs.map((d) => ({ subdir: d.name, me_count: d.count }));
    return c.json({ [key]: [...dirs, ...listing.objects.map(meJson)] });
  };
  app.get("/api/v1/archive/:run/:path{.+}", handler("data"));
  app.get("/data/json/archive/:run/:path{.+}", handler("contents"));
  return app;
}
