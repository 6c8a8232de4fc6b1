/**
 * @module
 * Compares an object decoded by JSROOT with the source object our writer
 * serialised: every member of the source must come back with the same value.
 * Numbers may differ only by float32 rounding (members ROOT stores as
 * `float`), and an empty source array matches a missing member.
 */

import { fail } from "node:assert/strict";

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/**
 * Asserts that `actual` (decoded by JSROOT) carries every member of
 * `expected` (what we wrote) with an equal value, recursively.
 *
 * @param actual the decoded object
 * @param expected the source object
 * @param path where we are, for messages
 */
export function assertMatchesSource(actual: unknown, expected: unknown, path = "object"): void {
  if (expected === null || expected === undefined) {
    if (actual !== null && actual !== undefined) fail(`${path}: expected null, got ${actual}`);
    return;
  }
  if (typeof expected === "number") {
    if (typeof actual !== "number") fail(`${path}: expected number ${expected}, got ${actual}`);
    const same = actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)) ||
      actual === Math.fround(expected);
    if (!same) fail(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (typeof expected !== "object") {
    if (actual !== expected) fail(`${path}: expected ${String(expected)}, got ${String(actual)}`);
    return;
  }
  if (isArrayLike(expected)) {
    if ((actual === null || actual === undefined) && expected.length === 0) return;
    if (!isArrayLike(actual)) fail(`${path}: expected an array, got ${String(actual)}`);
    if (actual.length !== expected.length) {
      fail(`${path}: expected ${expected.length} elements, got ${actual.length}`);
    }
    for (let i = 0; i < expected.length; i++) {
      assertMatchesSource(actual[i], expected[i], `${path}[${i}]`);
    }
    return;
  }
  if (typeof actual !== "object" || actual === null) {
    fail(`${path}: expected an object, got ${String(actual)}`);
  }
  for (const [key, value] of Object.entries(expected)) {
    assertMatchesSource((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  }
}

/**
 * A validator for `assert.throws`/`assert.rejects` that checks the error
 * class and a message substring together (STYLE rule 22).
 *
 * @param cls expected error class
 * @param substring text the message must contain
 * @returns the validator
 */
export function errorMatching(
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => Error,
  substring: string,
): (e: unknown) => boolean {
  return (e) => {
    if (!(e instanceof cls)) fail(`expected ${cls.name}, got ${String(e)}`);
    if (!e.message.includes(substring)) {
      fail(`expected a message containing "${substring}", got "${e.message}"`);
    }
    return true;
  };
}
