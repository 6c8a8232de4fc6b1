/**
 * @module
 * Live-mode announcements: every registered protobuf snapshot and every new
 * run of a live dataset becomes an event that frontends receive through
 * Server-Sent Events instead of polling. Events carry increasing ids; a
 * client reconnecting with `Last-Event-ID` gets what it missed from a small
 * ring of recent events.
 */

/** A new snapshot replaced a sample's file. */
export interface SnapshotEvent {
  type: "snapshot";
  dataset: string;
  run: number;
  lumi: number;
  /** The new file. */
  file: string;
  /** Registration time, ms since the epoch. */
  registered: number;
  /** Number of MEs in the snapshot. */
  mes: number;
}

/** A live dataset got a run newer than any before. */
export interface RunEvent {
  type: "run";
  dataset: string;
  run: number;
  registered: number;
}

/** Anything announced. */
export type LiveEvent = SnapshotEvent | RunEvent;

/** A listener gets the event id and the event. */
export type LiveListener = (id: number, event: LiveEvent) => void;

/** Recent events kept for reconnecting clients. */
const RING_SIZE = 256;

/**
 * Publishes live events to subscribers.
 *
 * @example
 * ```ts
 * import { LiveHub } from "./live.ts";
 * const hub = new LiveHub();
 * const seen: number[] = [];
 * const stop = hub.subscribe((_id, e) => seen.push(e.run));
 * hub.publish({ type: "run", dataset: "/Global/Online/ALL", run: 355100, registered: 0 });
 * stop();
 * if (seen[0] !== 355100) throw new Error("not delivered");
 * ```
 */
export class LiveHub {
  #next = 1;
  readonly #ring: { id: number; event: LiveEvent }[] = [];
  readonly #listeners = new Set<LiveListener>();

  /** Number of connected subscribers. */
  get subscribers(): number {
    return this.#listeners.size;
  }

  /** The id the next event will get. */
  get nextId(): number {
    return this.#next;
  }

  /**
   * Announce an event to every subscriber.
   *
   * @param event the event
   * @returns its id
   */
  publish(event: LiveEvent): number {
    const id = this.#next++;
    this.#ring.push({ id, event });
    if (this.#ring.length > RING_SIZE) this.#ring.shift();
    for (const listener of [...this.#listeners]) {
      try {
        listener(id, event);
      } catch {
        // A broken subscriber (e.g. a closed stream) must not stop the others.
        this.#listeners.delete(listener);
      }
    }
    return id;
  }

  /**
   * Receive events; with `after`, first the recent events with larger ids.
   *
   * @param listener called for each event
   * @param after id of the last event the caller saw (Last-Event-ID)
   * @returns a function that unsubscribes
   */
  subscribe(listener: LiveListener, after?: number): () => void {
    if (after !== undefined) {
      for (const { id, event } of this.#ring) if (id > after) listener(id, event);
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The most recent snapshot event of each dataset still in the ring.
   *
   * @returns snapshot events, newest first
   */
  latestSnapshots(): SnapshotEvent[] {
    const seen = new Set<string>();
    const out: SnapshotEvent[] = [];
    for (let i = this.#ring.length - 1; i >= 0; i--) {
      const e = this.#ring[i]!.event;
      if (e.type === "snapshot" && !seen.has(e.dataset)) {
        seen.add(e.dataset);
        out.push(e);
      }
    }
    return out;
  }
}
