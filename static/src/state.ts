/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * @module
 * The whole view state, kept in the page URL's query string and nowhere
 * else: reload, back, forward and shared links restore exactly what was on
 * screen. `parseState` and `formatState` convert both ways (formatting
 * leaves defaults out, so links stay short); `navigate` changes the URL and
 * tells subscribers.
 *
 * Parameters: `ds run lumi` the sample; `live` follow the newest online run
 * (`pause` stops following); `dir` folder; `q` ME search; `qt` QT filter;
 * `size` tile size; `sel` selected plots (repeated; `path` or
 * `path|ytype=log&xmin=0` with that plot's render options); `ref` overlaid
 * samples (repeated; `run[:lumi]/dataset[|label]`); `with` overlaid MEs of
 * this sample (repeated; `path[|label]`); `mode` overlay mode; `norm=0`;
 * `js=1` JSROOT drawing; finder fields `fds fmatch frun flumi`.
 */

/** Tile sizes and their thumbnail pixels (4:3, as the original's sizes). */
export const TILE_SIZES = {
  xs: [133, 100],
  s: [200, 150],
  m: [266, 200],
  l: [400, 300],
  xl: [532, 400],
} as const;
/** A tile size name. */
export type TileSize = keyof typeof TILE_SIZES;

/** Overlay modes: server `ref` values, plus side by side. */
export const OVERLAY_MODES = ["overlay", "ratiooverlay", "stacked", "onside"] as const;
/** An overlay mode. */
export type OverlayMode = typeof OVERLAY_MODES[number];

/** Render option keys a plot may carry (server names, README option table). */
export const PLOT_OPTION_KEYS = [
  "xtype",
  "ytype",
  "ztype",
  "xmin",
  "xmax",
  "ymin",
  "ymax",
  "zmin",
  "zmax",
  "stats",
  "errors",
  "drawopts",
] as const;
/** Per-plot render options, as query values. */
export type PlotOptions = Partial<Record<typeof PLOT_OPTION_KEYS[number], string>>;

/** One sample: dataset, run and lumisection (0: the whole run). */
export interface Sample {
  dataset: string;
  run: number;
  lumi: number;
}

/** A selected plot with its own options. */
export interface Selected {
  path: string;
  options: PlotOptions;
  /** Other MEs of the sample drawn over it (a layout's overlays). */
  overlays?: string[];
}

/** An overlaid sample (same ME) or ME (same sample). */
export interface Reference {
  /** Another sample; absent for another ME of the current sample. */
  sample?: Sample;
  /** Another ME of the current sample. */
  path?: string;
  label: string;
}

/** Everything on screen. */
export interface AppState {
  sample?: Sample;
  live: boolean;
  paused: boolean;
  folder: string;
  search: string;
  qt: "" | "failing" | "error";
  size: TileSize;
  selected: Selected[];
  refs: Reference[];
  mode: OverlayMode;
  norm: boolean;
  jsroot: boolean;
  /** The trend shown under each selected plot: "" none, "auto", or a quantity. */
  trend: string;
  /** Trend points: one per run, or one per lumisection of the current run. */
  trendBy: "run" | "lumi";
  /** Slideshow: seconds per plot (0: off). */
  play: number;
  finder: { dataset: string; regex: boolean; runs: string; lumi: string };
}

/** What a trend can follow ("auto": a scalar's value, a histogram's mean). */
export const TREND_CHOICES = ["auto", "value", "mean", "rms", "entries", "integral", "min", "max"];

/** Slideshow speeds offered, seconds per plot. */
export const PLAY_SECONDS = [3, 5, 10, 20, 60];

/** The dataset the online live mode follows. */
export const LIVE_DATASET = "/Global/Online/ALL";
/** Most overlays one plot takes (server: 1 + 9 references). */
export const MAX_REFS = 9;

const OPTION_SET = new Set<string>(PLOT_OPTION_KEYS);

/**
 * A sample written as `run[:lumi]/dataset`, as in API paths.
 *
 * @param s the sample
 * @returns e.g. "355100:12/ZeroBias/Run2022C-v1/DQMIO"
 */
export function sampleText(s: Sample): string {
  return `${s.run}${s.lumi ? `:${s.lumi}` : ""}${s.dataset}`;
}

/**
 * Parse `run[:lumi]/dataset`.
 *
 * @param text the text
 * @returns the sample, or undefined when it is not one
 */
export function parseSampleText(text: string): Sample | undefined {
  const m = /^(\d+)(?::(\d+))?(\/[^/]+\/[^/]+\/[^/]+)$/.exec(text);
  if (!m) return undefined;
  return { run: Number(m[1]), lumi: Number(m[2] ?? 0), dataset: m[3]! };
}

function splitLabel(value: string): [string, string] {
  const bar = value.lastIndexOf("|");
  return bar < 0 ? [value, ""] : [value.slice(0, bar), value.slice(bar + 1)];
}

function parseSelected(value: string): Selected {
  const bar = value.lastIndexOf("|");
  if (bar > 0) {
    const params = new URLSearchParams(value.slice(bar + 1));
    const keys = [...params.keys()];
    if (keys.length > 0 && keys.every((k) => OPTION_SET.has(k) || k === "overlay")) {
      const options: PlotOptions = {};
      const overlays: string[] = [];
      for (const [k, v] of params) {
        if (k === "overlay") overlays.push(v);
        else if (v !== "") options[k as keyof PlotOptions] = v;
      }
      const path = value.slice(0, bar);
      return overlays.length ? { path, options, overlays } : { path, options };
    }
  }
  return { path: value, options: {} };
}

/**
 * Read the state from a query string.
 *
 * @param search `location.search`
 * @returns the state (defaults for what is absent or invalid)
 */
export function parseState(search: string): AppState {
  const q = new URLSearchParams(search);
  const run = Number(q.get("run"));
  const lumi = Number(q.get("lumi") ?? 0);
  const live = q.get("live") === "1";
  const dataset = q.get("ds") ?? (live ? LIVE_DATASET : "");
  const sample = dataset && Number.isSafeInteger(run) && run >= 0 && (run > 0 || live)
    ? { dataset, run, lumi: Number.isSafeInteger(lumi) && lumi > 0 ? lumi : 0 }
    : live
    ? { dataset: LIVE_DATASET, run: 0, lumi: 0 }
    : undefined;
  const size = q.get("size") ?? "m";
  const mode = q.get("mode") ?? "overlay";
  const qt = q.get("qt") ?? "";
  const refs: Reference[] = [];
  for (const value of q.getAll("ref")) {
    const [text, label] = splitLabel(value);
    const s = parseSampleText(text);
    if (s) refs.push({ sample: s, label });
  }
  for (const value of q.getAll("with")) {
    const [path, label] = splitLabel(value);
    if (path) refs.push({ path, label });
  }
  return {
    sample,
    live,
    paused: q.get("pause") === "1",
    folder: (q.get("dir") ?? "").replace(/^\/+|\/+$/g, ""),
    search: q.get("q") ?? "",
    qt: qt === "failing" || qt === "error" ? qt : "",
    size: size in TILE_SIZES ? size as TileSize : "m",
    selected: q.getAll("sel").filter((v) => v).map(parseSelected),
    refs: refs.slice(0, MAX_REFS),
    mode: (OVERLAY_MODES as readonly string[]).includes(mode) ? mode as OverlayMode : "overlay",
    norm: q.get("norm") !== "0",
    jsroot: q.get("js") === "1",
    trend: TREND_CHOICES.includes(q.get("trend") ?? "") ? q.get("trend")! : "",
    trendBy: q.get("trendby") === "lumi" ? "lumi" : "run",
    play: PLAY_SECONDS.includes(Number(q.get("play"))) ? Number(q.get("play")) : 0,
    finder: {
      dataset: q.get("fds") ?? "",
      regex: q.get("fmatch") === "regex",
      runs: q.get("frun") ?? "",
      lumi: q.get("flumi") ?? "",
    },
  };
}

/**
 * Write the state as a query string, defaults left out.
 *
 * @param s the state
 * @returns "?..." or ""
 */
export function formatState(s: AppState): string {
  const q = new URLSearchParams();
  if (s.live) q.set("live", "1");
  if (s.live && s.paused) q.set("pause", "1");
  if (s.sample && !(s.live && s.sample.run === 0)) {
    q.set("ds", s.sample.dataset);
    q.set("run", String(s.sample.run));
    if (s.sample.lumi) q.set("lumi", String(s.sample.lumi));
  }
  if (s.folder) q.set("dir", s.folder);
  if (s.search) q.set("q", s.search);
  if (s.qt) q.set("qt", s.qt);
  if (s.size !== "m") q.set("size", s.size);
  for (const sel of s.selected) {
    const opts = new URLSearchParams();
    for (const k of PLOT_OPTION_KEYS) {
      const v = sel.options[k];
      if (v !== undefined && v !== "") opts.set(k, v);
    }
    for (const o of sel.overlays ?? []) opts.append("overlay", o);
    const text = opts.toString();
    q.append("sel", text ? `${sel.path}|${text}` : sel.path);
  }
  for (const r of s.refs) {
    const label = r.label ? `|${r.label}` : "";
    if (r.sample) q.append("ref", sampleText(r.sample) + label);
    else if (r.path) q.append("with", r.path + label);
  }
  if (s.mode !== "overlay") q.set("mode", s.mode);
  if (!s.norm) q.set("norm", "0");
  if (s.jsroot) q.set("js", "1");
  if (s.trend) q.set("trend", s.trend);
  if (s.trend && s.trendBy === "lumi") q.set("trendby", "lumi");
  if (s.play) q.set("play", String(s.play));
  if (!s.sample) {
    if (s.finder.dataset) q.set("fds", s.finder.dataset);
    if (s.finder.regex) q.set("fmatch", "regex");
    if (s.finder.runs) q.set("frun", s.finder.runs);
    if (s.finder.lumi) q.set("flumi", s.finder.lumi);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

type Listener = (s: AppState) => void;
const listeners = new Set<Listener>();
let current: AppState | undefined;

/** The state of the current URL. */
export function getState(): AppState {
  current ??= parseState(location.search);
  return current;
}

/**
 * Change the state: the URL gets a new history entry (or replaces the
 * current one for typing and other small steps) and subscribers rerender.
 *
 * @param patch fields to change, or a function of the current state
 * @param opts `replace` to change the current history entry
 */
export function navigate(
  patch: Partial<AppState> | ((s: AppState) => Partial<AppState>),
  opts: { replace?: boolean } = {},
): void {
  const before = getState();
  const next = { ...before, ...(typeof patch === "function" ? patch(before) : patch) };
  const url = formatState(next) || location.pathname;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  current = parseState(location.search);
  for (const l of listeners) l(current);
}

/**
 * Follow state changes (navigation and back/forward).
 *
 * @param listener called with the new state
 * @returns unsubscribe
 */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

addEventListener("popstate", () => {
  current = parseState(location.search);
  for (const l of listeners) l(current);
});
