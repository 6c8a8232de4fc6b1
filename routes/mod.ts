/**
 * @module
 * The HTTP application: `createApp(deps)` mounts every route group and maps
 * errors to responses in one place (STYLE rules 4 and 19). Handlers never
 * catch: `ObjectNotFoundError` → 404, `ForbiddenPathError` → 403,
 * `RootFormatError` → 422 (a corrupt or truncated file, named with the offset),
 * `TooManyImportsError` → 429, `ImportFileError` → 404/403/500 by cause,
 * anything else → 500 (logged). Every error body is `{"message": ...}`.
 */

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { RenderUnavailableError } from "../core/render/mod.ts";
import type { DQMService } from "../core/service/dqm_service.ts";
import type { MEObjects } from "../core/service/me_objects.ts";
import { jsonRoutes } from "./json.ts";
import { liveRoutes } from "./live.ts";
import { LiveHub } from "../core/service/live.ts";
import { type Renderer, renderRoutes } from "./render.ts";
import { archiveRoutes } from "./archive.ts";
import { registerRoutes } from "./register.ts";
import { linkRoutes } from "./links.ts";
import { trendRoutes } from "./trends.ts";
import { sampleRoutes } from "./samples.ts";

/** What the app needs. */
export interface AppDeps {
  /** The service. */
  service: DQMService;
  /** Single-ME access (render and JSON endpoints). */
  mes: MEObjects;
  /** Live events (SSE); a private hub when absent. */
  live?: LiveHub;
  /** The render daemon pool; without it the render endpoints answer 503. */
  renderer?: Renderer;
  /** Identifies the drawing code and rules, part of every image ETag (default: start time). */
  renderEpoch?: string;
  /** Bearer token for `POST /api/v1/register`, if required. */
  registerToken?: string;
  /** Value of `/api/v1/host`. */
  host?: string;
  /** Where unexpected errors are reported (default console.error). */
  log?: (message: string, error: unknown) => void;
  /** Access log: one call per request, after the response (none by default). */
  accessLog?: (line: string) => void;
}

/** Stands in when no render pool was configured. */
const NO_RENDERER: Renderer = {
  render: () =>
    Promise.reject(new RenderUnavailableError("Cannot render: no render daemons are configured")),
};

const STATUS_BY_ERROR: Record<string, number> = {
  ObjectNotFoundError: 404,
  ForbiddenPathError: 403,
  RootFormatError: 422,
  TooManyImportsError: 429,
  ImportTimeoutError: 503,
  RenderUnavailableError: 503,
};

function statusOf(error: Error): number {
  if (error.name === "ImportFileError") {
    const reason = (error as Error & { reason?: string }).reason;
    return reason === "NotFound" ? 404 : reason === "PermissionDenied" ? 403 : 500;
  }
  return STATUS_BY_ERROR[error.name] ?? 500;
}

/**
 * Build the application.
 *
 * @param deps service and settings
 * @returns the Hono app; serve it with `Deno.serve(app.fetch)`
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const log = deps.log ?? ((message, error) => console.error(message, error));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const status = statusOf(error);
    if (status === 500) log(`${c.req.method} ${c.req.url} failed`, error);
    const headers: Record<string, string> = {};
    if (status === 429 || status === 503) headers["retry-after"] = "1";
    return c.json(
      { message: status === 500 ? `Internal error: ${error.message}` : error.message },
      status as 500,
      headers,
    );
  });

  const accessLog = deps.accessLog;
  if (accessLog) {
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      const ms = (performance.now() - started).toFixed(1);
      accessLog(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${ms}ms`);
    });
  }

  app.notFound((c) =>
    c.json({ message: `Cannot find "${new URL(c.req.url).pathname}": no such endpoint` }, 404)
  );

  app.route("/", sampleRoutes(deps.service));
  app.route("/", archiveRoutes(deps.service));
  app.route("/", registerRoutes(deps.service, deps.registerToken));
  app.route("/", linkRoutes(deps.service));
  app.route("/", jsonRoutes(deps.mes));
  app.route("/", trendRoutes(deps.service, deps.mes));
  app.route("/", liveRoutes(deps.live ?? new LiveHub()));
  app.route(
    "/",
    renderRoutes({
      mes: deps.mes,
      renderer: deps.renderer ?? NO_RENDERER,
      epoch: deps.renderEpoch ?? String(Date.now()),
    }),
  );
  app.get("/api/v1/host", (c) => c.json({ host: deps.host ?? "Not specified" }));
  return app;
}
