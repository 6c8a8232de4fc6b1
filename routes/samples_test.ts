import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";
import { testFiles } from "../tests/support/testdata.ts";

async function withSamples(fn: (t: Awaited<ReturnType<typeof startApp>>) => Promise<void>) {
  const t = await startApp();
  try {
    const file = `${t.root}/f.root`;
    await Deno.copyFile(
      testFiles(["root-histos"]).find((f) => f.name === "TH2_5.root")!.path,
      file,
    );
    const rows = [
      ["/ZeroBias/Run2018B-PromptReco-v1/DQMIO", 317182, 0],
      ["/ZeroBias/Run2018B-PromptReco-v1/DQMIO", 317183, 0],
      ["/ZeroBias/Run2018B-PromptReco-v1/DQMIO", 317182, 1],
      ["/ZeroBias/Run2018B-PromptReco-v1/DQMIO", 317182, 15],
      ["/Cosmics/Run2017A-PromptReco-v1/DQMIO", 295120, 0],
      ["/A_B/x%y/DQMIO", 5, 0],
      ["/Global/Online/ALL", 0, 0],
    ] as const;
    const res = await t.register(
      rows.map(([dataset, run, lumi]) => ({ dataset, run, lumi, file, fileformat: 1 })),
    );
    assert.equal(res.status, 201);
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /api/v1/samples filters by run substring, dataset substring and the lumi rule", async () => {
  await withSamples(async (t) => {
    const runs = async (q: string) =>
      (await t.getJson(`/api/v1/samples${q}`)).body.data.map((s: { run: number; lumi: number }) =>
        `${s.run}:${s.lumi}`
      );
    assert.deepEqual(await runs("?run=3171&dataset=zerobias"), ["317183:0", "317182:0"]);
    assert.deepEqual(await runs("?run=317182&lumi=-1"), ["317182:1", "317182:15"]);
    assert.deepEqual(await runs("?run=317182;lumi=1"), ["317182:1"]);
    assert.deepEqual(await runs("?dataset=_B"), ["5:0"]);
    assert.deepEqual(await runs("?dataset=%25"), ["5:0"]);
    assert.deepEqual((await t.getJson("/api/v1/samples?lumi=x")).status, 400);
    assert.deepEqual((await t.getJson("/api/v1/samples?run=abc")).status, 400);
    const all = (await t.getJson("/api/v1/samples")).body.data;
    assert.deepEqual(all.map((s: { dataset: string; run: number }) => `${s.dataset} ${s.run}`), [
      "/A_B/x%y/DQMIO 5",
      "/Cosmics/Run2017A-PromptReco-v1/DQMIO 295120",
      "/Global/Online/ALL 0",
      "/ZeroBias/Run2018B-PromptReco-v1/DQMIO 317183",
      "/ZeroBias/Run2018B-PromptReco-v1/DQMIO 317182",
    ]);
    assert.deepEqual(all[0], { run: 5, lumi: 0, dataset: "/A_B/x%y/DQMIO" });
  });
});

Deno.test("GET /data/json/samples answers in the legacy shape", async () => {
  await withSamples(async (t) => {
    const { body } = await t.getJson("/data/json/samples?match=ZeroBias&run=317182:-1");
    assert.deepEqual(body, {
      samples: [{
        type: "offline_data",
        items: [
          { run: "317182:1", dataset: "/ZeroBias/Run2018B-PromptReco-v1/DQMIO" },
          { run: "317182:15", dataset: "/ZeroBias/Run2018B-PromptReco-v1/DQMIO" },
        ],
      }],
    });
  });
});

Deno.test("GET /api/v1/datasets, /api/v1/latest_runs and /api/v1/lumis answer sorted lists", async () => {
  await withSamples(async (t) => {
    assert.deepEqual((await t.getJson("/api/v1/datasets?search=PROMPT")).body, {
      datasets: ["/Cosmics/Run2017A-PromptReco-v1/DQMIO", "/ZeroBias/Run2018B-PromptReco-v1/DQMIO"],
    });
    assert.deepEqual((await t.getJson("/api/v1/latest_runs")).body, {
      runs: [317183, 317182, 295120, 5, 0],
    });
    assert.deepEqual((await t.getJson("/api/v1/latest_runs?search=18")).body, {
      runs: [317183, 317182],
    });
    assert.deepEqual(
      (await t.getJson("/api/v1/lumis/317182/ZeroBias/Run2018B-PromptReco-v1/DQMIO")).body,
      [0, 1, 15],
    );
    assert.deepEqual(
      (await t.getJson("/api/v1/lumis/1/ZeroBias/Run2018B-PromptReco-v1/DQMIO")).body,
      [],
    );
    assert.equal(
      (await t.getJson("/api/v1/lumis/x/ZeroBias/Run2018B-PromptReco-v1/DQMIO")).status,
      400,
    );
  });
});

Deno.test("GET of an unknown endpoint answers 404 JSON; /api/v1/host answers the host name", async () => {
  await withSamples(async (t) => {
    const missing = await t.getJson("/api/v1/nope");
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no such endpoint/);
    assert.deepEqual((await t.getJson("/api/v1/host")).body, { host: "Not specified" });
  });
});
