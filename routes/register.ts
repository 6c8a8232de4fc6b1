/**
 * @module
 * `POST /api/v1/register` (spec/api.md §2.4.9): a JSON array of samples,
 * all registered in one transaction or none. Fixes of the original: every
 * field is validated and a failure names it (400); files outside the data
 * roots are refused unopened (403); missing files are refused (404); a
 * failed write is an error, never a 201; with a token configured, requests
 * without `Authorization: Bearer <token>` get 401.
 */

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { DQMService } from "../core/service/dqm_service.ts";
import { badRequest, validate } from "./_params.ts";

/** Largest request body accepted (the original's aiohttp default). */
export const MAX_REGISTER_BODY = 1024 * 1024;

const integer = (what: string, min: number) =>
  z.union([z.number(), z.string().regex(/^\s*-?\d+\s*$/, `expected an integer ${what}`)])
    .transform((v) => Number(v))
    .pipe(
      z.number().int(`expected an integer ${what}`).min(min, `expected ${what} >= ${min}`).max(
        2 ** 31 - 1,
      ),
    );

const sample = z.object({
  dataset: z.string().regex(/^\/[^/]+\/[^/]+\/[^/]+$/, 'expected "/<primary>/<processed>/<tier>"'),
  run: integer("run", 0),
  lumi: integer("lumi", -1),
  file: z.string().min(1, "expected a file path"),
  fileformat: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: "expected 1, 2 or 3" }),
}).strict().refine((s) => s.lumi !== -1 || s.fileformat === 2, {
  message: "lumi -1 (every lumisection in the file) is for DQMIO files (fileformat 2) only",
  path: ["lumi"],
});

const body = z.array(sample, { error: "expected a JSON array of samples" }).max(100_000);

/**
 * The registration route.
 *
 * @param service the DQM service
 * @param token bearer token required for registration, if any
 * @returns a Hono sub-app mounted at the root
 */
export function registerRoutes(service: DQMService, token?: string): Hono {
  const app = new Hono();
  app.post("/api/v1/register", async (c) => {
    if (token !== undefined && c.req.header("authorization") !== `Bearer ${token}`) {
      throw new HTTPException(401, {
        res: Response.json({ message: "Cannot register: missing or wrong bearer token" }, {
          status: 401,
          headers: { "www-authenticate": 'Bearer realm="dqmgui"' },
        }),
      });
    }
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_REGISTER_BODY) {
      throw badRequest(`Invalid body: larger than ${MAX_REGISTER_BODY} bytes`);
    }
    const text = await c.req.text();
    if (text.length > MAX_REGISTER_BODY) {
      throw badRequest(`Invalid body: larger than ${MAX_REGISTER_BODY} bytes`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw badRequest(`Invalid body: not JSON (${(error as Error).message})`);
    }
    const samples = validate(body, json, "body");
    const n = await service.register(samples);
    return c.json({ registered: n }, 201);
  });
  return app;
}
