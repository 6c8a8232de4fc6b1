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
import { create, createTHStack, parse, settings } from "jsroot/core";

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

/** What to draw. */
export interface DrawRequest {
  /** Objects as JSON text or parsed, main first. */
  objects: RootObject[];
  /** Labels of the references. */
  labels: string[];
  mode: "overlay" | "ratiooverlay" | "stacked";
  norm: boolean;
  /** ROOT draw option of the main object. */
  drawopt: string;
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
  const objects = req.objects.map((o) => typeof o === "string" ? parse(o) : o);
  const [main, ...refs] = objects;
  if (refs.length === 0 || !isHistogram(main)) {
    await draw(dom, main, req.drawopt);
    return;
  }
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
    await draw(dom, stack, "");
    return;
  }
  await draw(dom, main, req.drawopt || "hist");
  for (const h of styled) await draw(dom, h, "same hist");
  if (req.mode === "ratiooverlay" && ratioDom) {
    const first = ratio(main, styled[0]);
    await draw(ratioDom, first, "p");
    for (const h of styled.slice(1)) {
      const r = ratio(main, h);
      r.fMarkerColor = h.fLineColor;
      await draw(ratioDom, r, "same p");
    }
  }
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
