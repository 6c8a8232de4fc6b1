/**
 * @module
 * Test support: summarise a decoded histogram or TObjString in the shape of
 * `../shared/testdata/expected/*.json` (what JSROOT reads from each file), and
 * compare two summaries with a relative tolerance, so our reader can be
 * checked field by field against JSROOT's reading.
 */

import type { RootObject } from "../../core/root/models/types.ts";
import { histogramSummary } from "./jsroot_dump.ts";

/** One object's summary, as in expected/*.json. */
export type ObjectSummary = Record<string, unknown>;

/**
 * Summarise an object the way the expected files do (histograms through the
 * same summary the JSROOT reference uses).
 *
 * @param obj decoded object
 * @returns the summary, or null for classes the expected files do not summarise
 */
export function summarise(obj: RootObject): ObjectSummary | null {
  if (obj._typename === "TObjString") return { class: "TObjString", value: obj.fString };
  if (!("fArray" in obj) || !("fXaxis" in obj)) return null;
  return histogramSummary(obj) as unknown as ObjectSummary;
}

/**
 * Differences between two JSON-like values, numbers compared with a relative
 * tolerance.
 *
 * @param actual our value
 * @param expected reference value
 * @param rel relative tolerance for numbers
 * @param path location, for messages
 * @returns human-readable differences (empty when equal)
 */
export function diff(actual: unknown, expected: unknown, rel = 1e-9, path = ""): string[] {
  // JSON has no NaN: the reference dump wrote NaN as null.
  if (expected === null && typeof actual === "number" && Number.isNaN(actual)) return [];
  if (typeof expected === "number" && typeof actual === "number") {
    const scale = Math.max(Math.abs(expected), Math.abs(actual));
    if (
      actual === expected || Math.abs(actual - expected) <= rel * scale ||
      (Number.isNaN(actual) && Number.isNaN(expected))
    ) {
      return [];
    }
    return [`${path}: ${actual} != ${expected}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [
        `${path}: ${JSON.stringify(actual)?.slice(0, 80)} != ${
          JSON.stringify(expected).slice(0, 80)
        }`,
      ];
    }
    return expected.flatMap((e, i) => diff(actual[i], e, rel, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      return [`${path}: ${JSON.stringify(actual)} is not an object`];
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    return [...keys].flatMap((k) => diff(a[k], e[k], rel, `${path}.${k}`));
  }
  return actual === expected
    ? []
    : [`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`];
}
