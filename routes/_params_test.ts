import assert from "node:assert/strict";
import { regexHazard, userRegex } from "./_params.ts";

Deno.test("regexHazard() refuses nested repetition and back-references, allows common searches", () => {
  for (const p of ["(a+)+$", "(\\w*x)*", "(a{2,})*", "((a+))+", "(?:a*)+", "(a)\\1"]) {
    assert.ok(regexHazard(p), p);
  }
  for (
    const p of [
      "^Pixel/.*charge",
      "h_1[0-9]$",
      "(EB|EE)+",
      "([a-z]+)/x",
      "(a+)?",
      "x{2}",
      "[(a+)+]",
    ]
  ) {
    assert.equal(regexHazard(p), undefined, p);
  }
});

Deno.test("regexHazard() keeps an exponential pattern off the event loop", () => {
  // The pattern it refuses would take seconds on a 30-character path; refusing takes microseconds.
  const started = performance.now();
  assert.throws(() => userRegex("(a+)+$", "q"), /Invalid q: a repeated group/);
  assert.ok(performance.now() - started < 50);
  assert.throws(() => userRegex("(", "q"), /Invalid q: /);
  assert.throws(() => userRegex("x".repeat(1001), "q"), /longer than 1000 characters/);
  assert.equal(userRegex("", "q"), undefined);
  assert.ok(userRegex("PIXEL", "q")!.test("pixel"), "case-insensitive");
});
