/**
 * @module
 * A pool of render daemons (spec/render.md §1.7–1.8, §6, fixed): N
 * processes, one request at a time each, a bounded queue in front of them.
 *
 * - Queue full → `RenderUnavailableError` at once (HTTP 503), never an
 *   unbounded backlog.
 * - A request that takes longer than `timeoutMs` gets its daemon killed with
 *   SIGKILL (by pid: the classic client's `pkill -P` missed the daemon
 *   itself), and is retried once on another or a fresh daemon.
 * - A daemon that dies (exit seen by the parent, or EOF / short read on its
 *   socket) is replaced at once; its request fails over once.
 * - A request that failed twice rejects with `RenderUnavailableError`.
 * - A replacement that cannot start is retried with back-off; while no
 *   daemon runs at all, waiting and new requests fail fast.
 */

import { Daemon, DaemonIOError } from "./_daemon.ts";
import { RenderUnavailableError } from "./errors.ts";
import { encodeRequest, toRenderResult } from "./protocol.ts";
import type { RenderRequest, RenderResult } from "./types.ts";

/** Pool settings. */
export interface RenderPoolOptions {
  /** Binary and extra arguments, e.g. [".../dqm-render", "--rules", "plugins/rules"]; the pool appends `--state-directory <dir>/`. */
  command: string[];
  /** Number of daemons. */
  count: number;
  /** Sockets live in `<runDir>/render-<i>/`. */
  runDir: string;
  /** Requests waiting for a daemon before `render()` refuses (default 256). */
  queueLimit?: number;
  /** Per-request wall-clock limit in ms (default 30 000, the classic RENDERING_TIMEOUT). */
  timeoutMs?: number;
  /** How long a daemon may take to open its socket (default 10 000 ms). */
  startTimeoutMs?: number;
  /** Receives daemon output lines and pool events. */
  log?: (line: string) => void;
}

interface Job {
  frame: Uint8Array;
  attempts: number;
  resolve: (result: RenderResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  index: number;
  dir: string;
  daemon: Daemon | null;
  busy: Job | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** A spawn in progress, or a back-off before the next one. */
  starting: Promise<void> | null;
  backoffTimer: ReturnType<typeof setTimeout> | undefined;
  backoffMs: number;
}

/** Attempts per request: the first, plus one retry after a crash or timeout. */
const MAX_ATTEMPTS = 2;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** Payload prefix of a reply to a malformed frame; the daemon then closes the connection. */
const PROTOCOL_ERROR = new TextEncoder().encode("Protocol error:");

/**
 * Render daemons behind a bounded queue.
 *
 * @example Render a text at 266×200
 * ```ts ignore
 * import { RenderPool } from "./pool.ts";
 * const pool = await RenderPool.start({
 *   command: ["render-native/build/dqm-render"],
 *   count: 2,
 *   runDir: "data/run",
 * });
 * const result = await pool.render({
 *   kind: "scalar",
 *   text: "ME not found",
 *   options: { width: 266, height: 200, stats: true, norm: true, errors: false },
 * });
 * console.log(result.code, result.png.length);
 * await pool.close();
 * ```
 */
export class RenderPool {
  /**
   * Counters for monitoring and tests: replies received (any code), daemon
   * starts after the first (failed attempts included), requests that ran out
   * of time, requests refused at once (queue full, no daemon), daemons that
   * died unasked.
   */
  readonly stats = { renders: 0, restarts: 0, timeouts: 0, rejected: 0, crashes: 0 };
  readonly #options: Required<RenderPoolOptions>;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #closed = false;
  #lastStartError: Error | null = null;
  readonly #onUnload = () => {
    // kill() sends SIGKILL synchronously; nothing can be awaited during unload.
    for (const slot of this.#slots) void slot.daemon?.kill();
  };

  private constructor(options: Required<RenderPoolOptions>) {
    // private: pools are built by the async start(), which waits for every daemon.
    this.#options = options;
  }

  /**
   * Spawn `count` daemons and wait until each accepts connections.
   *
   * @param options command, size, directories, limits
   * @returns the running pool
   * @throws {RenderUnavailableError} naming the command and its output when a daemon does not come up
   * @throws {TypeError} for a bad count or an empty command
   */
  static async start(options: RenderPoolOptions): Promise<RenderPool> {
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new TypeError(
        `Cannot start render pool: count must be a positive integer, got ${options.count}`,
      );
    }
    if (options.command.length === 0) {
      throw new TypeError("Cannot start render pool: the command is empty");
    }
    const pool = new RenderPool({
      command: options.command,
      count: options.count,
      runDir: options.runDir.replace(/\/+$/, ""),
      queueLimit: Math.max(0, options.queueLimit ?? 256),
      timeoutMs: options.timeoutMs ?? 30_000,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      log: options.log ?? (() => {}),
    });
    // Should the server exit without close(), still take the daemons down with it.
    globalThis.addEventListener("unload", pool.#onUnload);
    for (let index = 0; index < options.count; index++) {
      pool.#slots.push({
        index,
        dir: `${pool.#options.runDir}/render-${index}`,
        daemon: null,
        busy: null,
        timer: undefined,
        starting: null,
        backoffTimer: undefined,
        backoffMs: FIRST_BACKOFF_MS,
      });
    }
    const started = await Promise.allSettled(pool.#slots.map((slot) => pool.#spawn(slot)));
    const failed = started.find((r) => r.status === "rejected");
    if (failed) {
      await pool.close();
      throw (failed as PromiseRejectedResult).reason;
    }
    return pool;
  }

  /** Configured number of daemons. */
  get size(): number {
    return this.#slots.length;
  }

  /** Daemons running and accepting requests. */
  get alive(): number {
    return this.#slots.filter((s) => s.daemon !== null).length;
  }

  /** Process ids of the running daemons (for monitoring and tests). */
  get pids(): number[] {
    return this.#slots.flatMap((s) => s.daemon ? [s.daemon.pid] : []);
  }

  /** Requests waiting for a daemon. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Render on the next free daemon.
   *
   * @param request what to render
   * @returns the daemon's code and PNG (codes 1 and 2 are results, not errors)
   * @throws {RenderUnavailableError} when the queue is full, no daemon runs, or the request failed twice
   * @throws {RangeError} for a request the protocol cannot carry (see `encodeRequest`)
   */
  render(request: RenderRequest): Promise<RenderResult> {
    let frame: Uint8Array;
    try {
      frame = encodeRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closed) {
      return Promise.reject(new RenderUnavailableError("Cannot render: the render pool is closed"));
    }
    if (this.#queue.length >= this.#options.queueLimit) {
      this.stats.rejected++;
      return Promise.reject(
        new RenderUnavailableError(
          `Cannot render: the render queue is full (${this.#queue.length} waiting for ${this.size} daemons)`,
        ),
      );
    }
    if (this.#noDaemonComing()) {
      this.stats.rejected++;
      return Promise.reject(this.#noDaemonError());
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ frame, attempts: 0, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stop every daemon (SIGKILL, by pid), fail what is waiting, remove the daemons' directories. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    globalThis.removeEventListener("unload", this.#onUnload);
    const closedError = () =>
      new RenderUnavailableError("Cannot render: the render pool was closed");
    for (const job of this.#queue.splice(0)) job.reject(closedError());
    await Promise.all(this.#slots.map(async (slot) => {
      clearTimeout(slot.timer);
      clearTimeout(slot.backoffTimer);
      slot.busy?.reject(closedError());
      slot.busy = null;
      await slot.starting?.catch(() => {});
      const daemon = slot.daemon;
      slot.daemon = null;
      await daemon?.kill();
      await Deno.remove(slot.dir, { recursive: true }).catch(() => {});
    }));
  }

  /**
   * Start a daemon in a slot (after `before`, e.g. the old process's exit);
   * on success it takes requests. `slot.starting` is set at once, so the
   * slot counts as coming back from the first moment.
   */
  #spawn(slot: Slot, before?: Promise<unknown>): Promise<void> {
    const { command, startTimeoutMs, log } = this.#options;
    const starting = (async () => {
      await before;
      if (this.#closed) return;
      const daemon = await Daemon.spawn({
        command,
        dir: slot.dir,
        startTimeoutMs,
        log,
        label: `render-${slot.index}`,
      });
      if (this.#closed) {
        await daemon.kill();
        return;
      }
      slot.daemon = daemon;
      slot.backoffMs = FIRST_BACKOFF_MS;
      this.#lastStartError = null;
      daemon.exited.then((status) => {
        if (slot.daemon === daemon && !daemon.killed) {
          const how = status.signal ? `signal ${status.signal}` : `status ${status.code}`;
          this.#fail(slot, daemon, "crash", `exited with ${how}`);
        }
      });
      this.#dispatch();
    })().finally(() => {
      if (slot.starting === starting) slot.starting = null;
    });
    slot.starting = starting;
    return starting;
  }

  /** Replace a slot's daemon; on failure try again later, and fail fast while none runs. */
  #restart(slot: Slot, before?: Promise<unknown>): void {
    if (this.#closed || slot.starting) return;
    this.stats.restarts++;
    this.#spawn(slot, before).catch((error: Error) => {
      if (this.#closed) return;
      this.#lastStartError = error;
      this.#options.log(`render-${slot.index}: ${error.message}; next try in ${slot.backoffMs} ms`);
      if (this.#noDaemonComing()) {
        for (const job of this.#queue.splice(0)) job.reject(this.#noDaemonError());
      }
      slot.backoffTimer = setTimeout(() => {
        slot.backoffTimer = undefined;
        this.#restart(slot);
      }, slot.backoffMs);
      slot.backoffMs = Math.min(slot.backoffMs * 2, MAX_BACKOFF_MS);
    });
  }

  #noDaemonComing(): boolean {
    return this.#slots.every((s) => s.daemon === null && s.starting === null);
  }

  #noDaemonError(): RenderUnavailableError {
    const why = this.#lastStartError ? `: ${this.#lastStartError.message}` : "";
    return new RenderUnavailableError(`Cannot render: no render daemon is running${why}`, {
      cause: this.#lastStartError ?? undefined,
    });
  }

  /** Give waiting requests to idle daemons. */
  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.busy || !slot.daemon) continue;
      this.#run(slot, slot.daemon, this.#queue.shift()!);
    }
  }

  #run(slot: Slot, daemon: Daemon, job: Job): void {
    slot.busy = job;
    job.attempts++;
    slot.timer = setTimeout(
      () => this.#fail(slot, daemon, "timeout", `no reply after ${this.#options.timeoutMs} ms`),
      this.#options.timeoutMs,
    );
    daemon.request(job.frame).then(
      ({ code, payload }) => {
        if (slot.daemon !== daemon || slot.busy !== job) return; // timed out or crashed meanwhile
        clearTimeout(slot.timer);
        slot.busy = null;
        this.stats.renders++;
        if (startsWith(payload, PROTOCOL_ERROR)) daemon.disconnect();
        job.resolve(toRenderResult(code, payload));
        this.#dispatch();
      },
      (error: Error) => {
        const why = error instanceof DaemonIOError ? error.message : String(error);
        this.#fail(slot, daemon, "crash", why);
      },
    );
  }

  /**
   * A daemon crashed or hung: kill it by pid, retry its request once, start
   * a replacement. Idempotent per daemon (exit, EOF and timeout may all report it).
   */
  #fail(slot: Slot, daemon: Daemon, kind: "crash" | "timeout", why: string): void {
    if (slot.daemon !== daemon || this.#closed) return;
    clearTimeout(slot.timer);
    slot.daemon = null;
    if (kind === "timeout") this.stats.timeouts++;
    else this.stats.crashes++;
    const job = slot.busy;
    slot.busy = null;
    this.#options.log(
      `render-${slot.index}: daemon pid ${daemon.pid} ${
        kind === "timeout" ? "timed out" : "died"
      } (${why}); restarting`,
    );
    if (job) {
      if (job.attempts < MAX_ATTEMPTS) {
        this.#queue.unshift(job);
      } else {
        job.reject(
          new RenderUnavailableError(
            `Cannot render: the render daemon ${
              kind === "timeout" ? "timed out" : "died"
            } twice on this request (${why})`,
          ),
        );
      }
    }
    // The old process must be gone before a new one binds the same socket path.
    this.#restart(slot, daemon.kill());
    this.#dispatch();
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
