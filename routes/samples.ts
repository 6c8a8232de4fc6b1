/**
 * @module
 * Sample discovery: `/api/v1/samples`, legacy `/data/json/samples`,
 * `/api/v1/datasets`, `/api/v1/latest_runs`, `/api/v1/lumis/{run}/{dataset}`
 * (spec/api.md §2.4.1, 2.4.2, 2.4.8, 2.4.10, 2.4.11), and ours,
 * `/api/v1/find`: datasets by substring, exact name or regular expression,
 * runs by list and ranges, latest runs first, with the total count.
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
  userRegex,
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

/** Rows `/api/v1/find` returns unless `limit` says otherwise, and the most it may ask for. */
const FIND_LIMIT = 1000;
const MAX_FIND_LIMIT = 10000;
/** Longest dataset expression and run specification accepted. */
const MAX_FIND_TEXT = 1000;

const findQuery = z.object({
  dataset: z.string().max(MAX_FIND_TEXT).optional(),
  match: z.enum(["substring", "exact", "regex"]).optional(),
  run: z.string().max(MAX_FIND_TEXT).optional(),
  lumi: z.string().regex(
    /^(|-1|\d{1,10}|all)$/,
    'expected "" or 0 (per run), -1 (every lumisection), N (one lumisection) or "all"',
  ).optional(),
  limit: z.string().regex(/^\d{1,5}$/, "expected a positive integer").optional(),
  notOlderThan: z.string().optional(),
});

/** Upper end of open ranges (registration takes any safe integer run). */
const MAX_RUN = Number.MAX_SAFE_INTEGER;

/**
 * Parse a run specification: comma-separated terms `N`, `A-B`, `>=N`, `<=N`,
 * `>N`, `<N` (spaces allowed), any of which may match.
 *
 * @param spec the text ("" for any run)
 * @returns inclusive ranges
 * @throws {HTTPException} 400 naming the term that is not understood
 */
export function parseRunSpec(spec: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const raw of spec.split(",")) {
    const term = raw.replace(/\s+/g, "");
    if (term === "") continue;
    const m = /^(?:(\d{1,10})(?:-(\d{1,10}))?|(>=|<=|>|<)(\d{1,10}))$/.exec(term);
    if (!m) {
      throw badRequest(
        `Invalid run: cannot read "${raw.trim()}" (expected N, A-B, >=N, <=N, >N or <N)`,
      );
    }
    if (m[1] !== undefined) {
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (lo > hi) throw badRequest(`Invalid run: range "${term}" ends before it starts`);
      ranges.push([lo, hi]);
      continue;
    }
    const n = Number(m[4]);
    const op = m[3];
    if (op === ">=") ranges.push([n, MAX_RUN]);
    else if (op === ">") ranges.push([n + 1, MAX_RUN]);
    else if (op === "<=") ranges.push([0, n]);
    else if (n > 0) ranges.push([0, n - 1]);
    else throw badRequest(`Invalid run: "${term}" matches no run`);
  }
  return ranges;
}

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

  app.get("/api/v1/find", (c) => {
    const raw = parseQuery(c.req.url);
    notOlderThan(raw);
    const q = validate(findQuery, firstValues(raw), "query");
    const limit = q.limit === undefined ? FIND_LIMIT : Number(q.limit);
    if (limit < 1 || limit > MAX_FIND_LIMIT) {
      throw badRequest(`Invalid limit: expected 1..${MAX_FIND_LIMIT}, got "${q.limit}"`);
    }
    let dataset: string | ((name: string) => boolean) | undefined = q.dataset || undefined;
    if (dataset !== undefined && q.match === "regex") {
      const re = userRegex(dataset, "dataset")!;
      dataset = (name) => re.test(name);
    }
    const lumi = !q.lumi ? 0 : q.lumi === "all" ? "all" : Number(q.lumi);
    const found = service.find({
      dataset,
      exact: q.match === "exact",
      runs: parseRunSpec(q.run ?? ""),
      lumi,
      limit,
    });
    return c.json({
      data: found.data.map((s) => ({ dataset: s.dataset, run: s.run, lumi: s.lumi })),
      total: found.total,
      truncated: found.total > found.data.length,
    });
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
