/// <reference lib="dom" />
/**
 * @module
 * The server's API as the app uses it. Every URL is relative to the page, so
 * the app works under any base path (`--base-path /dqm/offline`). Errors
 * carry the server's own message (its JSON `message`, or the status text).
 */

import type { PlotOptions, Sample } from "./state.ts";

/** A failed request, with the server's explanation. */
export class ApiError extends Error {
  /** HTTP status (0 for network failures). */
  readonly status: number;

  /**
   * @param status HTTP status, 0 when the server could not be reached
   * @param message what went wrong
   */
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** A folder entry of a listing. */
export interface DirEntry {
  subdir: string;
  "me_count": number;
  /** MEs below with a warning or error quality test (present when the sample has any). */
  failing?: number;
}

/** A quality-test result. */
export interface QTest {
  name: string;
  status: number;
  result: number;
  algorithm: string;
  message: string;
}

/** An ME of a listing or search. */
export interface MEInfo {
  name: string;
  path: string;
  kind: string;
  qtstatuses: number[];
  value?: string;
  efficiency?: boolean;
  qtests?: QTest[];
  /** The layout an entry comes from (`path` is then the real ME drawn), or null. */
  layout?: string | null;
  /** A layout's render options (xtype, zmin, drawopts, …). */
  draw?: Record<string, string | number>;
  /** Other MEs of the sample a layout draws over this one. */
  overlays?: string[];
  /** A layout's words for the shifter. */
  description?: string;
}

/** Scalar kinds, shown as values instead of images. */
export const SCALAR_KINDS = new Set(["Int", "Float", "String"]);

/**
 * Encode an ME or folder path for a URL, segment by segment.
 *
 * @param path "A/b c/d"
 * @returns "A/b%20c/d"
 */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * `run[:lumi]/dataset` for API paths.
 *
 * @param s the sample
 * @returns the encoded sample part
 */
export function samplePath(s: Sample): string {
  return `${s.run}${s.lumi ? `:${s.lumi}` : ""}${encodePath(s.dataset)}`;
}

/**
 * GET JSON, with the server's error message on failure.
 *
 * @param url relative URL
 * @param signal cancels the request
 * @returns the parsed body
 * @throws {ApiError} for a non-2xx answer or an unreachable server
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, `The server cannot be reached (${(error as Error).message})`);
  }
  if (!res.ok) throw await errorOf(res);
  return await res.json() as T;
}

/**
 * The ApiError of a failed response.
 *
 * @param res the response
 * @returns the error, with the JSON `message` when there is one
 */
export async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  const header = res.headers.get("x-dqm-error");
  if (header) message = header;
  else if (res.headers.get("content-type")?.includes("json")) {
    try {
      const body = await res.json() as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // keep the status line
    }
  } else await res.body?.cancel();
  return new ApiError(res.status, message);
}

/** Query of sample search (`/api/v1/find`). */
export interface FindQuery {
  dataset: string;
  regex: boolean;
  runs: string;
  /** "" per run; "-1" every lumisection; "N" one lumisection. */
  lumi: string;
  exact?: boolean;
  limit?: number;
}

/** Answer of `/api/v1/find`. */
export interface FindResult {
  data: Sample[];
  total: number;
  truncated: boolean;
}

/**
 * Search samples.
 *
 * @param q the query
 * @param signal cancels it
 * @returns matches, latest runs first
 */
export function findSamples(q: FindQuery, signal?: AbortSignal): Promise<FindResult> {
  const p = new URLSearchParams();
  if (q.dataset) p.set("dataset", q.dataset);
  p.set("match", q.exact ? "exact" : q.regex ? "regex" : "substring");
  if (q.runs) p.set("run", q.runs);
  if (q.lumi) p.set("lumi", q.lumi);
  if (q.limit) p.set("limit", String(q.limit));
  return getJson(`api/v1/find?${p}`, signal);
}

/** A folder listing. */
export interface Listing {
  dirs: DirEntry[];
  mes: MEInfo[];
}

/**
 * List a folder.
 *
 * @param s the sample
 * @param folder folder path ("" for the top)
 * @param qt "" | "failing" | "error"
 * @param signal cancels it
 * @returns folders and MEs
 */
export async function listFolder(
  s: Sample,
  folder: string,
  qt: string,
  signal?: AbortSignal,
): Promise<Listing> {
  const p = new URLSearchParams();
  if (qt) p.set("qt", qt);
  const query = p.size ? `?${p}` : "";
  const body = await getJson<{ data: (DirEntry | MEInfo)[] }>(
    `api/v1/archive/${samplePath(s)}/${encodePath(folder)}${query}`,
    signal,
  );
  const dirs: DirEntry[] = [];
  const mes: MEInfo[] = [];
  for (const e of body.data) {
    if ("subdir" in e) dirs.push(e);
    else mes.push(e);
  }
  return { dirs, mes };
}

/** Answer of the ME search. */
export interface SearchResult {
  data: MEInfo[];
  total: number;
  truncated: boolean;
}

/**
 * Search MEs of a sample below a folder.
 *
 * @param s the sample
 * @param folder folder to search below ("" everywhere)
 * @param regex case-insensitive regular expression, anywhere in the path
 * @param qt "" | "failing" | "error"
 * @param signal cancels it
 * @returns the matching MEs
 */
export function searchMEs(
  s: Sample,
  folder: string,
  regex: string,
  qt: string,
  signal?: AbortSignal,
): Promise<SearchResult> {
  const p = new URLSearchParams({ q: regex, limit: "1000" });
  if (qt) p.set("qt", qt);
  const where = folder ? `/${encodePath(folder)}` : "";
  return getJson(`api/v1/search/${samplePath(s)}${where}?${p}`, signal);
}

/**
 * The numeric values of the scalar MEs whose path matches `regex`, anywhere in the sample.
 *
 * @param s the sample
 * @param regex case-insensitive regular expression over full paths
 * @param signal cancels it
 * @returns path and value of each numeric scalar found
 */
export async function scalarValues(
  s: Sample,
  regex: string,
  signal?: AbortSignal,
): Promise<{ path: string; value: number }[]> {
  const found = await searchMEs(s, "", regex, "", signal);
  return found.data.flatMap((me) => {
    const value = Number(me.value);
    return me.value !== undefined && Number.isFinite(value) ? [{ path: me.path, value }] : [];
  });
}

/** Options of one image. */
export interface ImageOptions {
  width: number;
  height: number;
  plot?: PlotOptions;
  norm?: boolean;
}

function renderQuery(o: ImageOptions): URLSearchParams {
  const p = new URLSearchParams({
    w: String(Math.round(o.width)),
    h: String(Math.round(o.height)),
  });
  for (const [k, v] of Object.entries(o.plot ?? {})) {
    if (v === undefined || v === "") continue;
    p.set(k, k === "stats" || k === "errors" ? (v === "1" ? "true" : "false") : v);
  }
  if (o.norm === false) p.set("norm", "false");
  return p;
}

/**
 * URL of one plot's PNG.
 *
 * @param s the sample
 * @param path ME path
 * @param o size and options
 * @returns the relative URL
 */
export function renderUrl(s: Sample, path: string, o: ImageOptions): string {
  return `api/v1/render/${samplePath(s)}/${encodePath(path)}?${renderQuery(o)}`;
}

/** One object of an overlay. */
export interface OverlayObject {
  sample: Sample;
  path: string;
  label: string;
}

/**
 * URL of an overlay PNG: the first object drawn, the others on it.
 *
 * @param objects main object first
 * @param mode "overlay" | "ratiooverlay" | "stacked"
 * @param o size and options
 * @returns the relative URL
 */
export function overlayUrl(objects: OverlayObject[], mode: string, o: ImageOptions): string {
  const p = renderQuery(o);
  p.set("ref", mode);
  for (const [i, obj] of objects.entries()) {
    p.append("obj", `archive/${samplePath(obj.sample)}/${encodePath(obj.path)}`);
    if (i > 0) p.append("reflabel", obj.label);
  }
  return `api/v1/render_overlay?${p}`;
}

/**
 * URL of one ME as ROOT JSON (TBufferJSON conventions, what JSROOT reads).
 *
 * @param s the sample
 * @param path ME path
 * @returns the relative URL
 */
export function jsonUrl(s: Sample, path: string): string {
  return `api/v1/json/${samplePath(s)}/${encodePath(path)}`;
}

/**
 * URL of several MEs as ROOT JSON.
 *
 * @param objects the objects
 * @returns the relative URL
 */
export function jsonOverlayUrl(objects: OverlayObject[]): string {
  const p = new URLSearchParams();
  for (const obj of objects) {
    p.append("obj", `archive/${samplePath(obj.sample)}/${encodePath(obj.path)}`);
  }
  return `api/v1/json_overlay?${p}`;
}

/** Latest snapshot of a live dataset (`/api/v1/live/status`). */
export interface LiveSnapshot {
  dataset: string;
  run: number;
  lumi: number;
  file: string;
  registered: number;
  mes?: number;
}
