/**
 * @module
 * Runs the drawing side's C++ golden-image and structural tests
 * (`golden_test.cc`): builds them with `build_harness.sh` and checks that
 * every case passed. The reference PNGs live in `tests/golden/render/`;
 * `build/harness/golden_test --update` (run from `render-native/`) rewrites them.
 */

import { ok } from "node:assert/strict";

const RENDER_NATIVE = new URL("..", import.meta.url).pathname;

Deno.test("renderPng() matches the golden images and passes the structural checks", async () => {
  const out = await new Deno.Command("sh", {
    args: ["tests/build_harness.sh", "test"],
    cwd: RENDER_NATIVE,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  ok(out.success, text);
  ok(/^\d+ passed, 0 failed$/m.test(text), text);
});
