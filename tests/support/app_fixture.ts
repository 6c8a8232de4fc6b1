/**
 * @module
 * Test support: the real application (SQLite store in a temporary directory,
 * real import worker pool, real data roots) for in-process HTTP tests with
 * `app.request()`. Test files are copied into the temporary data root at test
 * time (never into the repository).
 */

import { ImportPool, type ImportPoolOptions } from "../../core/importers/pool.ts";
import { DataRoots } from "../../core/service/data_roots.ts";
import { DQMService } from "../../core/service/dqm_service.ts";
import { MEObjects } from "../../core/service/me_objects.ts";
import { MEReader } from "../../core/service/me_reader.ts";
import { LiveHub } from "../../core/service/live.ts";
import type { Layouts } from "../../core/service/layouts.ts";
import { Store } from "../../core/store/mod.ts";
import { createApp } from "../../routes/mod.ts";
import { defaultRenderCommand, RenderPool } from "../../core/render/mod.ts";
import type { Hono } from "hono";

/** A running app with its parts, and a cleanup. */
export interface AppFixture {
  app: Hono;
  store: Store;
  pool: ImportPool;
  service: DQMService;
  /** The temporary data root. */
  root: string;
  /** The render pool, when started. */
  renderer?: RenderPool;
  /** The live event hub. */
  live: LiveHub;
  /** Errors the app logged as unexpected (500s). */
  logged: unknown[];
  /** POST a JSON body to /api/v1/register. */
  register(items: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET a path and parse the JSON body. */
  // deno-lint-ignore no-explicit-any -- tests index response bodies freely
  getJson(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Options of `startApp`. */
export interface AppFixtureOptions {
  pool?: ImportPoolOptions;
  /** Start this many real render daemons (default none: render endpoints answer 503). */
  renderers?: number;
  /** Render pool request timeout in ms. */
  renderTimeoutMs?: number;
  registerToken?: string;
  failureBackoffMs?: number;
  /** Layouts merged into listings. */
  layouts?: Layouts;
}

/**
 * Start the app on a fresh temporary state.
 *
 * @param options pool size, token
 * @returns the fixture
 */
export async function startApp(options: AppFixtureOptions = {}): Promise<AppFixture> {
  const root = await Deno.makeTempDir({ prefix: "dqmgui-test-" });
  const store = Store.open(`${root}/state.sqlite`);
  const pool = new ImportPool({ workers: 2, ...options.pool });
  const roots = await DataRoots.create([`${root}/files`]);
  const live = new LiveHub();
  const service = new DQMService({
    store,
    imports: pool,
    roots,
    failureBackoffMs: options.failureBackoffMs,
    live,
    layouts: options.layouts,
  });
  const logged: unknown[] = [];
  const reader = new MEReader();
  const mes = new MEObjects(service, reader);
  const renderer = options.renderers
    ? await RenderPool.start({
      command: await defaultRenderCommand(),
      count: options.renderers,
      runDir: `${root}/run`,
      timeoutMs: options.renderTimeoutMs,
    })
    : undefined;
  const app = createApp({
    service,
    mes,
    renderer,
    renderEpoch: "test",
    live,
    registerToken: options.registerToken,
    log: (_m, e) => logged.push(e),
  });
  return {
    app,
    store,
    pool,
    service,
    root: `${root}/files`,
    renderer,
    live,
    logged,
    register: (items, headers = {}) =>
      Promise.resolve(app.request("/api/v1/register", {
        method: "POST",
        body: typeof items === "string" ? items : JSON.stringify(items),
        headers: { "content-type": "application/json", ...headers },
      })),
    async getJson(path) {
      const res = await app.request(path);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await renderer?.close();
      reader.close();
      pool.close();
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}
