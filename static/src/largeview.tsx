/// <reference lib="dom" />
/**
 * @module
 * The large view: each selected plot re-rendered at the size of its pane
 * (again whenever the pane changes size), with its own options (log axes,
 * ranges, stats, error bars, draw option) sent through the render URL,
 * downloads of the PNG and of the ROOT JSON, and JSROOT's interactive
 * drawing (zoom, tooltips) as an alternative to the PNG.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { encodePath, getJson, jsonOverlayUrl, jsonUrl } from "./api.ts";
import { PlotImage } from "./image.tsx";
import { useSize } from "./hooks.ts";
import { overlayObjects, plotUrls } from "./plots.ts";
import {
  type AppState,
  navigate,
  type PlotOptions,
  type Selected,
  TREND_CHOICES,
} from "./state.ts";

/** Common ROOT draw options, offered as suggestions. */
const DRAW_OPTIONS = [
  "",
  "HIST",
  "E",
  "P",
  "L",
  "C",
  "BAR",
  "COLZ",
  "COLZ TEXT",
  "TEXT",
  "BOX",
  "LEGO",
  "SURF",
];

/** Image sizes are rounded to this many pixels, so small resizes reuse the image. */
const SIZE_STEP = 20;

function setOptions(path: string, options: PlotOptions): void {
  navigate(
    (s) => ({ selected: s.selected.map((p) => p.path === path ? { ...p, options } : p) }),
    { replace: true },
  );
}

/**
 * The large view of the selected plots.
 *
 * @param props state and live version
 * @returns the pane
 */
export function LargeView({ state, version }: { state: AppState; version: string }) {
  return (
    <aside class="large" aria-label="Selected plots">
      <div class="large-head">
        <h2>
          {state.selected.length === 1
            ? "Selected plot"
            : `${state.selected.length} selected plots`}
        </h2>
        <label class="check">
          <input
            id="jsroot-mode"
            type="checkbox"
            checked={state.jsroot}
            onChange={(e) => navigate({ jsroot: e.currentTarget.checked })}
          />
          JSROOT (interactive)
        </label>
        <button
          type="button"
          class="close"
          aria-label="Close the large view (Esc)"
          title="Close (Esc)"
          onClick={() => navigate({ selected: [] })}
        >
          ×
        </button>
      </div>
      {state.selected.map((p) => (
        <LargePlot
          key={p.path}
          state={state}
          plot={p}
          version={version}
        />
      ))}
    </aside>
  );
}

function LargePlot({ state, plot, version }: { state: AppState; plot: Selected; version: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth] = useSize(box);
  const [showOptions, setShowOptions] = useState(Object.keys(plot.options).length > 0);
  const sample = state.sample!;
  const width = Math.max(200, Math.floor(boxWidth / SIZE_STEP) * SIZE_STEP);
  const height = Math.round(width * 0.75 / SIZE_STEP) * SIZE_STEP;
  const extra = plot.overlays ?? [];
  const urls = boxWidth
    ? plotUrls(state, sample, plot.path, [width, height], plot.options, extra)
    : [];
  const name = plot.path.split("/").pop()!;
  const objects = overlayObjects(state, sample, plot.path, extra);
  const json = objects.length > 1 ? jsonOverlayUrl(objects) : jsonUrl(sample, plot.path);
  const png = plotUrls(state, sample, plot.path, [1200, 900], plot.options, extra)[0]!.url;
  return (
    <article class="large-plot" aria-label={plot.path}>
      <header>
        <h3 title={plot.path}>{name}</h3>
        <span class="path">{plot.path}</span>
        <div class="actions">
          <button
            type="button"
            aria-expanded={showOptions}
            onClick={() => setShowOptions(!showOptions)}
          >
            Options
          </button>
          <button
            type="button"
            class={state.trend ? "pressed" : ""}
            aria-pressed={!!state.trend}
            title="This plot's number over the runs of the dataset"
            onClick={() => navigate({ trend: state.trend ? "" : "auto" })}
          >
            Trend
          </button>
          <a class="button" href={png} download={`${name}.png`}>PNG</a>
          <a class="button" href={json} download={`${name}.json`}>JSON</a>
          <button
            type="button"
            aria-label={`Remove ${name} from the selection`}
            onClick={() =>
              navigate((s) => ({ selected: s.selected.filter((p) => p.path !== plot.path) }))}
          >
            ×
          </button>
        </div>
      </header>
      {showOptions && <OptionsForm plot={plot} />}
      {state.trend && !state.live && <TrendPanel state={state} path={plot.path} />}
      <div class="large-box" ref={box}>
        {boxWidth > 0 && (state.jsroot
          ? <JsrootPlot state={state} plot={plot} width={width} height={height} version={version} />
          : (
            <div class="large-images">
              {urls.map((u, i) => (
                <figure key={i}>
                  <PlotImage
                    url={u.url}
                    alt={`${plot.path}${u.label ? ` (${u.label})` : ""}`}
                    width={urls.length > 1 ? Math.floor(width / 2) : width}
                    height={urls.length > 1 ? Math.floor(height / 2) : height}
                    version={version}
                    onInteractive={() => navigate({ jsroot: true })}
                  />
                  {u.label && <figcaption>{u.label}</figcaption>}
                </figure>
              ))}
            </div>
          ))}
      </div>
    </article>
  );
}

function OptionsForm({ plot }: { plot: Selected }) {
  const o = plot.options;
  const set = (k: keyof PlotOptions, v: string | undefined) => {
    const next = { ...o };
    if (v === undefined || v === "") delete next[k];
    else next[k] = v;
    setOptions(plot.path, next);
  };
  return (
    <form class="plot-options" onSubmit={(e) => e.preventDefault()} aria-label="Plot options">
      {(["x", "y", "z"] as const).map((axis) => (
        <fieldset key={axis}>
          <legend>{axis}</legend>
          <label class="check">
            <input
              type="checkbox"
              name={`${axis}log`}
              checked={o[`${axis}type`] === "log"}
              onChange={(e) => set(`${axis}type`, e.currentTarget.checked ? "log" : undefined)}
            />
            log
          </label>
          <NumberField
            label={`${axis} min`}
            value={o[`${axis}min`]}
            onChange={(v) => set(`${axis}min`, v)}
          />
          <NumberField
            label={`${axis} max`}
            value={o[`${axis}max`]}
            onChange={(v) => set(`${axis}max`, v)}
          />
        </fieldset>
      ))}
      <fieldset>
        <legend>draw</legend>
        <label class="check">
          <input
            type="checkbox"
            name="stats"
            checked={o.stats !== "0"}
            onChange={(e) => set("stats", e.currentTarget.checked ? undefined : "0")}
          />
          stats
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="errors"
            checked={o.errors === "1"}
            onChange={(e) => set("errors", e.currentTarget.checked ? "1" : undefined)}
          />
          error bars
        </label>
        <label class="field">
          <span>option</span>
          <input
            name="drawopts"
            list="draw-options"
            value={o.drawopts ?? ""}
            placeholder="e.g. COLZ"
            spellcheck={false}
            onChange={(e) => set("drawopts", e.currentTarget.value.trim())}
          />
        </label>
        <datalist id="draw-options">
          {DRAW_OPTIONS.map((d) => <option value={d} key={d} />)}
        </datalist>
        <button type="button" class="link" onClick={() => setOptions(plot.path, {})}>
          reset
        </button>
      </fieldset>
    </form>
  );
}

function NumberField(
  { label, value, onChange }: {
    label: string;
    value?: string;
    onChange: (v: string | undefined) => void;
  },
) {
  const [text, setText] = useState(value ?? "");
  useEffect(() => setText(value ?? ""), [value]);
  const bad = text.trim() !== "" && !Number.isFinite(Number(text));
  return (
    <label class="field small">
      <span>{label.split(" ")[1]}</span>
      <input
        type="text"
        inputMode="decimal"
        name={label.replace(" ", "")}
        aria-label={label}
        aria-invalid={bad ? "true" : undefined}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={() => !bad && onChange(text.trim() || undefined)}
      />
    </label>
  );
}

function JsrootPlot(
  { state, plot, width, height, version }: {
    state: AppState;
    plot: Selected;
    width: number;
    height: number;
    version: string;
  },
) {
  const main = useRef<HTMLDivElement>(null);
  const ratioBox = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(true);
  const objects = overlayObjects(state, state.sample!, plot.path, plot.overlays);
  const mode = state.mode === "onside" ? "overlay" : state.mode;
  const withRatio = mode === "ratiooverlay" && objects.length > 1;
  const key = `${JSON.stringify(objects)}\n${mode}\n${state.norm}\n${
    JSON.stringify(plot.options)
  }\n${version}`;
  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    setBusy(true);
    (async () => {
      type Efficiency = { dqmProperties?: { efficiency?: boolean } };
      const [lib, body] = await Promise.all([
        import("./jsroot.ts"),
        objects.length > 1
          ? getJson<{ objects: unknown[] } & Efficiency>(jsonOverlayUrl(objects), ctl.signal)
            .then((b) => ({ objects: b.objects, efficiency: !!b.dqmProperties?.efficiency }))
          : getJson<Efficiency>(jsonUrl(state.sample!, plot.path), ctl.signal)
            .then((o) => ({ objects: [o], efficiency: !!o.dqmProperties?.efficiency })),
      ]);
      if (ctl.signal.aborted || !main.current) return;
      await lib.drawInto(main.current, withRatio ? ratioBox.current ?? undefined : undefined, {
        objects: body.objects,
        labels: objects.slice(1).map((o) => o.label),
        mode,
        // Efficiencies are never scaled to each other, as the server's overlays do.
        norm: state.norm && !body.efficiency,
        options: plot.options,
      });
    })().catch((e: Error) => {
      if (!ctl.signal.aborted && e.name !== "AbortError") setError(e.message);
    }).finally(() => {
      if (!ctl.signal.aborted) setBusy(false);
    });
    return () => ctl.abort();
  }, [key, width]);
  return (
    <div class="jsroot-wrap" aria-busy={busy}>
      {error && <p class="message error" role="alert">JSROOT cannot draw this plot: {error}</p>}
      <div
        class="jsroot-plot"
        ref={main}
        style={{
          width: `${width}px`,
          height: `${withRatio ? Math.round(height * 0.7) : height}px`,
        }}
      />
      {withRatio && (
        <div
          class="jsroot-plot ratio"
          ref={ratioBox}
          style={{ width: `${width}px`, height: `${Math.round(height * 0.3)}px` }}
        />
      )}
    </div>
  );
}

/** What a trend's numbers are called on its y axis. */
const TREND_LABELS: Record<string, string> = {
  auto: "automatic",
  value: "value",
  mean: "mean",
  rms: "std dev",
  entries: "entries",
  integral: "integral",
  min: "smallest bin",
  max: "largest bin",
};

/** Runs a trend follows. */
const TREND_RUNS = 50;

interface TrendAnswer {
  quantity: string;
  points: { run: number; lumi?: number; value: number; error?: number }[];
  missing: number[];
  failed: { run: number; lumi?: number; message: string }[];
}

/** The selected plot's number over the latest runs of its dataset, drawn by JSROOT. */
function TrendPanel({ state, path }: { state: AppState; path: string }) {
  const sample = state.sample!;
  const graph = useRef<HTMLDivElement>(null);
  const [answer, setAnswer] = useState<TrendAnswer | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const byLumi = state.trendBy === "lumi";
  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    setAnswer(undefined);
    const p = new URLSearchParams({ limit: String(TREND_RUNS) });
    if (state.trend !== "auto") p.set("quantity", state.trend);
    if (byLumi) p.set("lumis", String(sample.run));
    (async () => {
      const body = await getJson<TrendAnswer>(
        `api/v1/trend${encodePath(sample.dataset)}/${encodePath(path)}?${p}`,
        ctl.signal,
      );
      if (ctl.signal.aborted) return;
      setAnswer(body);
      if (body.points.length > 0 && graph.current) {
        const lib = await import("./jsroot.ts");
        if (ctl.signal.aborted || !graph.current) return;
        await lib.drawTrend(
          graph.current,
          body.points.map((pt) => ({ ...pt, x: byLumi ? pt.lumi! : pt.run })),
          path,
          TREND_LABELS[body.quantity]!,
          byLumi ? `lumisection (run ${sample.run})` : "run",
        );
      }
    })().catch((e: Error) => {
      if (!ctl.signal.aborted && e.name !== "AbortError") setError(e.message);
    });
    return () => ctl.abort();
  }, [sample.dataset, sample.run, path, state.trend, byLumi]);
  return (
    <section class="trend" aria-label={`Trend of ${path}`}>
      <div class="trend-head">
        <h4>Trend</h4>
        <label>
          <span class="visually-hidden">Points</span>
          <select
            class="trend-by"
            value={state.trendBy}
            onChange={(e) =>
              navigate({ trendBy: e.currentTarget.value as AppState["trendBy"] }, {
                replace: true,
              })}
          >
            <option value="run">over the latest {TREND_RUNS} runs</option>
            <option value="lumi">over the lumisections of run {sample.run}</option>
          </select>
        </label>
        <label>
          <span class="visually-hidden">Quantity</span>
          <select
            class="trend-quantity"
            value={state.trend}
            onChange={(e) => navigate({ trend: e.currentTarget.value }, { replace: true })}
          >
            {TREND_CHOICES.map((q) => <option value={q} key={q}>{TREND_LABELS[q]}</option>)}
          </select>
        </label>
        {answer && (
          <span class="trend-status" data-points={answer.points.length}>
            {answer.points.length} {byLumi ? "lumisections" : "runs"}
            {answer.missing.length > 0 && `, ${answer.missing.length} without it`}
            {answer.failed.length > 0 && `, ${answer.failed.length} unreadable`}
          </span>
        )}
      </div>
      {error && <p class="message error" role="alert">{error}</p>}
      {answer && answer.points.length === 0 && (
        <p class="message">
          {byLumi
            ? `No lumisection of run ${sample.run} has this number for this plot.`
            : "No run of this dataset has this number for this plot."}
        </p>
      )}
      {answer?.failed.map((f) => <p class="message error" key={f.run}>Run {f.run}: {f.message}</p>)}
      <div class="trend-plot" ref={graph} aria-busy={!answer && !error} />
    </section>
  );
}
