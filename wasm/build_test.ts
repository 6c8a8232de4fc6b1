/**
 * Tests for wasm/build.ts: the build is deterministic and the committed
 * `wasm/lib` is exactly what the sources produce (the same check as
 * `wasm/build.ts --check`, so a stale binary also fails `deno task test`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { build, GENERATED_HEADER, readExports } from "./build.ts";
import { hasCommand } from "./_test_helpers.ts";

const HAS_EMCC = await hasCommand(Deno.env.get("EMCC") ?? "emcc");

Deno.test({
  name: "build() gives identical bytes twice, equal to the committed wasm/lib",
  ignore: !HAS_EMCC, // reason: emcc (Debian's "emscripten" package) is not installed
  fn: async () => {
    const first = await build();
    const second = await build();
    assert.deepEqual(second.wasm, first.wasm);
    assert.equal(second.readme, first.readme);
    const committed = await Deno.readFile(new URL("./lib/decoders.wasm", import.meta.url));
    assert.deepEqual(
      first.wasm,
      committed,
      "wasm/lib/decoders.wasm is stale: run deno task build:wasm",
    );
    const readme = await Deno.readTextFile(new URL("./lib/README.md", import.meta.url));
    assert.equal(first.readme, readme);
  },
});

Deno.test("readExports() lists the C functions wasm/mod.ts calls, and the README says it is generated", async () => {
  assert.deepEqual(await readExports(), [
    "malloc",
    "free",
    "rd_xz_ctx_new",
    "rd_xz_ctx_free",
    "rd_xz_decode",
    "rd_lz4_decode_block",
    "rd_xxh64",
    "rd_strerror",
  ]);
  const readme = await Deno.readTextFile(new URL("./lib/README.md", import.meta.url));
  assert.equal(readme.split("\n")[0], GENERATED_HEADER);
});

Deno.test("readExports() names only functions the committed module exports, which imports only stubs", async () => {
  const module = await WebAssembly.compile(
    await Deno.readFile(new URL("./lib/decoders.wasm", import.meta.url)),
  );
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const name of await readExports()) assert.ok(exported.has(name), name);
  assert.deepEqual(
    WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`),
    ["env.emscripten_notify_memory_growth"],
  );
});
