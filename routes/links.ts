/**
 * @module
 * Short links to views of the app, as the classic GUI's URL shortener gave
 * (shifters paste links into e-logs and issues; full deep links with overlays
 * run to hundreds of characters): `POST /api/v1/links` with
 * `{"url": "?ds=...&run=..."}` answers `{"id": "aZ3k9QxB", "link": "l/aZ3k9QxB"}`,
 * and `GET /l/{id}` redirects to the app with that state. The link is
 * relative, so it works under any base path; the same view always gets the
 * same id.
 */

import { Hono } from "hono";
import { z } from "zod";
import type { DQMService } from "../core/service/dqm_service.ts";
import { badRequest, validate } from "./_params.ts";

/** Longest query string a link may stand for. */
export const MAX_LINK_TARGET = 8192;

const linkBody = z.object({
  url: z.string()
    .max(MAX_LINK_TARGET, `expected at most ${MAX_LINK_TARGET} characters`)
    .regex(/^\?[^#\s]*$/, 'expected the query string of the app, starting with "?"'),
});

/**
 * Routes for short links.
 *
 * @param service the DQM service
 * @returns a Hono sub-app mounted at the root
 */
export function linkRoutes(service: DQMService): Hono {
  const app = new Hono();
  app.post("/api/v1/links", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (error) {
      throw badRequest(`Invalid JSON body: ${(error as Error).message}`);
    }
    const { url } = validate(linkBody, body, "body");
    const id = service.shortLink(url);
    return c.json({ id, link: `l/${id}` }, 201);
  });
  app.get("/l/:id", (c) => {
    const id = c.req.param("id");
    const target = /^[0-9A-Za-z]{1,32}$/.test(id) ? service.resolveLink(id) : undefined;
    if (target === undefined) {
      return c.json({ message: `Cannot find short link "${id}": no such link` }, 404);
    }
    // Relative, so a deployment under --base-path keeps its prefix.
    return c.redirect(`../${target}`, 302);
  });
  return app;
}
