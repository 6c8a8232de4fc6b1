/**
 * @module
 * `GET /api/v1/trend/{dataset}/{ME path}?quantity=mean&run=...&limit=50`
 * (ours): one number of an ME over the runs of a dataset (core/service/trends.ts).
 * `run` takes the finder's run ranges (`355100-355200, >=356000`); without
 * it the latest `limit` runs are taken. `lumis=<run>` follows the
 * per-lumisection samples of one run instead (the last `limit` of them). The answer is
 * `{"dataset", "path", "quantity", "points": [{"run", "value", "error"?}],
 * "missing": [runs], "failed": [{"run", "message"}]}`, points ascending by run.
 */

import { Hono } from "hono";
import { z } from "zod";
import type { DQMService } from "../core/service/dqm_service.ts";
import type { MEObjects } from "../core/service/me_objects.ts";
import { trend, TREND_QUANTITIES } from "../core/service/trends.ts";
import {
  badRequest,
  firstValues,
  notOlderThan,
  parseDatasetPath,
  parseQuery,
  validate,
} from "./_params.ts";
import { parseRunSpec } from "./samples.ts";

/** Runs a trend reads unless `limit` says otherwise, and the most it may ask for. */
const TREND_LIMIT = 50;
const MAX_TREND_LIMIT = 500;

const trendQuery = z.object({
  quantity: z.enum(TREND_QUANTITIES).optional(),
  run: z.string().max(1000).optional(),
  lumis: z.string().regex(/^\d{1,12}$/, "expected a run number").optional(),
  limit: z.string().regex(/^\d{1,4}$/, "expected a positive integer").optional(),
  notOlderThan: z.string().optional(),
});

/**
 * Routes for trends.
 *
 * @param service sample search
 * @param mes ME access
 * @returns a Hono sub-app mounted at the root
 */
export function trendRoutes(service: DQMService, mes: MEObjects): Hono {
  const app = new Hono();
  app.get("/api/v1/trend/:path{.+}", async (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(trendQuery, firstValues(raw), "query");
    const limit = q.limit === undefined ? TREND_LIMIT : Number(q.limit);
    if (limit < 1 || limit > MAX_TREND_LIMIT) {
      throw badRequest(`Invalid limit: expected 1..${MAX_TREND_LIMIT}, got "${q.limit}"`);
    }
    const { dataset, path } = parseDatasetPath(c.req.param("path"));
    if (path === "") throw badRequest("Invalid ME path: the URL names a dataset but no ME");
    return c.json(
      await trend(service, mes, {
        dataset,
        path,
        quantity: q.quantity,
        runs: parseRunSpec(q.run ?? ""),
        lumisOf: q.lumis === undefined ? undefined : Number(q.lumis),
        limit,
      }),
    );
  });
  return app;
}
