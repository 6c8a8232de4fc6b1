/// <reference lib="dom" />
/**
 * @module
 * Small Preact hooks shared by the views: the URL state, cancellable data
 * loading, element visibility and element size.
 */

import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { type AppState, getState, subscribe } from "./state.ts";

/**
 * The current state; rerenders on every navigation.
 *
 * @returns the state
 */
export function useAppState(): AppState {
  const [s, set] = useState(getState);
  useEffect(() => subscribe(set), []);
  return s;
}

/** What an async load gives a view. */
export type Loaded<T> =
  | { status: "loading"; value?: T }
  | { status: "ok"; value: T }
  | { status: "error"; error: Error; value?: T };

/**
 * Load data when `key` changes; the previous request is aborted, and the
 * previous value stays available while the next one loads (no flicker).
 *
 * @param key identifies the request; undefined loads nothing
 * @param load the request
 * @returns the load state
 */
export function useLoad<T>(
  key: string | undefined,
  load: (signal: AbortSignal) => Promise<T>,
): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const last = useRef<T | undefined>(undefined);
  useEffect(() => {
    if (key === undefined) return;
    const ctl = new AbortController();
    setState({ status: "loading", value: last.current });
    load(ctl.signal).then(
      (value) => {
        if (ctl.signal.aborted) return;
        last.current = value;
        setState({ status: "ok", value });
      },
      (error: Error) => {
        if (ctl.signal.aborted || error.name === "AbortError") return;
        setState({ status: "error", error, value: last.current });
      },
    );
    return () => ctl.abort();
  }, [key]);
  return state;
}

/**
 * Whether an element is in (or near) the viewport; once seen, stays true.
 *
 * @param ref the element
 * @param margin pixels around the viewport that count as visible
 * @returns visibility
 */
export function useSeen(ref: RefObject<Element>, margin = 200): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setSeen(true);
        io.disconnect();
      }
    }, { rootMargin: `${margin}px` });
    io.observe(el);
    return () => io.disconnect();
  }, [ref.current, seen]);
  return seen;
}

/**
 * An element's content size, updated (debounced) when it changes.
 *
 * @param ref the element
 * @param delay ms to wait for the size to settle
 * @returns [width, height], 0 until measured
 */
export function useSize(ref: RefObject<Element>, delay = 150): [number, number] {
  const [size, setSize] = useState<[number, number]>([0, 0]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((old) =>
        old[0] === Math.floor(r.width) && old[1] === Math.floor(r.height)
          ? old
          : [Math.floor(r.width), Math.floor(r.height)]
      );
    };
    measure();
    const ro = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(measure, delay);
    });
    ro.observe(el);
    return () => {
      clearTimeout(timer);
      ro.disconnect();
    };
  }, [ref.current]);
  return size;
}
