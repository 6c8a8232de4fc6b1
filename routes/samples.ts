/**
 * @module
 * Sample discovery: `/api/v1/samples`, legacy `/data/json/samples`,
 * `/api/v1/datasets`, `/api/v1/latest_runs`, `/api/v1/lumis/{run}/{dataset}`
 * (spec/api.md §2.4.1, 2.4.2, 2.4.8, 2.4.10, 2.4.11).
 */

import { Hono } from "hono";
import { z } from "zod";
import type { DQMService } from "../core/service/dqm_service.ts";
import {
  badRequest,
  firstValues,
  notOlderThan,
  parseQuery,
  parseRunLumi,
  validate,
} from "./_params.ts";

const digits = z.string().regex(/^\d*$/, "expected digits");
const lumiRule = z.string().regex(
  /^-?\d+$/,
  "expected an integer (0 per run, -1 every lumisection, N one lumisection)",
);

const samplesQuery = z.object({
  run: digits.optional(),
  dataset: z.string().optional(),
  lumi: lumiRule.or(z.literal("")).optional(),
  notOlderThan: z.string().optional(),
});

const legacySamplesQuery = z.object({
  match: z.string().optional(),
  run: z.string().optional(),
  notOlderThan: z.string().optional(),
});

const searchQuery = z.object({
  search: z.string().optional(),
  notOlderThan: z.string().optional(),
});

/**
 * Routes for sample discovery.
 *
 * @param service the DQM service
 * @returns a Hono sub-app mounted at the root
 */
export function sampleRoutes(service: DQMService): Hono {
  const app = new Hono();

  app.get("/api/v1/samples", (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(samplesQuery, firstValues(raw), "query");
    const data = service.samples({
      run: q.run || undefined,
      dataset: q.dataset || undefined,
      lumi: q.lumi ? Number(q.lumi) : 0,
    });
    return c.json({ data: data.map((s) => ({ run: s.run, lumi: s.lumi, dataset: s.dataset })) });
  });

  app.get("/data/json/samples", (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(legacySamplesQuery, firstValues(raw), "query");
    let run: string | undefined;
    let lumi = 0;
    if (q.run) {
      const parsed = /^(\d+)(?::(-?\d+))?$/.exec(q.run);
      if (!parsed) {
        throw badRequest(`Invalid run: expected "<run>" or "<run>:<lumi>", got "${q.run}"`);
      }
      run = parsed[1];
      lumi = parsed[2] === undefined ? 0 : Number(parsed[2]);
    }
    const data = service.samples({ run, dataset: q.match || undefined, lumi });
    const items = data.map((s) => ({
      run: s.lumi ? `${s.run}:${s.lumi}` : String(s.run),
      dataset: s.dataset,
    }));
    return c.json({ samples: [{ type: "offline_data", items }] });
  });

  app.get("/api/v1/datasets", (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(searchQuery, firstValues(raw), "query");
    return c.json({ datasets: service.datasets(q.search ?? "") });
  });

  app.get("/api/v1/latest_runs", (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(searchQuery, firstValues(raw), "query");
    if (q.search && !/^\d+$/.test(q.search)) {
      throw badRequest(`Invalid search: expected digits, got "${q.search}"`);
    }
    return c.json({ runs: service.latestRuns(q.search ?? "") });
  });

  app.get("/api/v1/lumis/:run/:dataset{.+}", (c) => {
    const { run } = parseRunLumi(c.req.param("run"));
    return c.json(service.lumis("/" + c.req.param("dataset"), run));
  });

  return app;
}
