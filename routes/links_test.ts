import assert from "node:assert/strict";
import { startApp } from "../tests/support/app_fixture.ts";

Deno.test("short links: POST gives a stable id, GET /l/{id} redirects to the view", async () => {
  const t = await startApp();
  try {
    const view = "?ds=%2FZeroBias%2FRun2026A-PromptReco-v1%2FDQMIO&run=400853&dir=Summary&size=s";
    const post = (url: unknown) =>
      t.app.request("/api/v1/links", {
        method: "POST",
        body: JSON.stringify({ url }),
        headers: { "content-type": "application/json" },
      });
    const first = await post(view);
    assert.equal(first.status, 201);
    const { id, link } = await first.json();
    assert.match(id, /^[0-9A-Za-z]{8}$/);
    assert.equal(link, `l/${id}`);
    assert.equal((await (await post(view)).json()).id, id, "the same view, the same id");
    const other = (await (await post("?run=1")).json()).id;
    assert.notEqual(other, id);

    const res = await t.app.request(`/l/${id}`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), `../${view}`);
    // Resolved against the link itself, under any base path:
    assert.equal(
      new URL(res.headers.get("location")!, `https://host/dqm/offline/l/${id}`).href,
      `https://host/dqm/offline/${view}`,
    );

    const missing = await t.app.request("/l/nothere1");
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).message, /Cannot find short link "nothere1"/);

    for (
      const [body, message] of [
        ["https://evil.example/", /url: expected the query string of the app/],
        ["?" + "x".repeat(9000), /url: expected at most 8192 characters/],
        [42, /url: /],
      ] as const
    ) {
      const bad = await post(body);
      assert.equal(bad.status, 400, String(body).slice(0, 40));
      assert.match((await bad.json()).message, message);
    }
    const notJson = await t.app.request("/api/v1/links", { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
  } finally {
    await t.close();
  }
});
