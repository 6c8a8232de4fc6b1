import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { errorMatching } from "../../tests/support/compare.ts";
import { FileSource, RootFile } from "../root/mod.ts";
import { TESTDATA_DIR } from "../../tests/support/testdata.ts";
import { RenderUnavailableError } from "./errors.ts";
import { RenderPool, type RenderPoolOptions } from "./pool.ts";
import type { RenderRecord, RenderRequest, RenderResult } from "./types.ts";
import {
  childPids,
  DAEMON_BIN,
  options,
  pngSize,
  processRunning,
  sampleRecords,
  SKIP_REASON,
  sleep,
  tempRunDir,
  waitFor,
} from "./_test_support.ts";

const ignore = SKIP_REASON !== null;
const RECORDS = ignore ? new Map<string, RenderRecord>() : await sampleRecords();

function record(label: string): RenderRecord {
  const r = RECORDS.get(label);
  ok(r, `sample record ${label}`);
  return r;
}

function start(extra: Partial<RenderPoolOptions> = {}): Promise<RenderPool> {
  const lines: string[] = [];
  return RenderPool.start({
    command: [DAEMON_BIN],
    count: 2,
    runDir: tempRunDir(),
    log: (line) => lines.push(line),
    ...extra,
  });
}

function th2(width = 400, height = 300): RenderRequest {
  return {
    kind: "objects",
    name: "GEM/Digis/occupancy",
    efficiency: false,
    records: [record("TH2F")],
    options: options(width, height, { drawopts: "colz" }),
  };
}

function assertPng(result: RenderResult, width: number, height: number, what: string): void {
  strictEqual(result.code, 0, `${what}: code (${result.message ?? ""})`);
  deepStrictEqual(pngSize(result.png), { width, height }, `${what}: IHDR`);
}

Deno.test({
  name: "RenderPool.render() returns PNGs of the requested size for scalars and every class",
  ignore,
  async fn() {
    const pool = await start();
    try {
      assertPng(
        await pool.render({ kind: "scalar", text: "ME not found", options: options() }),
        266,
        200,
        "scalar",
      );
      assertPng(
        await pool.render({ kind: "scalar", text: "", options: options(1, 1) }),
        1,
        1,
        "missing scalar",
      );
      for (const [label, rec] of RECORDS) {
        const width = 100 + label.length * 7;
        const result = await pool.render({
          kind: "objects",
          name: `Test/${label}`,
          efficiency: false,
          records: [rec],
          options: options(width, 211),
        });
        assertPng(result, width, 211, label);
      }
      const overlay = await pool.render({
        kind: "objects",
        name: "Test/overlay",
        efficiency: true,
        records: [record("TH1F"), record("TH1F (ROOT 5)"), record("TH1F")],
        options: options(640, 480, {
          ref: "ratiooverlay",
          reflabels: ["Run 1:5", "ref/2"],
          drawopts: "hist,e",
        }),
      });
      assertPng(overlay, 640, 480, "overlay");
      assertPng(await pool.render(th2(4096, 1)), 4096, 1, "4096x1");
      strictEqual(pool.stats.renders, RECORDS.size + 4);
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name: "RenderPool.render() passes daemon error codes and messages through",
  ignore,
  async fn() {
    const pool = await start({ count: 1 });
    try {
      // A ROOT 5 TH1F v1 payload sent as stored: the daemon does not know the version (code 1).
      const f = await RootFile.open(
        await FileSource.open(`${TESTDATA_DIR}dqm-legacy/Reference.root`),
      );
      let key = null;
      for await (const e of f.walk()) if (e.key.fClassName === "TH1F") key ??= e.key;
      const payload = await f.readPayload(key!);
      f.close();
      const slot = new Uint8Array(9 + 4 + payload.length);
      const view = new DataView(slot.buffer);
      view.setUint32(0, (4 + 5 + payload.length) | 0x40000000);
      view.setUint32(4, 0xffffffff);
      slot.set(new TextEncoder().encode("TH1F"), 8);
      slot.set(payload, 13);
      const old = await pool.render({
        kind: "objects",
        name: "x",
        efficiency: false,
        records: [{ bytes: slot, displacement: key!.fKeyLen - 13 }],
        options: options(),
      });
      strictEqual(old.code, 1, old.message);
      const garbage = await pool.render({
        kind: "objects",
        name: "x",
        efficiency: false,
        records: [{
          bytes: new Uint8Array([0x40, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0x41, 0, 1, 2]),
          displacement: 0,
        }],
        options: options(),
      });
      strictEqual(garbage.code, 2);
      ok(
        garbage.png.length > 0 || (garbage.message ?? "").length > 0,
        "garbage: an image or a message",
      );
      assertPng(await pool.render(th2()), 400, 300, "after errors");
      strictEqual(pool.stats.crashes, 0);
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name:
    "RenderPool.render() answers every request of a 200-request load when a daemon is killed with SIGKILL",
  ignore,
  async fn() {
    const pool = await start({ count: 4, queueLimit: 1000 });
    try {
      const n = 200;
      const settled = Promise.allSettled(
        Array.from({ length: n }, () => pool.render(th2(600, 400))),
      );
      ok(await waitFor(() => pool.stats.renders >= 20, 20_000) >= 0, "load started");
      const victim = pool.pids[1]!;
      const killedAt = performance.now();
      Deno.kill(victim, "SIGKILL");
      const recovery = await waitFor(() => pool.alive === 4 && !pool.pids.includes(victim), 5_000);
      const results = await settled;
      const ok200 = results.filter((r) => r.status === "fulfilled" && r.value.code === 0).length;
      const unavailable = results.filter((r) =>
        r.status === "rejected" && r.reason instanceof RenderUnavailableError
      ).length;
      console.log(
        `  kill -9: recovered to 4 alive in ${
          recovery.toFixed(0)
        } ms; ${ok200} ok, ${unavailable} unavailable; ` +
          `stats ${JSON.stringify(pool.stats)}; load took ${
            (performance.now() - killedAt).toFixed(0)
          } ms after the kill`,
      );
      ok(recovery >= 0 && recovery < 1000, `back to 4 alive within 1 s (took ${recovery} ms)`);
      strictEqual(ok200 + unavailable, n, "every request answered");
      ok(unavailable <= 1, "at most the request in flight on the killed daemon fails");
      for (const r of results) if (r.status === "fulfilled") assertPng(r.value, 600, 400, "load");
      strictEqual(pool.stats.crashes, 1);
      strictEqual(pool.stats.restarts, 1);
      ok(!processRunning(victim));
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name:
    "RenderPool.render() kills a hung (SIGSTOP) daemon at the timeout and retries on a fresh daemon",
  ignore,
  async fn() {
    const pool = await start({ count: 1, timeoutMs: 500 });
    try {
      assertPng(await pool.render(th2()), 400, 300, "before");
      const hung = pool.pids[0]!;
      Deno.kill(hung, "SIGSTOP");
      const t0 = performance.now();
      const result = await pool.render(th2(300, 200));
      const took = performance.now() - t0;
      console.log(
        `  SIGSTOP: answered by a fresh daemon ${
          took.toFixed(0)
        } ms after the request (timeout 500 ms)`,
      );
      assertPng(result, 300, 200, "retried");
      ok(took >= 500 && took < 1500, `answered after the timeout plus a restart (${took} ms)`);
      strictEqual(pool.stats.timeouts, 1);
      strictEqual(pool.stats.restarts, 1);
      ok(!pool.pids.includes(hung));
      ok(await waitFor(() => !processRunning(hung), 1000) >= 0, "the hung daemon was killed");
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name:
    "RenderPool.render() fails a request over to the fresh daemon when its daemon dies mid-request",
  ignore,
  async fn() {
    const pool = await start({ count: 1, timeoutMs: 10_000 });
    try {
      const victim = pool.pids[0]!;
      Deno.kill(victim, "SIGSTOP"); // the request below is surely in flight when the daemon dies
      const pending = pool.render(th2(320, 240));
      await sleep(50);
      const t0 = performance.now();
      Deno.kill(victim, "SIGKILL");
      const result = await pending;
      const took = performance.now() - t0;
      console.log(
        `  SIGKILL mid-request: answered by a fresh daemon ${took.toFixed(0)} ms after the kill`,
      );
      assertPng(result, 320, 240, "failed over");
      ok(took < 1000, `answered within 1 s of the kill (${took} ms)`);
      deepStrictEqual([pool.stats.crashes, pool.stats.timeouts, pool.stats.restarts], [1, 0, 1]);
      ok(!pool.pids.includes(victim));
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name: "RenderPool.render() rejects with RenderUnavailableError when the retry times out too",
  ignore,
  async fn() {
    const pool = await start({ count: 2, timeoutMs: 300 });
    try {
      for (const pid of pool.pids) Deno.kill(pid, "SIGSTOP");
      // The first attempt hangs; the retry goes to the other stopped daemon and hangs too.
      await rejects(
        pool.render(th2()),
        errorMatching(RenderUnavailableError, "timed out twice"),
      );
      strictEqual(pool.stats.timeouts, 2);
      ok(await waitFor(() => pool.alive === 2, 2000) >= 0, "both replaced");
      assertPng(await pool.render(th2()), 400, 300, "after");
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name: "RenderPool.render() rejects with RenderUnavailableError when the queue is full",
  ignore,
  async fn() {
    const pool = await start({ count: 1, queueLimit: 3, timeoutMs: 5000 });
    try {
      Deno.kill(pool.pids[0]!, "SIGSTOP"); // keep the daemon busy with the first request
      const running = pool.render(th2());
      const waiting = [pool.render(th2()), pool.render(th2()), pool.render(th2())];
      await rejects(
        pool.render(th2()),
        errorMatching(RenderUnavailableError, "queue is full (3 waiting"),
      );
      strictEqual(pool.stats.rejected, 1);
      strictEqual(pool.queued, 3);
      Deno.kill(pool.pids[0]!, "SIGCONT");
      for (const r of await Promise.all([running, ...waiting])) assertPng(r, 400, 300, "queued");
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name: "RenderPool.render() replaces a daemon that dies while idle",
  ignore,
  async fn() {
    const pool = await start({ count: 2 });
    try {
      const victim = pool.pids[0]!;
      Deno.kill(victim, "SIGKILL");
      const took = await waitFor(() => pool.alive === 2 && !pool.pids.includes(victim), 2000);
      ok(took >= 0 && took < 1000, `back within 1 s (${took} ms)`);
      strictEqual(pool.stats.crashes, 1);
      for (let i = 0; i < 4; i++) assertPng(await pool.render(th2()), 400, 300, "after");
    } finally {
      await pool.close();
    }
  },
});

Deno.test({
  name: "RenderPool.close() leaves no process or directory behind and refuses new requests",
  ignore,
  async fn() {
    const runDir = tempRunDir();
    const pool = await start({ count: 3, runDir });
    const pids = pool.pids;
    strictEqual(pids.length, 3);
    deepStrictEqual(childPids(DAEMON_BIN).sort(), [...pids].sort());
    for (let i = 0; i < 3; i++) {
      ok(Deno.statSync(`${runDir}/render-${i}/socket`).isSocket, `socket ${i}`);
    }
    Deno.kill(pids[2]!, "SIGSTOP");
    const pending = Array.from({ length: 6 }, () => pool.render(th2()).catch((e) => e));
    await pool.close();
    for (const r of await Promise.all(pending)) {
      ok(r instanceof RenderUnavailableError || r.code === 0, "closed or answered");
    }
    for (const pid of pids) ok(!processRunning(pid), `pid ${pid} gone`);
    deepStrictEqual(childPids(DAEMON_BIN), []);
    deepStrictEqual([...Deno.readDirSync(runDir)], []);
    await rejects(pool.render(th2()), errorMatching(RenderUnavailableError, "pool is closed"));
    Deno.removeSync(runDir);
  },
});

Deno.test({
  name: "RenderPool.start() names the command and its output when a daemon exits at start",
  ignore: false,
  async fn() {
    const runDir = tempRunDir();
    await rejects(
      RenderPool.start({
        command: ["sh", "-c", "echo 'cannot load plugin' >&2; exit 3", "dqm-render"],
        count: 2,
        runDir,
      }),
      (e: Error) =>
        e instanceof RenderUnavailableError &&
        /Cannot start render daemon "sh -c/.test(e.message) &&
        /exited with status 3/.test(e.message) && /cannot load plugin/.test(e.message),
    );
    await rejects(
      RenderPool.start({ command: [`${runDir}/no-such-binary`], count: 1, runDir }),
      errorMatching(RenderUnavailableError, "no-such-binary"),
    );
    deepStrictEqual(childPids("dqm-render"), []);
    Deno.removeSync(runDir, { recursive: true });
  },
});

Deno.test({
  name:
    "RenderPool.start() gives up after startTimeoutMs and kills a daemon that never opens its socket",
  ignore: false,
  async fn() {
    const runDir = tempRunDir();
    const t0 = performance.now();
    await rejects(
      RenderPool.start({
        command: ["sh", "-c", "exec sleep 30", "dqm-render"],
        count: 1,
        runDir,
        startTimeoutMs: 300,
      }),
      errorMatching(RenderUnavailableError, 'render-0/socket" after 300 ms'),
    );
    ok(performance.now() - t0 < 2000);
    deepStrictEqual(childPids("sleep 30"), []);
    Deno.removeSync(runDir, { recursive: true });
  },
});

Deno.test({
  name: "RenderPool.render() fails fast with RenderUnavailableError while no daemon can be started",
  ignore,
  async fn() {
    const runDir = tempRunDir();
    const bin = `${runDir}/dqm-render-copy`;
    Deno.copyFileSync(DAEMON_BIN, bin);
    Deno.chmodSync(bin, 0o755);
    const pool = await start({
      command: [bin],
      count: 1,
      runDir: `${runDir}/run`,
      startTimeoutMs: 500,
    });
    try {
      Deno.removeSync(bin);
      Deno.kill(pool.pids[0]!, "SIGKILL");
      ok(await waitFor(() => pool.alive === 0, 1000) >= 0);
      await sleep(100);
      await rejects(
        pool.render(th2()),
        errorMatching(RenderUnavailableError, "no render daemon is running"),
      );
    } finally {
      await pool.close();
      Deno.removeSync(runDir, { recursive: true });
    }
  },
});
