/**
 * @module
 * Directory listings of a sample: `/api/v1/archive/{run[:lumi]}/{dataset}/{folder}`
 * and the legacy `/data/json/archive/...` (spec/api.md §2.4.3). Beyond the
 * original: MEs come in a stable order, scalar MEs carry their value, quality
 * tests carry their full result, `search` is a case-insensitive regular
 * expression matched anywhere in the ME name (an invalid one is a 400, not
 * silently ignored), `qt=failing|error` keeps MEs with a warning or error
 * quality test, and sub-folders of a sample with quality tests say how many
 * MEs below them fail one.
 *
 * Layout entries (core/service/layouts.ts) appear in listings beside real
 * MEs with `layout`, `draw`, `overlays` and `description`, as the original's;
 * `/api/v1/layouts?name=` lists the entries of one layout.
 *
 * `/api/v1/search/{run[:lumi]}/{dataset}[/{folder}]?q=REGEX` (ours) searches
 * every ME below a folder by its full path, so a shifter finds a plot without
 * knowing its folder.
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { DQMService, ListedME, ListingFilter } from "../core/service/dqm_service.ts";
import type { QTLevel } from "../core/store/mod.ts";
import {
  badRequest,
  notOlderThan,
  parseQuery,
  parseSampleRef,
  type Query,
  userRegex,
} from "./_params.ts";

/** MEs a search returns unless `limit` says otherwise, and the most it may ask for. */
const SEARCH_LIMIT = 500;
const MAX_SEARCH_LIMIT = 5000;

function qtLevel(raw: string | undefined): QTLevel | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw === "failing" || raw === "error") return raw;
  throw badRequest(`Invalid qt: expected "failing" or "error", got "${raw}"`);
}

function filterOf(raw: Query, searchField: string): ListingFilter {
  return {
    search: userRegex(raw.get(searchField)?.[0], searchField),
    qt: qtLevel(raw.get("qt")?.[0]),
    notOlderThan: notOlderThan(raw),
  };
}

function searchLimit(raw: string | undefined): number {
  if (raw === undefined || raw === "") return SEARCH_LIMIT;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_SEARCH_LIMIT)) {
    throw badRequest(`Invalid limit: expected 1..${MAX_SEARCH_LIMIT}, got "${raw}"`);
  }
  return n;
}

function meJson(me: ListedME) {
  const layout = me.layout;
  const out: Record<string, unknown> = {
    name: me.name,
    path: me.path,
    layout: layout?.name ?? null,
  };
  if (layout?.draw) out.draw = layout.draw;
  if (layout?.overlays) out.overlays = layout.overlays;
  if (layout) out.description = layout.description ?? "";
  out.qtstatuses = me.qtests.map((q) => q.status);
  out.kind = me.kind;
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
    const listing = await service.archive(ref, ref.path, filterOf(raw, "search"));
    const dirs = listing.dirs.map((d) =>
      d.failing === undefined
        ? { subdir: d.name, me_count: d.count }
        : { subdir: d.name, me_count: d.count, failing: d.failing }
    );
    return c.json({ [key]: [...dirs, ...listing.objects.map(meJson)] });
  };
  app.get("/api/v1/archive/:run/:path{.+}", handler("data"));
  app.get("/data/json/archive/:run/:path{.+}", handler("contents"));
  app.get("/api/v1/layouts", (c) => {
    const name = parseQuery(c.req.url).get("name")?.[0] ?? "";
    const data = service.layoutsByName(name).map((e) => ({
      source: e.source,
      destination: e.destination,
    }));
    return c.json({ data });
  });
  app.get("/api/v1/search/:run/:path{.+}", async (c) => {
    const raw = parseQuery(c.req.url);
    const ref = parseSampleRef(c.req.param("run"), c.req.param("path"));
    const limit = searchLimit(raw.get("limit")?.[0]);
    const found = await service.search(ref, ref.path, filterOf(raw, "q"), limit);
    return c.json({
      data: found.objects.map(meJson),
      total: found.total,
      truncated: found.total > found.objects.length,
    });
  });
  return app;
}
