/// <reference lib="dom" />
/**
 * @module
 * Compare: overlay the same ME from other runs, datasets or lumisections,
 * or other MEs of this sample, on every plot (tiles and the large view),
 * with labels, the modes overlay / ratio / stacked / side by side, and
 * normalisation on or off. References live in the URL (`ref`, `with`).
 */

import { useState } from "preact/hooks";
import { findSamples, searchMEs } from "./api.ts";
import { useLoad } from "./hooks.ts";
import {
  type AppState,
  MAX_REFS,
  navigate,
  OVERLAY_MODES,
  type OverlayMode,
  type Reference,
  type Sample,
  sampleText,
} from "./state.ts";

const MODE_LABELS: Record<OverlayMode, string> = {
  overlay: "overlay",
  ratiooverlay: "overlay + ratio",
  stacked: "stacked",
  onside: "side by side",
};

function setRefs(refs: Reference[]): void {
  navigate({ refs });
}

/**
 * The compare panel.
 *
 * @param props state
 * @returns the panel
 */
export function Compare({ state }: { state: AppState }) {
  const full = state.refs.length >= MAX_REFS;
  return (
    <section class="compare" aria-label="Compare">
      <div class="compare-row">
        <label class="field">
          <span>Mode</span>
          <select
            id="overlay-mode"
            value={state.mode}
            onChange={(e) => navigate({ mode: e.currentTarget.value as OverlayMode })}
          >
            {OVERLAY_MODES.map((m) => <option value={m} key={m}>{MODE_LABELS[m]}</option>)}
          </select>
        </label>
        <label class="check">
          <input
            id="overlay-norm"
            type="checkbox"
            checked={state.norm}
            onChange={(e) => navigate({ norm: e.currentTarget.checked })}
          />
          normalise
        </label>
        {state.refs.length > 0 && (
          <button type="button" class="link" onClick={() => setRefs([])}>remove all</button>
        )}
      </div>
      {state.refs.length > 0 && (
        <ol class="refs">
          {state.refs.map((r, i) => (
            <li key={i}>
              <span class="ref-what">{r.sample ? sampleText(r.sample) : r.path}</span>
              <label class="field small">
                <span class="visually-hidden">Label</span>
                <input
                  type="text"
                  value={r.label}
                  placeholder={r.sample ? String(r.sample.run) : "label"}
                  aria-label={`Label of reference ${i + 1}`}
                  onChange={(e) =>
                    setRefs(
                      state.refs.map((x, j) =>
                        j === i ? { ...x, label: e.currentTarget.value } : x
                      ),
                    )}
                />
              </label>
              <button
                type="button"
                aria-label={`Remove reference ${i + 1}`}
                onClick={() => setRefs(state.refs.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      {full ? <p class="message">At most {MAX_REFS} references.</p> : (
        <div class="pickers">
          <SamplePicker state={state} />
          <MEPicker state={state} />
        </div>
      )}
    </section>
  );
}

function SamplePicker({ state }: { state: AppState }) {
  const current = state.sample!;
  const [dataset, setDataset] = useState(current.dataset);
  const [run, setRun] = useState("");
  const [lumi, setLumi] = useState("");
  const [label, setLabel] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const runs = useLoad(
    dataset,
    (signal) =>
      findSamples({ dataset, exact: true, regex: false, runs: "", lumi: "", limit: 10000 }, signal),
  );
  const add = async () => {
    const ref: Sample = { dataset, run: Number(run), lumi: lumi ? Number(lumi) : 0 };
    if (!/^\d+$/.test(run)) return setProblem("Give a run number.");
    if (lumi && !/^\d+$/.test(lumi)) return setProblem("The lumisection must be a number.");
    try {
      const found = await findSamples({
        dataset,
        exact: true,
        regex: false,
        runs: run,
        lumi: lumi || "",
        limit: 1,
      });
      if (found.data.length === 0) {
        return setProblem(`No sample ${sampleText(ref)} is registered.`);
      }
    } catch (error) {
      return setProblem((error as Error).message);
    }
    setProblem(undefined);
    setRefs([...state.refs, { sample: ref, label }]);
    setLabel("");
  };
  return (
    <form
      class="picker"
      aria-label="Overlay the same plots from another sample"
      onSubmit={(e) => {
        e.preventDefault();
        add();
      }}
    >
      <h3>Same plots from another run, dataset or lumisection</h3>
      <label class="field grow">
        <span>Dataset</span>
        <input
          id="ref-dataset"
          value={dataset}
          spellcheck={false}
          onChange={(e) => setDataset(e.currentTarget.value.trim())}
        />
      </label>
      <label class="field small">
        <span>Run</span>
        <input
          id="ref-run"
          list="ref-runs"
          inputMode="numeric"
          value={run}
          onInput={(e) => setRun(e.currentTarget.value.trim())}
        />
        <datalist id="ref-runs">
          {(runs.value?.data ?? []).filter((s) =>
            s.run !== current.run || dataset !== current.dataset
          )
            .slice(0, 500).map((s) => <option value={String(s.run)} key={s.run} />)}
        </datalist>
      </label>
      <label class="field small">
        <span>Lumi</span>
        <input
          id="ref-lumi"
          inputMode="numeric"
          placeholder="run"
          value={lumi}
          onInput={(e) => setLumi(e.currentTarget.value.trim())}
        />
      </label>
      <label class="field small">
        <span>Label</span>
        <input id="ref-label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <button type="submit" id="ref-add">Add</button>
      {problem && <p class="message error" role="alert">{problem}</p>}
    </form>
  );
}

function MEPicker({ state }: { state: AppState }) {
  const [text, setText] = useState("");
  const [label, setLabel] = useState("");
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const hints = useLoad(
    text.length >= 2 ? `${text}` : undefined,
    (signal) => searchMEs(state.sample!, "", escaped, "", signal),
  );
  return (
    <form
      class="picker"
      aria-label="Overlay another plot of this sample"
      onSubmit={(e) => {
        e.preventDefault();
        const path = text.trim().replace(/^\/+/, "");
        if (!path) return;
        setRefs([...state.refs, { path, label }]);
        setText("");
        setLabel("");
      }}
    >
      <h3>Another plot of this sample</h3>
      <label class="field grow">
        <span>ME path</span>
        <input
          id="ref-me"
          list="ref-mes"
          value={text}
          spellcheck={false}
          placeholder="type part of a path"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <datalist id="ref-mes">
          {(hints.value?.data ?? []).slice(0, 50).map((m) => (
            <option
              value={m.path}
              key={m.path}
            />
          ))}
        </datalist>
      </label>
      <label class="field small">
        <span>Label</span>
        <input value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <button type="submit">Add</button>
    </form>
  );
}
