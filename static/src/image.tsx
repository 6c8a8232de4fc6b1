/// <reference lib="dom" />
/**
 * @module
 * A server-rendered plot image. It is fetched (not set as `src` directly) so
 * that a failure is known with its reason: a plot the server could not draw
 * shows the server's message and a Retry button; a busy server (503/429) is
 * retried by itself a few times. The previous image stays on screen until
 * the next one has arrived, so live updates and option changes never blank
 * a plot. `version` refetches the same URL (live snapshots).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, errorOf } from "./api.ts";

/** Automatic retries of a busy server, with these delays (ms). */
const BUSY_RETRIES = [500, 1500, 4000];

interface Props {
  /** The render URL; undefined renders nothing yet (e.g. not scrolled into view). */
  url?: string;
  alt: string;
  width: number;
  height: number;
  /** Changes force a refetch of the same URL. */
  version?: number | string;
  /** Offered when drawing fails: draw the object in the browser instead. */
  onInteractive?: () => void;
}

type Shown =
  | { state: "idle" }
  | { state: "loading"; src?: string }
  | { state: "ok"; src: string; url: string }
  | { state: "error"; message: string; src?: string };

/**
 * One plot image with loading and error states.
 *
 * @param props URL, size, label and version
 * @returns the element
 */
export function PlotImage({ url, alt, width, height, version, onInteractive }: Props) {
  const [shown, setShown] = useState<Shown>({ state: "idle" });
  const [attempt, setAttempt] = useState(0);
  const srcRef = useRef<string | undefined>(undefined);

  useEffect(() => () => {
    if (srcRef.current) URL.revokeObjectURL(srcRef.current);
  }, []);

  useEffect(() => {
    if (!url) return;
    const ctl = new AbortController();
    setShown((old) => ({ state: "loading", src: "src" in old ? old.src : undefined }));
    (async () => {
      for (let i = 0;; i++) {
        const res = await fetch(url, { signal: ctl.signal });
        const isPng = res.headers.get("content-type")?.startsWith("image/png");
        if (res.ok || isPng) {
          // A non-2xx PNG is the server's drawing of the problem ("ME not found").
          const blob = await res.blob();
          const src = URL.createObjectURL(blob);
          if (ctl.signal.aborted) return URL.revokeObjectURL(src);
          await decode(src);
          const old = srcRef.current;
          srcRef.current = src;
          if (res.ok) setShown({ state: "ok", src, url });
          else setShown({ state: "error", message: (await errorOf(res)).message, src });
          if (old) URL.revokeObjectURL(old);
          return;
        }
        const error = await errorOf(res);
        if ((res.status === 503 || res.status === 429) && i < BUSY_RETRIES.length) {
          await sleep(BUSY_RETRIES[i]!, ctl.signal);
          continue;
        }
        throw error;
      }
    })().catch((error: Error) => {
      if (ctl.signal.aborted || error.name === "AbortError") return;
      const message = error instanceof ApiError ? error.message : `Cannot load: ${error.message}`;
      setShown((old) => ({ state: "error", message, src: "src" in old ? old.src : undefined }));
    });
    return () => ctl.abort();
  }, [url, version, attempt]);

  const src = "src" in shown ? shown.src : undefined;
  return (
    <div
      class={`plot-image ${shown.state}`}
      style={{ width: `${width}px`, height: `${height}px` }}
      data-state={shown.state}
      data-url={shown.state === "ok" ? shown.url : undefined}
      data-requested={url}
    >
      {src && <img src={src} alt={alt} width={width} height={height} decoding="async" />}
      {shown.state === "error" && (
        <div class="plot-error" role="alert">
          <span>{shown.message}</span>
          <button
            type="button"
            onClick={(e) => {
              e.stopPropagation(); // the tile around it selects on click
              setAttempt((a) => a + 1);
            }}
          >
            Retry
          </button>
          {onInteractive && (
            <button type="button" onClick={onInteractive}>
              Open in JSROOT
            </button>
          )}
        </div>
      )}
      {shown.state === "loading" && !src && (
        <div class="plot-spinner" role="status" aria-label="loading" />
      )}
    </div>
  );
}

function decode(src: string): Promise<void> {
  const img = new Image();
  img.src = src;
  return img.decode().catch(() => {});
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(new DOMException("aborted", "AbortError"));
    });
  });
}
