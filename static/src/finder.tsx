/// <reference lib="dom" />
/**
 * @module
 * Find a sample: dataset text (substring or regular expression, any case),
 * run numbers (exact, ranges "355100-355200", bounds ">=355000", lists),
 * per-lumisection samples with an optional lumi; results grouped by
 * dataset, latest runs first. With nothing typed, it lists the latest runs.
 */

import { useEffect, useState } from "preact/hooks";
import { type FindResult, findSamples } from "./api.ts";
import { useLoad } from "./hooks.ts";
import { type AppState, LIVE_DATASET, navigate, type Sample } from "./state.ts";

/** Runs shown per dataset before "show all". */
const RUNS_SHOWN = 60;

/**
 * Group samples by dataset, keeping the order of first appearance
 * (the server answers latest runs first).
 *
 * @param samples the samples
 * @returns dataset → samples
 */
export function groupByDataset(samples: Sample[]): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const g = groups.get(s.dataset);
    if (g) g.push(s);
    else groups.set(s.dataset, [s]);
  }
  return groups;
}

function lumiParam(f: AppState["finder"]): string {
  if (f.lumi === "") return "";
  return f.lumi === "all" ? "-1" : f.lumi;
}

/**
 * The sample finder (the home view).
 *
 * @param props the state
 * @returns the view
 */
export function Finder({ state }: { state: AppState }) {
  const f = state.finder;
  const [draft, setDraft] = useState(f);
  useEffect(() => setDraft(f), [f.dataset, f.regex, f.runs, f.lumi]);

  // Typing updates the URL (one history entry) after a short pause.
  useEffect(() => {
    const t = setTimeout(() => {
      if (JSON.stringify(draft) !== JSON.stringify(f)) {
        navigate({ finder: draft }, { replace: true });
      }
    }, 250);
    return () => clearTimeout(t);
  }, [draft]);

  const empty = !f.dataset && !f.runs && !f.lumi;
  const key = JSON.stringify(f);
  const found = useLoad<FindResult>(key, (signal) =>
    findSamples({
      dataset: f.dataset,
      regex: f.regex,
      runs: f.runs,
      lumi: lumiParam(f),
      limit: empty ? 500 : 5000,
    }, signal));
  const live = useLoad(
    "live",
    (signal) =>
      findSamples({
        dataset: LIVE_DATASET,
        regex: false,
        runs: "",
        lumi: "",
        exact: true,
        limit: 1,
      }, signal),
  );
  const hasLive = live.status === "ok" && live.value.data.length > 0;

  return (
    <main class="finder" aria-labelledby="finder-title">
      <h1 id="finder-title" class="visually-hidden">Find a sample</h1>
      <form
        class="finder-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ finder: draft });
        }}
      >
        <label class="field grow">
          <span>Dataset</span>
          <input
            id="find-dataset"
            type="search"
            placeholder={draft.regex
              ? "regular expression, e.g. ^/ZeroBias/.*2022"
              : "part of the name, e.g. ZeroBias"}
            value={draft.dataset}
            autoFocus
            spellcheck={false}
            onInput={(e) => setDraft({ ...draft, dataset: e.currentTarget.value })}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.regex}
            onChange={(e) => setDraft({ ...draft, regex: e.currentTarget.checked })}
          />
          regex
        </label>
        <label class="field">
          <span>Runs</span>
          <input
            id="find-runs"
            type="search"
            placeholder="355100, 355100-355200, >=355000"
            value={draft.runs}
            spellcheck={false}
            onInput={(e) => setDraft({ ...draft, runs: e.currentTarget.value })}
          />
        </label>
        <label class="check">
          <input
            id="find-per-lumi"
            type="checkbox"
            checked={draft.lumi !== ""}
            onChange={(e) => setDraft({ ...draft, lumi: e.currentTarget.checked ? "all" : "" })}
          />
          per lumisection
        </label>
        {draft.lumi !== "" && (
          <label class="field small">
            <span>Lumi</span>
            <input
              id="find-lumi"
              type="text"
              inputMode="numeric"
              placeholder="all"
              value={draft.lumi === "all" ? "" : draft.lumi}
              onInput={(e) => {
                const v = e.currentTarget.value.trim();
                setDraft({ ...draft, lumi: /^\d+$/.test(v) ? v : "all" });
              }}
            />
          </label>
        )}
        <button type="submit" class="primary">Search</button>
        {hasLive && (
          <button
            type="button"
            class="live-button"
            onClick={() => navigate({ live: true, paused: false, sample: undefined, folder: "" })}
          >
            ● Live
          </button>
        )}
      </form>
      <Results loaded={found} title={empty ? "Latest runs" : "Samples"} />
    </main>
  );
}

function Results(
  { loaded, title }: { loaded: ReturnType<typeof useLoad<FindResult>>; title: string },
) {
  if (loaded.status === "error") {
    return <p class="message error" role="alert">{loaded.error.message}</p>;
  }
  const result = loaded.value;
  if (!result) return <p class="message" aria-busy="true">Searching…</p>;
  if (result.data.length === 0) {
    return <p class="message">No samples match. Try fewer words, another run range or no lumi.</p>;
  }
  const groups = groupByDataset(result.data);
  return (
    <section class="results" aria-label={title} aria-busy={loaded.status === "loading"}>
      <h2>
        {title}
        <small>
          {result.total.toLocaleString("en")} sample{result.total === 1 ? "" : "s"} in{" "}
          {groups.size.toLocaleString("en")} dataset{groups.size === 1 ? "" : "s"}
          {result.truncated && ` (first ${result.data.length.toLocaleString("en")} shown)`}
        </small>
      </h2>
      <ul class="groups">
        {[...groups].map(([dataset, samples]) => (
          <DatasetGroup key={dataset} dataset={dataset} samples={samples} />
        ))}
      </ul>
    </section>
  );
}

function DatasetGroup({ dataset, samples }: { dataset: string; samples: Sample[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? samples : samples.slice(0, RUNS_SHOWN);
  return (
    <li class="group">
      <div class="group-head">
        <span class="dataset">{dataset}</span>
        <span class="count">{samples.length.toLocaleString("en")}</span>
      </div>
      <div class="runs">
        {shown.map((s) => (
          <button
            type="button"
            class="run-pill"
            key={`${s.run}:${s.lumi}`}
            onClick={() =>
              navigate({
                sample: s,
                live: false,
                folder: "",
                search: "",
                selected: [],
                refs: [],
              })}
          >
            {s.run}
            {s.lumi ? <small>:{s.lumi}</small> : null}
          </button>
        ))}
        {samples.length > shown.length && (
          <button
            type="button"
            class="link"
            onClick={() => setAll(true)}
          >
            show all {samples.length.toLocaleString("en")}
          </button>
        )}
      </div>
    </li>
  );
}
