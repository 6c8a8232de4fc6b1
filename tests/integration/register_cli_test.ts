import assert from "node:assert/strict";
import { startServer } from "../../tools/bench/_server.ts";
import { parseDqmFileName } from "../../tools/register.ts";
import { testFiles } from "../support/testdata.ts";

const CLI = new URL("../../tools/register.ts", import.meta.url).pathname;

async function register(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", CLI, ...args],
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("parseDqmFileName() takes run and dataset from the DQM file-name convention", () => {
  assert.deepEqual(
    parseDqmFileName("/x/DQM_V0001_R000320822__ZeroBias__Run2018B-PromptReco-v1__DQMIO.root"),
    {
      run: 320822,
      dataset: "/ZeroBias/Run2018B-PromptReco-v1/DQMIO",
    },
  );
  assert.equal(parseDqmFileName("DQM_V0001_GEM_R000344518.root"), null);
});

Deno.test("register CLI registers files by name convention and content, and reports server refusals", async () => {
  const server = await startServer();
  try {
    const gem = testFiles(["dqm-legacy"]).find((f) => f.name.startsWith("DQM_V0001_GEM"))!;
    const file = `${server.files}/DQM_V0001_R000344518__GEM__Commissioning2022-v1__DQMIO.root`;
    await Deno.copyFile(gem.path, file);
    const ok = await register(["--server", server.url, file]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Registered 1 sample/);
    const samples = (await (await fetch(`${server.url}/api/v1/samples`)).json()).data;
    assert.deepEqual(samples, [{
      run: 344518,
      lumi: 0,
      dataset: "/GEM/Commissioning2022-v1/DQMIO",
    }]);

    const outside = await register([
      "--server",
      server.url,
      "--run",
      "1",
      "--dataset",
      "/A/B/C",
      gem.path,
    ]);
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /HTTP 403: Cannot register .* outside every data root/);

    const noName = await register(["--server", server.url, gem.path]);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /give --run and --dataset/);
    assert.equal((await register(["--server", server.url, "--run", "x", file])).code, 2);
    assert.equal((await register([])).code, 2);
    const down = await register(["--server", "http://127.0.0.1:9", file]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Cannot reach the server/);
  } finally {
    await server.stop();
  }
});
