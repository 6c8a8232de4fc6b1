/**
 * @module
 * Benchmark support: start the real server (`main.ts`) as a child process on
 * a free loopback port with a temporary state directory, and drive it over
 * HTTP with bounded concurrency.
 */

/** A running server. */
export interface BenchServer {
  /** Base URL, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** The data root files must be copied into. */
  files: string;
  /** POST /api/v1/register. */
  register(items: unknown[]): Promise<void>;
  /** The state directory. */
  state: string;
  /** Stop the server and remove its state. */
  stop(): Promise<void>;
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Start `main.ts` on a free port and wait until it answers.
 *
 * @param extraArgs more command-line options
 * @param options `demo`: register the demo data set; `basePath`: serve under
 *   this prefix (the returned `url` includes it)
 * @returns the server
 */
export async function startServer(
  extraArgs: string[] = [],
  options: { demo?: boolean; basePath?: string } = {},
): Promise<BenchServer> {
  const state = await Deno.makeTempDir({ prefix: "dqmgui-bench-" });
  const files = `${state}/files`;
  await Deno.mkdir(files, { recursive: true });
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      MAIN,
      "--port",
      String(port),
      "--state-dir",
      state,
      ...(options.demo ? [] : ["--no-demo"]),
      ...(options.basePath ? ["--base-path", options.basePath] : []),
      ...extraArgs,
    ],
    stdout: "null",
    // The server logs every start and stop; show it only when asked to.
    stderr: Deno.env.get("DQMGUI_VERBOSE") ? "inherit" : "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}${options.basePath ?? ""}`;
  for (let i = 0;; i++) {
    try {
      const res = await fetch(`${url}/api/v1/host`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      if (i > 300) throw new Error(`Cannot start the server on port ${port}: no answer after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    files,
    state,
    async register(items) {
      const res = await fetch(`${url}/api/v1/register`, {
        method: "POST",
        body: JSON.stringify(items),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`Cannot register: ${res.status} ${text}`);
    },
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(state, { recursive: true });
    },
  };
}

/**
 * GET `paths` with at most `concurrency` requests in flight.
 *
 * @param base server URL
 * @param paths request paths
 * @param concurrency parallel requests
 * @returns statuses, in order, and elapsed ms
 */
export async function getAll(
  base: string,
  paths: string[],
  concurrency: number,
): Promise<{ statuses: number[]; ms: number }> {
  const statuses = new Array<number>(paths.length);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < paths.length) {
      const i = next++;
      const res = await fetch(base + paths[i]);
      await res.arrayBuffer();
      statuses[i] = res.status;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { statuses, ms: performance.now() - started };
}
