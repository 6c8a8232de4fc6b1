import assert from "node:assert/strict";
import { generatePbMEs, writePbFile } from "../../core/writer/mod.ts";
import { startServer } from "../../tools/bench/_server.ts";

const DATASET = "/Global/Online/ALL";
const RUN = 400950;
const INTERVAL_MS = 2000;
const SNAPSHOTS = 30; // one minute

/** A snapshot whose EventInfo/iLumiSection (in every subsystem) is `i + 1`. */
function snapshot(i: number): Uint8Array {
  const mes = generatePbMEs({ count: 400, seed: 3, contentSeed: 100 + i, run: RUN });
  for (const me of mes) {
    if (me.path.endsWith("/EventInfo/iLumiSection")) me.value = { kind: "Int", value: i + 1 };
  }
  return writePbFile({ mes, clients: 2, variant: i % 3 === 2 ? "gzip" : "zlib" });
}

interface SseEvent {
  type: string;
  data: Record<string, unknown>;
  at: number;
}

async function readSse(url: string, into: SseEvent[], signal: AbortSignal): Promise<void> {
  const res = await fetch(url, { signal });
  assert.equal(res.headers.get("content-type")?.split(";")[0], "text/event-stream");
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) into.push({ type, data: JSON.parse(data), at: performance.now() });
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

Deno.test({
  name:
    "live mode: HLTD registers a snapshot every 2 s for a minute while clients list, render and hold an SSE stream",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await startServer(["--renderers", "2"]);
    const stop = new AbortController();
    const events: SseEvent[] = [];
    const failures: string[] = [];
    const registered: { file: string; done: number }[] = [];
    try {
      const sse = readSse(`${server.url}/api/v1/live/events`, events, stop.signal);
      let seen = { run: 0, lumi: 0 };
      let reads = 0;
      let renders = 0;
      const lister = (async () => {
        while (!stop.signal.aborted) {
          const runs = (await (await fetch(`${server.url}/api/v1/latest_runs?search=4009`)).json())
            .runs as number[];
          if (runs.length) {
            const run = runs[0]!;
            const res = await fetch(
              `${server.url}/api/v1/archive/${run}${DATASET}/PixelPhase1/EventInfo`,
            );
            if (res.status !== 200) {
              failures.push(`archive ${run}: ${res.status} ${await res.text()}`);
            } else {
              const data = (await res.json()).data as { name?: string; value?: string }[];
              const lumi = Number(data.find((e) => e.name === "iLumiSection")?.value);
              if (run < seen.run || (run === seen.run && lumi < seen.lumi)) {
                failures.push(`went back: ${run}:${lumi} after ${seen.run}:${seen.lumi}`);
              }
              seen = { run, lumi };
              reads++;
            }
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const renderer = (async () => {
        while (!stop.signal.aborted) {
          const run = seen.run;
          if (run) {
            const url =
              `${server.url}/api/v1/render/${run}${DATASET}/PixelPhase1/EventInfo/reportSummaryMap?w=300&h=200`;
            const res = await fetch(url);
            await res.arrayBuffer();
            if (res.status !== 200) failures.push(`render ${run}: ${res.status}`);
            renders++;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

      // The producer: HLTD's anelasticDQM registering concatenated snapshots.
      for (let i = 0; i < SNAPSHOTS; i++) {
        const started = performance.now();
        const run = i < SNAPSHOTS / 2 ? RUN : RUN + 1;
        const file = `${server.files}/run${run}_DQMLive_concat_${i}.pb`;
        await Deno.writeFile(file, snapshot(i));
        const res = await fetch(`${server.url}/api/v1/register`, {
          method: "POST",
          body: JSON.stringify([{ dataset: DATASET, run, lumi: 0, file, fileformat: 3 }]),
        });
        assert.equal(res.status, 201, await res.text());
        registered.push({ file, done: performance.now() });
        if (i === 20) {
          // A truncated snapshot is refused; the previous one keeps serving.
          const broken = `${server.files}/run${run}_DQMLive_concat_broken.pb`;
          await Deno.writeFile(broken, snapshot(i).subarray(0, 5000));
          const bad = await fetch(`${server.url}/api/v1/register`, {
            method: "POST",
            body: JSON.stringify([{ dataset: DATASET, run, lumi: 0, file: broken, fileformat: 3 }]),
          });
          assert.equal(bad.status, 422);
          assert.match((await bad.json()).message, /concat_broken\.pb/);
        }
        await new Promise((r) =>
          setTimeout(r, Math.max(0, INTERVAL_MS - (performance.now() - started)))
        );
      }
      await new Promise((r) => setTimeout(r, 300));
      stop.abort();
      await Promise.all([lister, renderer, sse]);

      assert.deepEqual(failures, []);
      assert.ok(reads > 100 && renders > 100, `${reads} reads, ${renders} renders`);
      assert.equal(seen.run, RUN + 1);
      assert.equal(seen.lumi, SNAPSHOTS);
      for (const r of registered) {
        const e = events.find((e) => e.type === "snapshot" && e.data.file === r.file);
        assert.ok(e, `no event for ${r.file}`);
        assert.ok(
          e.at - r.done < 1000,
          `event for ${r.file} ${Math.round(e.at - r.done)} ms after the registration`,
        );
      }
      assert.deepEqual(events.filter((e) => e.type === "run").map((e) => e.data.run), [
        RUN,
        RUN + 1,
      ]);
    } finally {
      stop.abort();
      await server.stop();
    }
  },
});
