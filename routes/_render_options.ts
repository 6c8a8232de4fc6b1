/**
 * @module
 * Render options from a query string, in the v1 names (`w h stats norm errors
 * drawopts xtype ytype ztype xmin..zmax ref reflabel`) or the legacy
 * `/plotfairy` names (`showstats showerrbars norm=True|False`), validated
 * (spec/api.md §2.2, README option table). Fixes of the original: an unknown
 * value is a 400 naming the parameter instead of being dropped or crashing,
 * w and h are clamped to 1..4096, a bound of 0 is kept, and `ref` is honoured.
 */

import type { RenderOptions } from "../core/render/mod.ts";
import { badRequest, type Query } from "./_params.ts";

/** Largest image side. */
export const MAX_IMAGE_SIDE = 4096;
/** Longest drawopts or reflabel value. */
const MAX_TEXT = 200;
/** Most reference labels (overlays 1..9). */
const MAX_REFLABELS = 9;

const REF_MODES = new Set(["object", "overlay", "ratiooverlay", "stacked"]);

function one(q: Query, name: string): string | undefined {
  const v = q.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}

function size(q: Query, name: string, fallback: number): number {
  const raw = one(q, name);
  if (raw === undefined || raw === "") return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim())) {
    throw badRequest(`Invalid ${name}: expected an integer number of pixels, got "${raw}"`);
  }
  return Math.min(MAX_IMAGE_SIDE, Math.max(1, Number(raw)));
}

function bool(
  q: Query,
  name: string,
  fallback: boolean,
  truthy: string[],
  falsy: string[],
): boolean {
  const raw = one(q, name);
  if (raw === undefined || raw === "") return fallback;
  if (truthy.includes(raw)) return true;
  if (falsy.includes(raw)) return false;
  throw badRequest(
    `Invalid ${name}: expected ${
      [...truthy, ...falsy].map((v) => `"${v}"`).join(" or ")
    }, got "${raw}"`,
  );
}

function number(q: Query, name: string): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw badRequest(`Invalid ${name}: expected a number, got "${raw}"`);
  return v;
}

function axisType(q: Query, name: string): "lin" | "log" | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === "" || raw === "def") return undefined;
  if (raw === "lin" || raw === "log") return raw;
  throw badRequest(`Invalid ${name}: expected "lin" or "log", got "${raw}"`);
}

function text(name: string, raw: string): string {
  if (raw.length > MAX_TEXT) {
    throw badRequest(`Invalid ${name}: longer than ${MAX_TEXT} characters`);
  }
  // deno-lint-ignore no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw badRequest(`Invalid ${name}: control characters are not allowed`);
  }
  return raw;
}

/**
 * Parse render options.
 *
 * @param q the query
 * @param legacy use the `/plotfairy` parameter names
 * @returns validated options
 */
export function renderOptions(q: Query, legacy = false): RenderOptions {
  const options: RenderOptions = {
    width: size(q, "w", 266),
    height: size(q, "h", 200),
    stats: legacy
      ? bool(q, "showstats", true, ["1"], ["0"])
      : bool(q, "stats", true, ["true"], ["false"]),
    norm: legacy
      ? bool(q, "norm", true, ["True", "true"], ["False", "false"])
      : bool(q, "norm", true, ["true"], ["false"]),
    errors: legacy
      ? bool(q, "showerrbars", false, ["1"], ["0"])
      : bool(q, "errors", false, ["true"], ["false"]),
  };
  const drawopts = one(q, "drawopts");
  if (drawopts) options.drawopts = text("drawopts", drawopts);
  for (const axis of ["x", "y", "z"] as const) {
    const type = axisType(q, `${axis}type`);
    if (type) options[`${axis}type`] = type;
    for (const bound of ["min", "max"] as const) {
      const v = number(q, `${axis}${bound}`);
      if (v !== undefined) options[`${axis}${bound}`] = v;
    }
  }
  const ref = one(q, "ref");
  if (ref !== undefined && ref !== "") {
    if (!REF_MODES.has(ref)) {
      throw badRequest(
        `Invalid ref: expected "overlay", "ratiooverlay" or "stacked", got "${ref}"`,
      );
    }
    options.ref = ref as RenderOptions["ref"];
  }
  const labels = q.get("reflabel") ?? [];
  if (labels.length > MAX_REFLABELS) {
    throw badRequest(`Invalid reflabel: at most ${MAX_REFLABELS} labels`);
  }
  if (labels.length) options.reflabels = labels.map((l) => text("reflabel", l));
  return options;
}
