/// <reference lib="dom" />
/**
 * @module
 * Live mode: follow the newest run and snapshot of the online dataset
 * through the server's push stream (`/api/v1/live/events`, Server-Sent
 * Events), without polling. The browser's EventSource reconnects by itself
 * and resumes with `Last-Event-ID`. When the stream is unavailable the app
 * says so (and falls back to asking for the newest run every 20 s).
 */

import { useEffect, useState } from "preact/hooks";
import { findSamples, getJson, type LiveSnapshot } from "./api.ts";
import { LIVE_DATASET } from "./state.ts";

/** What the live view knows. */
export interface LiveInfo {
  /** Newest run of the live dataset (0 until known). */
  run: number;
  /** Registration time (ms) of the newest snapshot shown, 0 when unknown. */
  updated: number;
  /** Snapshots received since the page opened. */
  snapshots: number;
  /** "connecting" | "open" | "polling" (push unavailable). */
  link: "connecting" | "open" | "polling";
}

/** Fallback poll interval when the push stream cannot be opened. */
const POLL_MS = 20_000;

async function newestRun(): Promise<{ run: number; updated: number }> {
  const status = await getJson<{ snapshots: LiveSnapshot[] }>("api/v1/live/status");
  const snap = status.snapshots.find((s) => s.dataset === LIVE_DATASET);
  if (snap) return { run: snap.run, updated: snap.registered };
  const found = await findSamples({
    dataset: LIVE_DATASET,
    exact: true,
    regex: false,
    runs: "",
    lumi: "",
    limit: 1,
  });
  return { run: found.data[0]?.run ?? 0, updated: 0 };
}

/**
 * Follow the live dataset while `active` and not `paused`. Paused, the
 * view keeps what it shows; resuming catches up at once.
 *
 * @param active live mode is on
 * @param paused the user paused following
 * @returns the live info
 */
export function useLive(active: boolean, paused: boolean): LiveInfo {
  const [info, setInfo] = useState<LiveInfo>({
    run: 0,
    updated: 0,
    snapshots: 0,
    link: "connecting",
  });
  useEffect(() => {
    if (!active || paused) return;
    let closed = false;
    const apply = (run: number, updated: number, counted: boolean) => {
      if (closed) return;
      setInfo((old) => ({
        run: Math.max(run, old.run),
        updated: Math.max(updated, old.updated),
        snapshots: old.snapshots + (counted ? 1 : 0),
        link: old.link,
      }));
    };
    newestRun().then((r) => apply(r.run, r.updated, false), () => {});
    let poll: ReturnType<typeof setInterval> | undefined;
    const source = new EventSource("api/v1/live/events");
    source.addEventListener("open", () => {
      clearInterval(poll);
      poll = undefined;
      setInfo((old) => ({ ...old, link: "open" }));
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED && poll === undefined) {
        setInfo((old) => ({ ...old, link: "polling" }));
        poll = setInterval(
          () => newestRun().then((r) => apply(r.run, r.updated, false), () => {}),
          POLL_MS,
        );
      }
    });
    const onEvent = (e: MessageEvent<string>) => {
      const data = JSON.parse(e.data) as {
        dataset: string;
        run: number;
        registered: number;
        type: string;
      };
      if (data.dataset !== LIVE_DATASET) return;
      apply(data.run, data.registered, data.type === "snapshot");
    };
    source.addEventListener("snapshot", onEvent);
    source.addEventListener("run", onEvent);
    return () => {
      closed = true;
      clearInterval(poll);
      source.close();
    };
  }, [active, paused]);
  return info;
}
