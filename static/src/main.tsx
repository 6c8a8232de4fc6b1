/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * @module
 * The DQM GUI browser app: find a sample, browse its folders and plots,
 * look at plots closely, compare them, follow live data. All state is in
 * the URL (state.ts); this module lays out the views and binds the
 * keyboard: `/` search, arrows step runs (and tiles, inside the grid),
 * Esc closes.
 */

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { errorOf, findSamples, getJson } from "./api.ts";
import { Browse } from "./browse.tsx";
import { Compare } from "./compare.tsx";
import { Finder } from "./finder.tsx";
import { useAppState, useLoad } from "./hooks.ts";
import { LargeView } from "./largeview.tsx";
import { useLive } from "./live.ts";
import { goToRun, RunFacts, SampleBar, stepRun } from "./samplebar.tsx";
import { type AppState, getState, LIVE_DATASET, navigate, sampleText } from "./state.ts";

function App() {
  const state = useAppState();
  const live = useLive(state.live, state.paused);
  const [compareOpen, setCompareOpen] = useState(state.refs.length > 0);
  const host = useLoad("host", (signal) => getJson<{ host: string }>("api/v1/host", signal));

  // Live mode shows the newest run unless the URL names one.
  const following = state.live && (!state.sample || state.sample.run === 0);
  const sample = following
    ? (live.run ? { dataset: LIVE_DATASET, run: live.run, lumi: 0 } : undefined)
    : state.sample;
  const view: AppState = { ...state, sample };
  const version = state.live ? String(live.updated) : "";

  useEffect(() => {
    const where = sample
      ? `${sampleText(sample)}${state.folder ? ` – ${state.folder}` : ""}`
      : "Find a sample";
    document.title = `${where} – DQM GUI`;
  }, [sample?.dataset, sample?.run, sample?.lumi, state.folder]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onGlobalKey(e, setCompareOpen);
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <header class="top">
        <button
          type="button"
          class="brand"
          title="Home: find a sample"
          onClick={() =>
            navigate({
              sample: undefined,
              live: false,
              selected: [],
              refs: [],
              folder: "",
              search: "",
            })}
        >
          <span class="logo" aria-hidden="true">◉</span> DQM GUI
          <small>{host.value?.host ?? ""}</small>
        </button>
        {state.live
          ? <LiveBar state={state} info={live} />
          : state.sample && <SampleBar state={view} />}
        <div class="top-actions">
          {sample && (
            <button
              type="button"
              id="compare-toggle"
              aria-expanded={compareOpen}
              onClick={() => setCompareOpen(!compareOpen)}
            >
              Compare{state.refs.length ? ` (${state.refs.length})` : ""}
            </button>
          )}
          <CopyLink />
        </div>
      </header>
      {!sample
        ? (state.live
          ? <p class="message" aria-busy="true">Waiting for the first live snapshot…</p>
          : <Finder state={state} />)
        : (
          <div class={`workspace ${state.selected.length ? "split" : ""}`}>
            <div class="left">
              {compareOpen && <Compare state={view} />}
              <Browse state={view} version={version} />
            </div>
            {state.selected.length > 0 && <LargeView state={view} version={version} />}
          </div>
        )}
    </>
  );
}

function LiveBar({ state, info }: { state: AppState; info: ReturnType<typeof useLive> }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const ago = info.updated
    ? Math.max(0, Math.round((Date.now() - info.updated) / 1000))
    : undefined;
  return (
    <div class="live-bar" role="status" aria-live="polite">
      <span class={`live-dot ${state.paused ? "paused" : info.link}`} aria-hidden="true">●</span>
      <strong>LIVE</strong>
      <span>{LIVE_DATASET}</span>
      <span id="live-run">Run {info.run || "…"}</span>
      {info.run > 0 && (
        <RunFacts
          sample={{ dataset: LIVE_DATASET, run: info.run, lumi: 0 }}
          version={info.updated}
        />
      )}
      <span id="live-updated" data-updated={info.updated}>
        {info.updated
          ? `updated ${new Date(info.updated).toISOString().slice(11, 19)} UTC (${ago} s ago)`
          : "no snapshot yet"}
      </span>
      {info.link === "polling" && !state.paused && (
        <span class="hint">push unavailable, checking every 20 s</span>
      )}
      <button
        type="button"
        id="live-pause"
        aria-pressed={state.paused}
        onClick={() => navigate({ paused: !state.paused }, { replace: true })}
      >
        {state.paused ? "Resume" : "Pause"}
      </button>
    </div>
  );
}

/**
 * A short link to this view (`l/<id>`, made by the server), or the full URL
 * when the server cannot make one.
 */
async function shareableLink(): Promise<string> {
  try {
    const res = await fetch("api/v1/links", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: location.search || "?" }),
    });
    if (!res.ok) throw await errorOf(res);
    const { link } = await res.json() as { link: string };
    return new URL(link, document.baseURI).href;
  } catch {
    return location.href;
  }
}

function CopyLink() {
  const [copied, setCopied] = useState<string | undefined>(undefined);
  return (
    <button
      type="button"
      id="copy-link"
      title="Copy a short link to exactly this view"
      data-link={copied}
      onClick={async () => {
        const link = await shareableLink();
        try {
          await navigator.clipboard.writeText(link);
        } catch {
          prompt("Copy this link:", link);
        }
        setCopied(link);
        setTimeout(() => setCopied(undefined), 2000);
      }}
    >
      {copied ? "Copied" : "Copy link"}
    </button>
  );
}

/** Inputs that take keys themselves (a focused checkbox or button does not). */
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range"]);

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.tagName === "INPUT") return !NON_TEXT_INPUTS.has((el as HTMLInputElement).type);
  return el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable;
}

async function stepRunBy(step: -1 | 1): Promise<void> {
  const s = getState();
  if (!s.sample || s.live) return;
  const runs = await findSamples({
    dataset: s.sample.dataset,
    exact: true,
    regex: false,
    runs: "",
    lumi: "",
    limit: 10000,
  });
  const run = stepRun(runs.data.map((r) => r.run), s.sample.run, step);
  if (run !== undefined) goToRun(s, run);
}

function onGlobalKey(e: KeyboardEvent, setCompareOpen: (open: boolean) => void): void {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "Escape") {
    if (typing(e.target)) return (e.target as HTMLElement).blur();
    const s = getState();
    if (s.play) navigate({ play: 0, selected: [] });
    else if (s.selected.length) navigate({ selected: [] });
    else setCompareOpen(false);
    return;
  }
  if (typing(e.target)) return;
  if (e.key === "/") {
    const box = document.querySelector<HTMLInputElement>("#me-search, #find-dataset");
    if (box) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  } else if (
    (e.key === "ArrowLeft" || e.key === "ArrowRight") &&
    !(e.target as HTMLElement)?.closest?.(".tile")
  ) {
    e.preventDefault();
    stepRunBy(e.key === "ArrowLeft" ? -1 : 1);
  }
}

render(<App />, document.getElementById("app")!);
