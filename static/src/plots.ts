/// <reference lib="dom" />
/**
 * @module
 * What the views share about plots: natural ordering, quality-test
 * severity, and the image URL of a plot under the current overlays.
 */

import {
  type ImageOptions,
  type MEInfo,
  type OverlayObject,
  overlayUrl,
  renderUrl,
} from "./api.ts";
import type { AppState, PlotOptions, Sample } from "./state.ts";

const COLLATOR = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * Natural order: "h2" before "h10", case ignored, then exact text.
 *
 * @param a first name
 * @param b second name
 * @returns negative, zero or positive
 */
export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Quality-test statuses (CMSSW dqm::qstatus) and how the app names them. */
export const QT_STATUS: Record<number, { name: string; cls: string }> = {
  30: { name: "other", cls: "qt-other" },
  50: { name: "disabled", cls: "qt-other" },
  60: { name: "invalid", cls: "qt-invalid" },
  70: { name: "insufficient statistics", cls: "qt-insuf" },
  90: { name: "did not run", cls: "qt-other" },
  100: { name: "ok", cls: "qt-ok" },
  200: { name: "warning", cls: "qt-warning" },
  300: { name: "error", cls: "qt-error" },
};

/** Order of severity when an ME has several results. */
const SEVERITY = [300, 200, 60, 70, 30, 50, 90, 100];

/**
 * The most severe quality-test status of an ME.
 *
 * @param me the ME
 * @returns the status, or undefined without quality tests
 */
export function worstStatus(me: Pick<MEInfo, "qtstatuses">): number | undefined {
  let worst: number | undefined;
  for (const s of me.qtstatuses) {
    const rank = SEVERITY.indexOf(s);
    if (worst === undefined || (rank >= 0 && rank < SEVERITY.indexOf(worst))) worst = s;
  }
  return worst;
}

/**
 * The objects overlaid on `path` in `sample` under the state's references.
 *
 * @param state the state (references)
 * @param sample the main sample
 * @param path the main ME
 * @param extra other MEs of the sample drawn over it (a layout's overlays)
 * @returns main object first, then the references
 */
export function overlayObjects(
  state: AppState,
  sample: Sample,
  path: string,
  extra: readonly string[] = [],
): OverlayObject[] {
  const objects: OverlayObject[] = [{ sample, path, label: "" }];
  for (const p of extra) objects.push({ sample, path: p, label: p.split("/").pop()! });
  for (const r of state.refs) {
    if (r.sample) objects.push({ sample: r.sample, path, label: r.label || String(r.sample.run) });
    else if (r.path && r.path !== path) {
      objects.push({ sample, path: r.path, label: r.label || r.path.split("/").pop()! });
    }
  }
  return objects;
}

/**
 * The image URLs of a plot: one overlay image, or (mode "onside") the main
 * plot and each reference side by side.
 *
 * @param state the state
 * @param sample the sample
 * @param path the ME
 * @param size pixels
 * @param plot the plot's own options
 * @param extra other MEs of the sample drawn over it (a layout's overlays)
 * @returns labelled URLs, main first
 */
export function plotUrls(
  state: AppState,
  sample: Sample,
  path: string,
  size: [number, number],
  plot: PlotOptions = {},
  extra: readonly string[] = [],
): { label: string; url: string }[] {
  const objects = overlayObjects(state, sample, path, extra);
  const o: ImageOptions = { width: size[0], height: size[1], plot, norm: state.norm };
  if (objects.length === 1) return [{ label: "", url: renderUrl(sample, path, o) }];
  if (state.mode === "onside") {
    return objects.map((obj) => ({ label: obj.label, url: renderUrl(obj.sample, obj.path, o) }));
  }
  return [{ label: "", url: overlayUrl(objects, state.mode, o) }];
}
