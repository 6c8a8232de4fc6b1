/// <reference lib="dom" />
/**
 * @module
 * Interactive drawing with JSROOT (the ROOT team's browser library, from
 * `npm:jsroot`, bundled by our build and served by our server; never from a
 * CDN). Loaded only when the JSROOT mode is switched on: this module and
 * JSROOT are a separate chunk of the bundle.
 *
 * The server's `/api/v1/json` gives TBufferJSON objects; overlays are drawn
 * as ROOT would: "overlay" superimposes the histograms ("same"), "stacked"
 * draws a THStack, "ratiooverlay" superimposes them and draws main/reference
 * ratios in a second pad below. Normalisation scales each reference to the
 * main histogram's integral.
 */

import { cleanup, draw } from "jsroot/draw";
import { create, createHistogram, createTHStack, parse, settings } from "jsroot/core";

/** ROOT colour indices of the references, as the server's overlays use. */
const COLOURS = [1, 4, 2, 6, 8, 7, 9, 28, 46, 30];

settings.ToolBar = true;
settings.Tooltip = true;
settings.ZoomWheel = true;

// deno-lint-ignore no-explicit-any
type RootObject = any;

function isHistogram(obj: RootObject): boolean {
  return typeof obj?._typename === "string" && /^TH[123]|^TProfile/.test(obj._typename);
}

function integral(h: RootObject): number {
  let sum = 0;
  const n = h.fArray?.length ?? 0;
  for (let i = 1; i < n - 1; i++) sum += h.fArray[i];
  return sum;
}

function scaled(h: RootObject, factor: number): RootObject {
  const copy = { ...h, fArray: Array.from(h.fArray as number[], (v) => v * factor) };
  if (h.fSumw2?.length) copy.fSumw2 = Array.from(h.fSumw2 as number[], (v) => v * factor * factor);
  return copy;
}

function ratio(main: RootObject, ref: RootObject): RootObject {
  const out = { ...main, fArray: Array.from(main.fArray as number[]), fSumw2: [], fTitle: "" };
  out.fName = `${main.fName}_ratio`;
  for (let i = 0; i < out.fArray.length; i++) {
    const d = ref.fArray?.[i] ?? 0;
    out.fArray[i] = d ? main.fArray[i] / d : 0;
  }
  out.fMinimum = -1111;
  out.fMaximum = -1111;
  return out;
}

/** Per-plot options, as the render endpoint takes them (PlotOptions). */
export type DrawOptions = Partial<Record<string, string>>;

/**
 * The JSROOT draw option of a plot: its own `drawopts` plus log axes,
 * hidden statistics and error bars, so both modes show the same choices.
 *
 * @param o the plot's options
 * @param fallback draw option when the plot names none
 * @returns e.g. "hist;logy;nostat"
 */
export function jsrootOption(o: DrawOptions, fallback = ""): string {
  const parts = [o.drawopts || fallback];
  if (o.errors === "1") parts.push("e");
  for (const axis of ["x", "y", "z"]) if (o[`${axis}type`] === "log") parts.push(`log${axis}`);
  if (o.stats === "0") parts.push("nostat");
  return parts.filter((p) => p).join(";");
}

/** Apply the plot's value range (y for 1D, z for 2D) as ROOT's minimum and maximum. */
function applyRange(h: RootObject, o: DrawOptions): void {
  const two = /^TH2|^TProfile2D/.test(h._typename ?? "");
  const min = Number(o[two ? "zmin" : "ymin"]);
  const max = Number(o[two ? "zmax" : "ymax"]);
  if (o[two ? "zmin" : "ymin"] && Number.isFinite(min)) h.fMinimum = min;
  if (o[two ? "zmax" : "ymax"] && Number.isFinite(max)) h.fMaximum = max;
}

/** What to draw. */
export interface DrawRequest {
  /** Objects as JSON text or parsed, main first. */
  objects: RootObject[];
  /** Labels of the references. */
  labels: string[];
  mode: "overlay" | "ratiooverlay" | "stacked";
  norm: boolean;
  /** The plot's options (draw option, log axes, ranges, stats). */
  options: DrawOptions;
}

/**
 * Draw into `dom` (cleared first); for "ratiooverlay" `ratioDom` gets the ratios.
 *
 * @param dom target element (sized)
 * @param ratioDom second element for ratios
 * @param req what to draw
 */
export async function drawInto(
  dom: HTMLElement,
  ratioDom: HTMLElement | undefined,
  req: DrawRequest,
): Promise<void> {
  clear(dom);
  if (ratioDom) clear(ratioDom);
  // JSROOT's parse resolves references and gives every object (axes too) its
  // class methods; a plain JSON object lacks them.
  const objects = req.objects.map((o) => parse(typeof o === "string" ? o : JSON.stringify(o)));
  const [main, ...refs] = objects;
  const o = req.options;
  if (isHistogram(main)) applyRange(main, o);
  if (refs.length === 0 || !isHistogram(main)) {
    await draw(dom, main, jsrootOption(o));
    return;
  }
  main.fLineColor = COLOURS[0];
  main.fMarkerColor = COLOURS[0];
  const total = integral(main);
  const styled = refs.map((r, i) => {
    const factor = req.norm && isHistogram(r) && integral(r) ? total / integral(r) : 1;
    const h = isHistogram(r) ? scaled(r, factor) : r;
    h.fLineColor = COLOURS[(i + 1) % COLOURS.length];
    h.fMarkerColor = h.fLineColor;
    h.fTitle = req.labels[i] || h.fTitle;
    return h;
  });
  if (req.mode === "stacked") {
    const stack = createTHStack(main, ...styled);
    stack.fTitle = main.fTitle;
    await draw(dom, stack, jsrootOption({ ...o, drawopts: "" }));
    return;
  }
  await draw(dom, main, jsrootOption(o, "hist"));
  for (const h of styled) await draw(dom, h, "same;hist");
  if (req.mode === "ratiooverlay" && ratioDom) {
    const first = ratio(main, styled[0]);
    first.fMarkerColor = styled[0].fLineColor;
    first.fMarkerStyle = 20;
    first.fMarkerSize = 0.6;
    const logx = o.xtype === "log" ? ";logx" : "";
    await draw(ratioDom, first, `p;nostat${logx}`);
    for (const h of styled.slice(1)) {
      const r = ratio(main, h);
      r.fMarkerColor = h.fLineColor;
      r.fMarkerStyle = 20;
      r.fMarkerSize = 0.6;
      await draw(ratioDom, r, "same;p");
    }
  }
}

/** One point of a trend: a run or a lumisection. */
export interface TrendPoint {
  x: number;
  value: number;
  error?: number;
}

/**
 * Draw a trend (a number per run) as a graph with error bars where known.
 *
 * @param dom target element (sized)
 * @param points ascending by run
 * @param title graph title
 * @param yTitle what the numbers are
 * @param xTitle what x is ("run", "lumisection")
 */
export async function drawTrend(
  dom: HTMLElement,
  points: TrendPoint[],
  title: string,
  yTitle: string,
  xTitle = "run",
): Promise<void> {
  clear(dom);
  // JSROOT's create() knows TGraph, not TGraphErrors: make one and add the errors.
  const g = create("TGraph");
  g._typename = "TGraphErrors";
  g.fBits = 0x408;
  g.fMaxSize = points.length;
  g.fName = "trend";
  g.fTitle = `${title};${xTitle};${yTitle}`;
  g.fNpoints = points.length;
  g.fX = points.map((p) => p.x);
  g.fY = points.map((p) => p.value);
  g.fEX = points.map(() => 0);
  g.fEY = points.map((p) => p.error ?? 0);
  g.fMarkerStyle = 20;
  g.fMarkerSize = 0.8;
  g.fMarkerColor = 4;
  g.fLineColor = 4;
  // The frame: run numbers written out in full (ROOT's TAxis::kNoExponent), a margin of half a run.
  const runs = points.map((p) => p.x);
  const lo = Math.min(...runs);
  const hi = Math.max(...runs);
  const pad = Math.max(0.5, (hi - lo) * 0.03);
  const frame = createHistogram("TH1F", 100);
  frame.fName = "trend_frame";
  frame.fTitle = g.fTitle;
  frame.fXaxis.fXmin = lo - pad;
  frame.fXaxis.fXmax = hi + pad;
  frame.fXaxis.fBits |= 1 << 17;
  frame.fXaxis.fTitle = xTitle;
  frame.fYaxis.fTitle = yTitle;
  const low = Math.min(...points.map((p) => p.value - (p.error ?? 0)));
  const high = Math.max(...points.map((p) => p.value + (p.error ?? 0)));
  const margin = high > low ? (high - low) * 0.1 : Math.abs(high) * 0.1 || 1;
  frame.fMinimum = low - margin;
  frame.fMaximum = high + margin;
  frame.fBits |= 1 << 9; // TH1::kNoStats
  g.fHistogram = frame;
  await draw(dom, g, "APL");
}

/**
 * Remove a drawing.
 *
 * @param dom the element drawn into
 */
export function clear(dom: HTMLElement): void {
  cleanup(dom);
  dom.replaceChildren();
}

/** An empty object of a class, for tests and placeholders. */
export function empty(className: string): RootObject {
  return create(className);
}
