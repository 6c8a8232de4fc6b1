/**
 * @module
 * `deno task serve`: parse the command line, open the real dependencies (SQLite
 * store, import worker pool, data roots), build the app and serve it. Wiring
 * only; the logic lives in `core/` and `routes/`.
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { ImportPool } from "./core/importers/pool.ts";
import { DataRoots } from "./core/service/data_roots.ts";
import { DQMService } from "./core/service/dqm_service.ts";
import { MEObjects } from "./core/service/me_objects.ts";
import { MEReader } from "./core/service/me_reader.ts";
import { LiveHub } from "./core/service/live.ts";
import { cleanupSnapshots } from "./core/service/cleanup.ts";
import { Store } from "./core/store/mod.ts";
import { defaultRenderCommand, renderEpoch, RenderPool } from "./core/render/mod.ts";
import { createApp } from "./routes/mod.ts";
import { normaliseBasePath, staticRoutes, withBasePath } from "./routes/static.ts";
import { Hono } from "hono";
import { Layouts } from "./core/service/layouts.ts";
import { ensureDemo, startLiveDemo } from "./tools/demo.ts";

const HELP = `DQM GUI server

Usage: deno task serve [options]

Options:
  --host ADDRESS          interface to listen on (default 127.0.0.1)
  --port PORT             TCP port (default 8889)
  --state-dir DIR         database, logs and sockets (default ./data)
  --data-root DIR         directory whose files may be registered; repeat for several
                          (default: <state-dir>/files, plus the demo files)
  --renderers N           render daemon processes (default: number of cores)
  --renderer-cmd CMD      render daemon command (default: render-native/build/dqm-render with the
                          rules of plugins/rules and the native plugins of render-native/build/plugins);
                          any daemon speaking the classic protocol, such as the ROOT-based classic
                          renderer, works; "--state-directory <dir>/" is appended
  --import-workers N      import worker threads (default: number of cores)
  --no-demo               do not generate and register the demo data set on an empty database
  --demo-live             also run a live demo: a new online snapshot of /Global/Online/ALL every
                          10 s (--demo-live-interval SECONDS), a new run every 30 snapshots
  --cleanup-grace SECONDS delete replaced protobuf snapshots this long after they were replaced
                          (default 600; 0 disables the cleanup task)
  --register-token TOKEN  require "Authorization: Bearer TOKEN" on POST /api/v1/register
                          (also read from the DQMGUI_REGISTER_TOKEN environment variable)
  --host-name NAME        value reported by /api/v1/host (default: the machine's host name)
  --layouts DIR           layout files (*.json) merged into listings as virtual folders
                          (default: the layouts/ directory beside main.ts)
  --base-path PATH        serve the app and the API under PATH, e.g. /dqm/offline, for a deployment
                          behind a proxy (default: at the root)
  -h, --help              show this help
`;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`Invalid --${name}: expected a positive integer, got "${value}"`);
    Deno.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      args: Deno.args,
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string" },
        "state-dir": { type: "string", default: "./data" },
        "data-root": { type: "string", multiple: true },
        renderers: { type: "string" },
        "renderer-cmd": { type: "string" },
        "import-workers": { type: "string" },
        "no-demo": { type: "boolean", default: false },
        "demo-live": { type: "boolean", default: false },
        "demo-live-interval": { type: "string", default: "10" },
        "register-token": { type: "string" },
        "cleanup-grace": { type: "string" },
        "host-name": { type: "string" },
        "base-path": { type: "string" },
        layouts: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    Deno.exit(2);
  }
  if (args.help) {
    console.log(HELP);
    return;
  }
  const cores = navigator.hardwareConcurrency || 2;
  const port = positiveInt("port", args.port, 8889);
  const renderers = positiveInt("renderers", args.renderers, cores);
  const workers = positiveInt("import-workers", args["import-workers"], cores);
  const graceText = args["cleanup-grace"] ?? "600";
  if (!/^\d+$/.test(graceText)) {
    console.error(`Invalid --cleanup-grace: expected seconds, got "${graceText}"`);
    Deno.exit(2);
  }
  const cleanupGraceMs = Number(graceText) * 1000;
  let basePath: string;
  try {
    basePath = normaliseBasePath(args["base-path"]);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  const stateDir = await Deno.realPath(await mkdirp(args["state-dir"]!));
  await mkdirp(`${stateDir}/logs`);
  await mkdirp(`${stateDir}/run`);
  const filesDir = await mkdirp(`${stateDir}/files`);
  const demoDir = `${stateDir}/demo`;
  const roots = await DataRoots.create([...(args["data-root"] ?? [filesDir]), demoDir]);

  const logFile = await Deno.open(`${stateDir}/logs/dqmgui.log`, { append: true, create: true });
  const encoder = new TextEncoder();
  const log = (level: string, message: string) => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    logFile.writeSync(encoder.encode(line));
    if (level !== "ACCESS") Deno.stderr.writeSync(encoder.encode(line));
  };

  const store = Store.open(`${stateDir}/dqmgui.sqlite`);
  const pool = new ImportPool({ workers });
  const live = new LiveHub();
  const layoutDir = args.layouts ?? fileURLToPath(new URL("./layouts", import.meta.url));
  if (args.layouts !== undefined && !(await isDirectory(args.layouts))) {
    console.error(`Invalid --layouts: "${args.layouts}" is not a directory`);
    Deno.exit(2);
  }
  const loaded = await Layouts.load(layoutDir, (error) => log("ERROR", error.message));
  log(
    "INFO",
    `Layouts: ${loaded.entries} entries from ${loaded.files} file(s) in ${layoutDir}` +
      (loaded.skipped ? ` (${loaded.skipped} text cells skipped)` : ""),
  );
  const service = new DQMService({ store, imports: pool, roots, live, layouts: loaded.layouts });
  const reader = new MEReader();
  let command = args["renderer-cmd"]?.split(/\s+/).filter((a) => a);
  if (!command) {
    try {
      command = await defaultRenderCommand();
    } catch (error) {
      console.error((error as Error).message);
      Deno.exit(1);
    }
  }
  let renderPool: RenderPool;
  try {
    renderPool = await RenderPool.start({
      command,
      count: renderers,
      runDir: `${stateDir}/run`,
      log: (line) => log("RENDER", line),
    });
  } catch (error) {
    console.error(`Cannot start the render daemons: ${(error as Error).message}`);
    pool.close();
    store.close();
    Deno.exit(1);
  }
  const app = createApp({
    renderer: renderPool,
    live,
    renderEpoch: await renderEpoch(command),
    service,
    mes: new MEObjects(service, reader),
    registerToken: args["register-token"] ?? Deno.env.get("DQMGUI_REGISTER_TOKEN"),
    host: args["host-name"] ?? Deno.hostname(),
    log: (message, error) =>
      log("ERROR", `${message}: ${error instanceof Error ? error.stack : String(error)}`),
    accessLog: (line) => log("ACCESS", line),
  });
  // The browser app (static/dist, built by `deno task build:web`) beside the API.
  const site = new Hono();
  site.route("/", staticRoutes(new URL("./static/dist", import.meta.url).pathname));
  site.all("*", (c) => app.fetch(c.req.raw, c.env));
  const handler = withBasePath(basePath, site.fetch);
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: args.host,
      port,
      onListen: ({ hostname, port }) =>
        log(
          "INFO",
          `DQM GUI listening on http://${hostname}:${port}${basePath}/ (state in ${stateDir})`,
        ),
    }, handler);
  } catch (error) {
    console.error(`Cannot listen on ${args.host}:${port}: ${(error as Error).message}`);
    pool.close();
    store.close();
    Deno.exit(1);
  }
  if (!args["no-demo"] && store.isEmpty()) {
    const n = await ensureDemo(service, demoDir);
    log("INFO", `Registered ${n} demo samples from ${demoDir}`);
  }

  const liveSeconds = args["demo-live"] ? Number(args["demo-live-interval"]) : 0;
  if (!(liveSeconds >= 0) || !Number.isFinite(liveSeconds)) {
    console.error(
      `Invalid --demo-live-interval: expected seconds, got "${args["demo-live-interval"]}"`,
    );
    Deno.exit(2);
  }
  const stopLiveDemo = liveSeconds > 0
    ? startLiveDemo(service, demoDir, liveSeconds * 1000, (l) => log("ERROR", l))
    : undefined;

  let cleaning = false;
  const cleanup = cleanupGraceMs > 0
    ? setInterval(async () => {
      if (cleaning) return;
      cleaning = true;
      try {
        await cleanupSnapshots(store, roots, {
          graceMs: cleanupGraceMs,
          log: (line) => log("INFO", line),
        });
      } catch (error) {
        log("ERROR", `Cleanup failed: ${(error as Error).message}`);
      } finally {
        cleaning = false;
      }
    }, Math.min(60_000, cleanupGraceMs))
    : undefined;

  const stop = async () => {
    log("INFO", "Shutting down");
    clearInterval(cleanup);
    stopLiveDemo?.();
    await server.shutdown();
    await renderPool.close();
    reader.close();
    pool.close();
    store.close();
    logFile.close();
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
}

async function mkdirp(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

if (import.meta.main) await main();
