/**
 * @module
 * A bounded pool of import workers, so parsing never blocks the server's
 * event loop. Jobs queue up to `maxPending`; beyond that `run()` throws
 * `TooManyImportsError` (HTTP 429) at once instead of growing without bound
 * (the original allowed 100 concurrent import processes and no queue). A job
 * that exceeds its timeout gets its worker killed and replaced; a worker that
 * dies fails only its own job.
 */

import { fromErrorRecord, type ImportJob, type ImportOutput } from "./import_job.ts";
import type { JobMessage, ResultMessage } from "./worker.ts";

/** The import queue is full. */
export class TooManyImportsError extends Error {
  /**
   * @param pending jobs running or queued
   */
  constructor(pending: number) {
    super(`Cannot start import: ${pending} imports are already running or queued`);
    this.name = "TooManyImportsError";
  }
}

/** An import took longer than the pool's timeout. */
export class ImportTimeoutError extends Error {
  /**
   * @param file the file
   * @param ms the timeout
   */
  constructor(file: string, ms: number) {
    super(`Cannot import "${file}": no result after ${ms} ms, worker restarted`);
    this.name = "ImportTimeoutError";
  }
}

/** Pool settings. */
export interface ImportPoolOptions {
  /** Worker threads (default: number of cores). */
  workers?: number;
  /** Jobs running + queued before `run()` refuses (default 256). */
  maxPending?: number;
  /** Per-job timeout in ms (default 120 s). */
  timeoutMs?: number;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Pending {
  id: number;
  job: ImportJob;
  resolve: (out: ImportOutput) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/**
 * Runs imports on worker threads.
 *
 * @example Import a file off the main thread
 * ```ts ignore
 * import { ImportPool } from "./pool.ts";
 * const pool = new ImportPool({ workers: 2 });
 * const out = await pool.run({ file: "/data/DQM_V0001_R000123456__A__B__C.root", fileformat: 1, dataset: "/A/B/C", run: 123456, lumi: 0 });
 * console.log([...out.lists.keys()]);
 * pool.close();
 * ```
 */
export class ImportPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  readonly #maxPending: number;
  readonly #timeoutMs: number;
  #nextId = 1;
  #closed = false;
  /** Counters for monitoring and tests. */
  readonly stats = { completed: 0, failed: 0, restarts: 0, rejected: 0 };

  /** @param options sizes and timeout */
  constructor(options: ImportPoolOptions = {}) {
    const n = Math.max(1, options.workers ?? navigator.hardwareConcurrency ?? 2);
    this.#maxPending = Math.max(1, options.maxPending ?? 256);
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    for (let i = 0; i < n; i++) this.#slots.push(this.#spawn());
  }

  /** Jobs running or queued. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((s) => s.busy).length;
  }

  /**
   * Import a file on a worker.
   *
   * @param job the file and sample
   * @returns the encoded lists
   */
  run(job: ImportJob): Promise<ImportOutput> {
    if (this.#closed) {
      return Promise.reject(new TypeError("Cannot start import: the pool is closed"));
    }
    if (this.pending >= this.#maxPending) {
      this.stats.rejected++;
      return Promise.reject(new TooManyImportsError(this.pending));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, job, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stop every worker; queued jobs fail. */
  close(): void {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) {
      p.reject(new TypeError("Cannot import: the pool was closed"));
    }
    for (const slot of this.#slots) {
      clearTimeout(slot.timer);
      slot.busy?.reject(new TypeError("Cannot import: the pool was closed"));
      slot.worker.terminate();
    }
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL, { type: "module" });
    const slot: Slot = { worker, busy: null, timer: undefined };
    worker.onmessage = (e: MessageEvent<ResultMessage>) => this.#onResult(slot, e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#replace(slot, new Error(`Cannot import: the import worker crashed (${e.message})`));
    };
    return slot;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.busy || this.#queue.length === 0) continue;
      const pending = this.#queue.shift()!;
      slot.busy = pending;
      slot.timer = setTimeout(
        () => this.#replace(slot, new ImportTimeoutError(pending.job.file, this.#timeoutMs)),
        this.#timeoutMs,
      );
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies JobMessage);
    }
  }

  #onResult(slot: Slot, msg: ResultMessage): void {
    const pending = slot.busy;
    if (!pending || pending.id !== msg.id) return;
    clearTimeout(slot.timer);
    slot.busy = null;
    if (msg.ok) {
      this.stats.completed++;
      pending.resolve({
        lists: new Map(msg.lists),
        warnings: msg.warnings,
        fileSize: msg.fileSize,
        fileMtime: msg.fileMtime,
        runLumis: msg.runLumis,
      });
    } else {
      this.stats.failed++;
      pending.reject(fromErrorRecord(msg.error));
    }
    this.#dispatch();
  }

  /** Kill a worker (crashed or hung), fail its job, start a fresh one. */
  #replace(slot: Slot, error: Error): void {
    clearTimeout(slot.timer);
    slot.worker.terminate();
    const failed = slot.busy;
    const index = this.#slots.indexOf(slot);
    if (this.#closed || index < 0) return;
    this.stats.restarts++;
    this.#slots[index] = this.#spawn();
    if (failed) {
      this.stats.failed++;
      failed.reject(error);
    }
    this.#dispatch();
  }
}
