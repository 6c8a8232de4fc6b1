/// <reference lib="dom" />
/**
 * @module
 * The current sample in the header: its dataset (a link back to the finder,
 * prefilled), the run with ◀ ▶ stepping through the runs of exactly this
 * dataset, and the lumisection with ◀ ▶ when the run has per-lumi samples.
 */

import { findSamples, scalarValues } from "./api.ts";
import { useLoad } from "./hooks.ts";
import { type AppState, navigate, type Sample } from "./state.ts";

/** Runs of a dataset, newest first, and lumis of a run, ascending. */
interface Neighbours {
  runs: number[];
  lumis: number[];
}

async function neighbours(s: Sample, signal: AbortSignal): Promise<Neighbours> {
  const [runs, lumis] = await Promise.all([
    findSamples(
      { dataset: s.dataset, exact: true, regex: false, runs: "", lumi: "", limit: 10000 },
      signal,
    ),
    findSamples(
      {
        dataset: s.dataset,
        exact: true,
        regex: false,
        runs: String(s.run),
        lumi: "-1",
        limit: 10000,
      },
      signal,
    ),
  ]);
  return {
    runs: runs.data.map((r) => r.run),
    lumis: lumis.data.map((r) => r.lumi).sort((a, b) => a - b),
  };
}

/**
 * The run before (older) or after (newer) the current one.
 *
 * @param runs runs, newest first
 * @param run the current run
 * @param step -1 older, +1 newer
 * @returns the neighbour, or undefined at either end
 */
export function stepRun(runs: number[], run: number, step: -1 | 1): number | undefined {
  const older = runs.filter((r) => r < run);
  const newer = runs.filter((r) => r > run);
  return step < 0 ? older[0] : newer[newer.length - 1];
}

/**
 * Change to another run of the same dataset, keeping folder, selection and options.
 *
 * @param s the state
 * @param run the run
 */
export function goToRun(s: AppState, run: number): void {
  if (!s.sample) return;
  navigate({ sample: { ...s.sample, run, lumi: 0 } });
}

/**
 * Header navigation for the current sample.
 *
 * @param props the state
 * @returns the bar
 */
export function SampleBar({ state }: { state: AppState }) {
  const s = state.sample!;
  const loaded = useLoad(`${s.dataset}\n${s.run}`, (signal) => neighbours(s, signal));
  const n = loaded.value;
  const older = n && stepRun(n.runs, s.run, -1);
  const newer = n && stepRun(n.runs, s.run, 1);
  const lumiIndex = n ? n.lumis.indexOf(s.lumi) : -1;
  const setLumi = (lumi: number) => navigate({ sample: { ...s, lumi } });
  return (
    <nav class="sample-bar" aria-label="Sample">
      <button
        type="button"
        class="dataset-link"
        title="Find another sample of this dataset"
        onClick={() =>
          navigate({
            sample: undefined,
            live: false,
            finder: { dataset: s.dataset, regex: false, runs: "", lumi: "" },
          })}
      >
        {s.dataset}
      </button>
      <span class="stepper" role="group" aria-label="Run">
        <button
          type="button"
          id="run-prev"
          aria-label="Previous run"
          title="Previous (older) run"
          disabled={older === undefined}
          onClick={() => older !== undefined && goToRun(state, older)}
        >
          ◀
        </button>
        <label>
          <span class="visually-hidden">Run</span>
          <select
            id="run-select"
            value={String(s.run)}
            onChange={(e) => goToRun(state, Number(e.currentTarget.value))}
          >
            {(n?.runs ?? [s.run]).map((r) => <option value={String(r)} key={r}>Run {r}</option>)}
            {n && !n.runs.includes(s.run) && <option value={String(s.run)}>Run {s.run}</option>}
          </select>
        </label>
        <button
          type="button"
          id="run-next"
          aria-label="Next run"
          title="Next (newer) run"
          disabled={newer === undefined}
          onClick={() => newer !== undefined && goToRun(state, newer)}
        >
          ▶
        </button>
      </span>
      {n && n.lumis.length > 0 && (
        <span class="stepper" role="group" aria-label="Lumisection">
          <button
            type="button"
            aria-label="Previous lumisection"
            disabled={s.lumi === 0 || lumiIndex === 0}
            onClick={() => setLumi(lumiIndex > 0 ? n.lumis[lumiIndex - 1]! : 0)}
          >
            ◀
          </button>
          <label>
            <span class="visually-hidden">Lumisection</span>
            <select
              id="lumi-select"
              value={String(s.lumi)}
              onChange={(e) => setLumi(Number(e.currentTarget.value))}
            >
              <option value="0">whole run</option>
              {n.lumis.map((l) => <option value={String(l)} key={l}>LS {l}</option>)}
            </select>
          </label>
          <button
            type="button"
            aria-label="Next lumisection"
            disabled={lumiIndex === n.lumis.length - 1}
            onClick={() => setLumi(n.lumis[lumiIndex + 1]!)}
          >
            ▶
          </button>
        </span>
      )}
      <RunFacts sample={s} />
      {loaded.status === "error" && (
        <span class="message error" role="alert">{loaded.error.message}</span>
      )}
    </nav>
  );
}

/** What a sample says about its run, from every subsystem's EventInfo. */
interface Facts {
  lumi?: number;
  events?: number;
}

/**
 * The furthest lumisection and event count any subsystem's `EventInfo`
 * reports for the sample (subsystems lag each other; the original read HLT's
 * alone and showed nothing when HLT was absent).
 *
 * @param sample the sample
 * @param signal cancels it
 * @returns the facts found (fields absent when no subsystem reports them)
 */
export async function runFacts(sample: Sample, signal: AbortSignal): Promise<Facts> {
  const facts: Facts = {};
  for (
    const { path, value } of await scalarValues(sample, "/EventInfo/(iLumiSection|iEvent)$", signal)
  ) {
    if (value < 0) continue;
    if (path.endsWith("/iLumiSection")) facts.lumi = Math.max(facts.lumi ?? 0, value);
    else facts.events = Math.max(facts.events ?? 0, value);
  }
  return facts;
}

/**
 * "LS 538 · 40,941,515 events" for a sample, refreshed with `version`.
 *
 * @param props the sample and a value that changes when it is updated (live)
 * @returns the facts, or nothing when the sample reports none
 */
export function RunFacts({ sample, version = "" }: { sample: Sample; version?: string | number }) {
  const loaded = useLoad(
    `${sample.dataset}\n${sample.run}\n${sample.lumi}\n${version}`,
    (signal) => runFacts(sample, signal),
  );
  const f = loaded.value;
  if (!f || (f.lumi === undefined && f.events === undefined)) return null;
  const parts = [];
  if (f.lumi !== undefined) parts.push(`LS ${f.lumi.toLocaleString("en")}`);
  if (f.events !== undefined) parts.push(`${f.events.toLocaleString("en")} events`);
  return (
    <span
      id="run-facts"
      class="run-facts"
      title="The furthest lumisection and event count reported by any subsystem's EventInfo"
    >
      {parts.join(" · ")}
    </span>
  );
}
