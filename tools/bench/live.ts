/**
 * @module
 * Live-mode benchmark through the real server (child process, loopback):
 * HLTD's loop of registering a new 50,000-ME protobuf snapshot for
 * `/Global/Online/ALL`, with a client holding the SSE stream. Measured per
 * registration: the POST until its 201 (the snapshot is imported before the
 * answer), the POST until the `snapshot` event reaches the SSE client, and
 * the first listing of the new snapshot's root folder after the 201.
 * Run standalone with `deno run -A tools/bench/live.ts`.
 */

import { generatePbMEs, writePbFile } from "../../core/writer/mod.ts";
import { type BenchRow, median, row } from "./_rows.ts";
import { startServer } from "./_server.ts";

const DATASET = "/Global/Online/ALL";

/** Reads `snapshot` events off an SSE response and resolves waiters by file. */
class SnapshotEvents {
  readonly #waiters = new Map<string, (at: number) => void>();
  readonly #arrived = new Map<string, number>();
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
    this.#pump();
  }

  async #pump(): Promise<void> {
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) return;
        buffer += this.#decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          this.#onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // cancelled at the end of the run
    }
  }

  #onEvent(block: string): void {
    const at = performance.now();
    if (!block.includes("event: snapshot")) return;
    const data = block.split("\n").find((l) => l.startsWith("data: "));
    if (!data) return;
    const { file } = JSON.parse(data.slice(6)) as { file: string };
    this.#arrived.set(file, at);
    this.#waiters.get(file)?.(at);
  }

  /** When the event for `file` arrived (waits for it, at most 10 s). */
  arrival(file: string): Promise<number> {
    const seen = this.#arrived.get(file);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SSE event for ${file}`)), 10_000);
      this.#waiters.set(file, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  close(): Promise<void> {
    return this.#reader.cancel();
  }
}

/**
 * Run the live-mode benchmark.
 *
 * @param count MEs per snapshot
 * @param registrations snapshots registered (one at a time, as HLTD does)
 * @returns the measured rows
 */
export async function benchLive(count = 50_000, registrations = 9): Promise<BenchRow[]> {
  const mes = generatePbMEs({ count, seed: 7, maxEntries: 200 });
  const bytes = writePbFile({ mes, clients: 4, variant: "zlib" });
  const server = await startServer();
  const events = await fetch(`${server.url}/api/v1/live/events`);
  if (!events.ok || !events.body) throw new Error(`Cannot open the SSE stream: ${events.status}`);
  const sse = new SnapshotEvents(events.body);
  const run = 401_000;
  const toAnswer: number[] = [];
  const toEvent: number[] = [];
  const firstList: number[] = [];
  try {
    for (let i = 0; i <= registrations; i++) {
      const file = `${server.files}/run${run}_DQMLive_concat_${String(i).padStart(4, "0")}.pb`;
      await Deno.writeFile(file, bytes);
      const start = performance.now();
      await server.register([{ dataset: DATASET, run, lumi: 0, file, fileformat: 3 }]);
      const answered = performance.now();
      const listing = await fetch(`${server.url}/api/v1/archive/${run}${DATASET}/`);
      await listing.arrayBuffer();
      const listed = performance.now();
      if (!listing.ok) throw new Error(`Cannot list the snapshot: ${listing.status}`);
      const arrived = await sse.arrival(file);
      if (i === 0) continue; // warm-up: JIT of the worker and the server
      toAnswer.push(answered - start);
      toEvent.push(arrived - start);
      firstList.push(listed - answered);
    }
  } finally {
    await sse.close();
    await server.stop();
  }
  const what = `${count.toLocaleString("en")}-ME snapshot`;
  return [
    row(`register a ${what}: POST until 201 (imported)`, median(toAnswer), "ms", "<= 1000"),
    row(`same: POST until the SSE "snapshot" event`, median(toEvent), "ms", "<= 1000"),
    row(`same: first root listing of the new snapshot`, median(firstList), "ms"),
  ];
}

if (import.meta.main) {
  const { formatRows } = await import("./_rows.ts");
  console.log(formatRows(await benchLive()));
}
