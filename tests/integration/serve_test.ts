import assert from "node:assert/strict";
import { startServer } from "../../tools/bench/_server.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function runMain(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", MAIN, ...args],
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("main.ts --help documents every option", async () => {
  const { code, stdout } = await runMain(["--help"]);
  assert.equal(code, 0);
  for (
    const option of [
      "--host",
      "--port",
      "--state-dir",
      "--data-root",
      "--renderers",
      "--no-demo",
      "--register-token",
    ]
  ) {
    assert.ok(stdout.includes(option), option);
  }
});

Deno.test("main.ts rejects unknown options and bad numbers with exit code 2", async () => {
  assert.equal((await runMain(["--bogus"])).code, 2);
  const bad = await runMain(["--port", "http"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid --port/);
});

Deno.test("main.ts serves the demo data set on an empty state directory, logs to the state directory", async () => {
  const server = await startServer([], { demo: true });
  try {
    let samples: unknown[] = [];
    for (let i = 0; i < 100 && samples.length === 0; i++) {
      samples = (await (await fetch(`${server.url}/api/v1/samples`)).json()).data;
      if (samples.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(samples.length, 5);
    const first = samples[0] as { run: number; dataset: string };
    const listing =
      await (await fetch(`${server.url}/api/v1/archive/${first.run}${first.dataset}/`)).json();
    assert.ok(listing.data.length > 5);
    const log = await Deno.readTextFile(`${server.state}/logs/dqmgui.log`);
    assert.match(log, /INFO DQM GUI listening on http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(log, /ACCESS GET \/api\/v1\/samples 200/);
  } finally {
    await server.stop();
  }
});

Deno.test("main.ts registers files over HTTP from a configured data root only", async () => {
  const server = await startServer();
  try {
    const bad = await fetch(`${server.url}/api/v1/register`, {
      method: "POST",
      body: JSON.stringify([{
        dataset: "/A/B/C",
        run: 1,
        lumi: 0,
        file: "/etc/hostname",
        fileformat: 1,
      }]),
    });
    assert.equal(bad.status, 403);
    await bad.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("main.ts --demo-live advances an online run and announces each snapshot", async () => {
  const server = await startServer(["--demo-live", "--demo-live-interval", "1"], { demo: true });
  const stop = new AbortController();
  try {
    const res = await fetch(`${server.url}/api/v1/live/events`, { signal: stop.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while ((text.match(/event: snapshot/g) ?? []).length < 2) {
      text += (await reader.read()).value ?? "";
    }
    const files = [...text.matchAll(/"file":"([^"]+)"/g)].map((m) => m[1]);
    assert.notEqual(files[0], files[1]);
    const status = await (await fetch(`${server.url}/api/v1/live/status`)).json();
    assert.equal(status.snapshots[0].dataset, "/Global/Online/ALL");
    const listing = await (await fetch(
      `${server.url}/api/v1/archive/${status.snapshots[0].run}/Global/Online/ALL/`,
    )).json();
    assert.ok(listing.data.length > 5);
  } finally {
    stop.abort();
    await server.stop();
  }
});
