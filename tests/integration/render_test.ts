import assert from "node:assert/strict";
import { type AppFixture, startApp } from "../support/app_fixture.ts";
import { testFiles } from "../support/testdata.ts";

const DATASET = "/Render/Test-v1/ROOT";
const GEM = testFiles(["dqm-legacy"]).find((f) => f.name.startsWith("DQM_V0001_GEM"))!;

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    "PNG signature",
  );
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

async function get(t: AppFixture, url: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(url, { headers });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

async function withGem(fn: (t: AppFixture) => Promise<void>, renderers = 2) {
  const t = await startApp({ renderers });
  try {
    await Deno.copyFile(GEM.path, `${t.root}/gem.root`);
    for (const run of [1, 2]) {
      await t.register([{
        dataset: DATASET,
        run,
        lumi: 0,
        file: `${t.root}/gem.root`,
        fileformat: 1,
      }]);
    }
    await fn(t);
  } finally {
    await t.close();
  }
}

const ME = "GEM/EventInfo/reportSummaryMap";

Deno.test("GET /api/v1/render draws a PNG of the requested size, with an ETag and 304 when unchanged", async () => {
  await withGem(async (t) => {
    const { res, body } = await get(t, `/api/v1/render/1${DATASET}/${ME}?w=532&h=400`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.deepEqual(pngSize(body), { width: 532, height: 400 });
    const etag = res.headers.get("etag")!;
    assert.equal(
      (await get(t, `/api/v1/render/1${DATASET}/${ME}?w=532&h=400`, { "if-none-match": etag })).res
        .status,
      304,
    );
    const other = await get(t, `/api/v1/render/1${DATASET}/${ME}?w=532&h=400&stats=false`);
    assert.notEqual(other.res.headers.get("etag"), etag);
  });
});

Deno.test("GET /api/v1/render clamps w and h to 1..4096 and rejects unknown option values with 400", async () => {
  await withGem(async (t) => {
    assert.deepEqual(pngSize((await get(t, `/api/v1/render/1${DATASET}/${ME}?w=0&h=-5`)).body), {
      width: 1,
      height: 1,
    });
    assert.deepEqual(
      pngSize((await get(t, `/api/v1/render/1${DATASET}/${ME}?w=99999&h=20`)).body),
      { width: 4096, height: 20 },
    );
    for (
      const [query, name] of [
        ["w=abc", "w"],
        ["stats=yes", "stats"],
        ["xtype=logarithmic", "xtype"],
        ["xmin=one", "xmin"],
        ["ref=side", "ref"],
        ["norm=1", "norm"],
      ]
    ) {
      const { res, body } = await get(t, `/api/v1/render/1${DATASET}/${ME}?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(
        JSON.parse(new TextDecoder().decode(body)).message,
        new RegExp(`Invalid ${name}`),
      );
    }
  });
});

Deno.test("GET /api/v1/render of a missing ME answers an image saying so, with 404", async () => {
  await withGem(async (t) => {
    const { res, body } = await get(
      t,
      `/api/v1/render/1${DATASET}/GEM/EventInfo/noSuchME?w=300&h=100`,
    );
    assert.equal(res.status, 404);
    assert.deepEqual(pngSize(body), { width: 300, height: 100 });
    assert.match(res.headers.get("x-dqm-error")!, /Cannot find ME "GEM\/EventInfo\/noSuchME"/);
    assert.equal((await get(t, `/api/v1/render/9${DATASET}/${ME}`)).res.status, 404);
  });
});

Deno.test("GET /api/v1/render draws scalars as text; overlaying scalars with histograms is a 400", async () => {
  await withGem(async (t) => {
    const scalar = await get(t, `/api/v1/render/1${DATASET}/GEM/EventInfo/iRun`);
    assert.equal(scalar.res.status, 200);
    assert.deepEqual(pngSize(scalar.body), { width: 266, height: 200 });
    const mixed = await get(
      t,
      `/api/v1/render_overlay?obj=archive/1${DATASET}/${ME}&obj=archive/2${DATASET}/GEM/EventInfo/iRun`,
    );
    assert.equal(mixed.res.status, 400);
  });
});

Deno.test("GET /api/v1/render_overlay draws every ref mode, drops a missing overlay with its label", async () => {
  await withGem(async (t) => {
    const h = "GEM/Efficiency/GEMCSCSegment/Efficiency/chamber_GE11-M-L1";
    const base = `/api/v1/render_overlay?obj=archive/1${DATASET}/${h}&obj=archive/2${DATASET}/${h}`;
    for (const ref of ["overlay", "ratiooverlay", "stacked"]) {
      const { res, body } = await get(t, `${base}&ref=${ref}&reflabel=Run%202&w=400&h=300`);
      assert.equal(res.status, 200, ref);
      assert.deepEqual(pngSize(body), { width: 400, height: 300 });
    }
    const a = await get(t, `${base}&reflabel=second`);
    const b = await get(t, `${base}&obj=archive/7${DATASET}/${h}&reflabel=second&reflabel=missing`);
    assert.equal(b.res.status, 200);
    assert.equal(b.res.headers.get("etag"), a.res.headers.get("etag"));
    assert.equal((await get(t, "/api/v1/render_overlay")).res.status, 400);
  });
});

Deno.test("GET /plotfairy/archive takes the legacy option names and ';' separators", async () => {
  await withGem(async (t) => {
    const { res, body } = await get(
      t,
      `/plotfairy/archive/1${DATASET}/${ME}?w=532;h=400;showstats=0;norm=True;showerrbars=1`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(pngSize(body), { width: 532, height: 400 });
    assert.equal(
      (await get(t, `/plotfairy/archive/1${DATASET}/${ME}?showstats=maybe`)).res.status,
      400,
    );
    const overlay = await get(
      t,
      `/plotfairy/overlay?obj=archive/1${DATASET}/${ME};obj=archive/2${DATASET}/${ME};w=200;h=150`,
    );
    assert.deepEqual(pngSize(overlay.body), { width: 200, height: 150 });
  });
});

Deno.test("GET /api/v1/render answers 503 when no render daemon is configured", async () => {
  await withGem(async (t) => {
    const { res } = await get(t, `/api/v1/render/1${DATASET}/${ME}`);
    assert.equal(res.status, 503);
  }, 0);
});

Deno.test("GET /api/v1/render keeps answering while a daemon is killed with SIGKILL under load", async () => {
  await withGem(async (t) => {
    const mes: string[] =
      (await t.getJson(`/api/v1/archive/1${DATASET}/GEM/Efficiency/GEMCSCSegment/Efficiency`)).body
        .data
        .filter((e: { name?: string }) => e.name)
        .map((e: { path: string }) => e.path);
    const urls = Array.from(
      { length: 150 },
      (_, i) => `/api/v1/render/${1 + (i % 2)}${DATASET}/${mes[i % mes.length]}?w=${200 + i}`,
    );
    const pending = urls.map((u) => get(t, u));
    await new Promise((r) => setTimeout(r, 20));
    Deno.kill(t.renderer!.pids[0]!, "SIGKILL");
    const statuses = (await Promise.all(pending)).map((r) => r.res.status);
    assert.ok(statuses.filter((s) => s !== 200).length <= 1, String(statuses));
    const started = performance.now();
    while (t.renderer!.alive < 2 && performance.now() - started < 1000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(t.renderer!.alive, 2);
  });
});

for (const file of testFiles(["dqm-legacy", "root-histos"])) {
  Deno.test(`GET /api/v1/render draws every histogram of ${file.name}`, async () => {
    const t = await startApp({ renderers: 2 });
    try {
      await Deno.copyFile(file.path, `${t.root}/f.root`);
      await t.register([{
        dataset: DATASET,
        run: 1,
        lumi: 0,
        file: `${t.root}/f.root`,
        fileformat: 1,
      }]);
      const walk = async (folder: string): Promise<{ path: string; kind: string }[]> => {
        const { body } = await t.getJson(`/api/v1/archive/1${DATASET}/${folder}`);
        const out: { path: string; kind: string }[] = [];
        for (const e of body.data) {
          if (e.subdir !== undefined) {
            out.push(...await walk(`${folder}${encodeURIComponent(e.subdir)}/`));
          } else out.push({ path: e.path, kind: e.kind });
        }
        return out;
      };
      const drawable = (await walk("")).filter((m) =>
        /^(TH[123][CSIFD]|TProfile2?D?$|Int|Float|String)/.test(m.kind)
      );
      const failures: string[] = [];
      await Promise.all([0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < drawable.length; i += 4) {
          const url = `/api/v1/render/1${DATASET}/${
            drawable[i]!.path.split("/").map(encodeURIComponent).join("/")
          }`;
          const { res, body } = await get(t, url);
          if (res.status !== 200) {
            failures.push(
              `${drawable[i]!.path} (${drawable[i]!.kind}): ${res.status} ${
                res.headers.get("x-dqm-error")
              }`,
            );
          } else if (pngSize(body).width !== 266) failures.push(`${drawable[i]!.path}: wrong size`);
        }
      }));
      assert.deepEqual(failures.slice(0, 10), []);
    } finally {
      await t.close();
    }
  });
}
