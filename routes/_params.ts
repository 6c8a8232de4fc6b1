/**
 * @module
 * Request parsing shared by the routes: query strings with `&` or `;`
 * separators (the original's frontend and old tools send `;`, spec/api.md
 * §2.1), the `run[:lumi]` path segment, the dataset / ME path split, and
 * `notOlderThan`. Every failure is a 400 naming the parameter (the original
 * answered 500, or 200 with an error message).
 */

import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

/** Parsed query: every value of every key, in order. */
export type Query = Map<string, string[]>;

/**
 * Parse a raw query string, splitting on `&` and `;`, `+` meaning space.
 *
 * @param url request URL
 * @returns the parameters
 */
export function parseQuery(url: string): Query {
  const q: Query = new Map();
  const at = url.indexOf("?");
  if (at < 0) return q;
  const hash = url.indexOf("#", at);
  const raw = url.slice(at + 1, hash < 0 ? undefined : hash);
  for (const part of raw.split(/[&;]/)) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decode(part.slice(eq + 1));
    const list = q.get(key);
    if (list) list.push(value);
    else q.set(key, [value]);
  }
  return q;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll("+", " "));
  } catch {
    throw badRequest(`Invalid query string: malformed percent-encoding in "${s}"`);
  }
}

/**
 * The first value of each key, as a plain object for schema validation.
 *
 * @param q parsed query
 * @returns key → first value
 */
export function firstValues(q: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) out[k] = v[0]!;
  return out;
}

/**
 * A 400 response with a JSON message.
 *
 * @param message what was wrong
 * @returns the exception to throw
 */
export function badRequest(message: string): HTTPException {
  return new HTTPException(400, {
    message,
    res: new Response(JSON.stringify({ message }), {
      status: 400,
      headers: { "content-type": "application/json; charset=utf-8" },
    }),
  });
}

/**
 * Validate with a zod schema; a failure becomes a 400 naming the fields.
 *
 * @param schema the endpoint's schema
 * @param value input
 * @param what "query" or "body", for the message
 * @returns the parsed value
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")
      .replace(/^\./, "");
    return path ? `${path}: ${i.message}` : i.message;
  });
  throw badRequest(`Invalid ${what}: ${problems.join("; ")}`);
}

/** A sample selected in a URL. */
export interface SampleRef {
  dataset: string;
  run: number;
  lumi: number;
  /** ME path or folder after the dataset ("" for none). */
  path: string;
}

const RUN_LUMI = /^(\d{1,10})(?::(\d{1,10}))?$/;

/**
 * Parse `run[:lumi]`.
 *
 * @param text the path segment
 * @returns run and lumi (0 when absent)
 */
export function parseRunLumi(text: string): { run: number; lumi: number } {
  const m = RUN_LUMI.exec(text);
  if (!m) {
    throw badRequest(
      `Invalid run: expected "<run>" or "<run>:<lumi>" with non-negative integers, got "${text}"`,
    );
  }
  return { run: Number(m[1]), lumi: m[2] === undefined ? 0 : Number(m[2]) };
}

/**
 * Split `<primary>/<processed>/<tier>/<path...>` into the dataset and the rest.
 *
 * @param runText `run[:lumi]`
 * @param tail everything after the run segment
 * @returns the sample and path
 */
export function parseSampleRef(runText: string, tail: string): SampleRef {
  const { run, lumi } = parseRunLumi(runText);
  return { ...parseDatasetPath(tail), run, lumi };
}

/**
 * Split `<primary>/<processed>/<tier>[/<path>]` of a URL.
 *
 * @param tail the URL part after the run (or after the endpoint)
 * @returns the dataset ("/A/B/C") and what follows it ("" for nothing)
 * @throws {HTTPException} 400 when the three dataset parts are not all there
 */
export function parseDatasetPath(tail: string): { dataset: string; path: string } {
  const parts = tail.replace(/^\/+/, "").split("/");
  if (parts.length < 3 || parts.slice(0, 3).some((p) => p === "")) {
    throw badRequest(
      `Invalid dataset: expected "/<primary>/<processed>/<tier>" in the URL, got "/${tail}"`,
    );
  }
  return { dataset: "/" + parts.slice(0, 3).join("/"), path: parts.slice(3).join("/") };
}

/**
 * `notOlderThan`: epoch seconds, digits only.
 *
 * @param q parsed query
 * @returns the timestamp, or undefined when absent or 0
 */
export function notOlderThan(q: Query): number | undefined {
  const raw = q.get("notOlderThan")?.[0];
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{1,12}$/.test(raw)) {
    throw badRequest(
      `Invalid notOlderThan: expected a UTC timestamp in whole seconds, got "${raw}"`,
    );
  }
  return Number(raw) || undefined;
}

/**
 * Parse an overlay `obj` value: `archive/<run[:lumi]>/<primary>/<processed>/<tier>/<ME path>`
 * (the first segment is ignored, spec/api.md §2.2).
 *
 * @param value the parameter
 * @returns the sample and ME path
 */
export function parseObjParam(value: string): SampleRef {
  const parts = value.split("/");
  if (parts.length < 6 || parts.slice(5).join("/") === "") {
    throw badRequest(
      `Invalid obj: expected "archive/<run[:lumi]>/<primary>/<processed>/<tier>/<ME path>", got "${value}"`,
    );
  }
  return parseSampleRef(parts[1]!, parts.slice(2).join("/"));
}

/**
 * A weak ETag from the parts that determine a response.
 *
 * @param parts identifying values
 * @returns the header value
 */
export async function etagOf(parts: readonly (string | number)[]): Promise<string> {
  const bytes = new TextEncoder().encode(parts.join("\u0000"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `W/"${
    Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")
  }"`;
}

/**
 * Whether the request's If-None-Match names the ETag.
 *
 * @param header If-None-Match value
 * @param etag the current ETag
 * @returns true when the client's copy is current
 */
export function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === bare);
}

/** Longest regular expression a user may send. */
export const MAX_REGEX_LENGTH = 1000;

/**
 * Whether a pattern repeats a group that itself repeats (`(a+)+`, `(\w*x)*`)
 * or uses a back-reference: the shapes whose matching can take exponential
 * time, which would stall the server for everyone (regular expressions run
 * on the event loop).
 *
 * @param pattern a JavaScript regular expression source
 * @returns a description of the problem, or undefined
 */
export function regexHazard(pattern: string): string | undefined {
  const stack: boolean[] = []; // per open group: does it contain a repetition?
  let repeated = false; // the last closed group contained one
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      if (/[1-9]/.test(pattern[i + 1] ?? "")) return "back-references are not allowed";
      i++;
      repeated = false;
      continue;
    }
    if (ch === "[") {
      // skip the class; "]" right after "[" or "[^" is a literal
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j;
      repeated = false;
      continue;
    }
    const quantifier = ch === "*" || ch === "+" ||
      (ch === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (quantifier) {
      if (repeated) {
        return "a repeated group that itself repeats, such as (a+)+, can take exponential time";
      }
      if (stack.length > 0) stack[stack.length - 1] = true;
      repeated = false;
      continue;
    }
    if (ch === "(") {
      stack.push(false);
    } else if (ch === ")") {
      const inner = stack.pop() ?? false;
      if (inner && stack.length > 0) stack[stack.length - 1] = true;
      repeated = inner;
      continue;
    }
    if (ch !== "?") repeated = false;
  }
  return undefined;
}

/**
 * A user's case-insensitive regular expression, checked for size, syntax
 * and exponential shapes.
 *
 * @param raw the text (undefined or "": none)
 * @param field the parameter's name, for the message
 * @returns the expression, or undefined
 * @throws {HTTPException} 400 naming the field and the problem
 */
export function userRegex(raw: string | undefined, field: string): RegExp | undefined {
  if (!raw) return undefined;
  if (raw.length > MAX_REGEX_LENGTH) {
    throw badRequest(`Invalid ${field}: longer than ${MAX_REGEX_LENGTH} characters`);
  }
  let re: RegExp;
  try {
    re = new RegExp(raw, "i");
  } catch (error) {
    throw badRequest(`Invalid ${field}: ${(error as Error).message}`);
  }
  const hazard = regexHazard(raw);
  if (hazard) throw badRequest(`Invalid ${field}: ${hazard}`);
  return re;
}
