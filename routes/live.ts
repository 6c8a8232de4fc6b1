/**
 * @module
 * Live mode push: `GET /api/v1/live/events` is a Server-Sent Events stream
 * announcing each registered snapshot (`event: snapshot`) and each new run
 * of a live dataset (`event: run`), within milliseconds of the registration,
 * so frontends need not poll. Ids increase; a client reconnecting with
 * `Last-Event-ID` receives what it missed. `GET /api/v1/live/status` gives
 * the latest snapshot per live dataset.
 */

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveHub } from "../core/service/live.ts";

/** Comment line sent when nothing happened for this long, to keep proxies from closing the stream. */
export const HEARTBEAT_MS = 15_000;

/**
 * Routes for live mode.
 *
 * @param live the event hub
 * @returns a Hono sub-app mounted at the root
 */
export function liveRoutes(live: LiveHub): Hono {
  const app = new Hono();
  app.get(
    "/api/v1/live/status",
    (c) => c.json({ snapshots: live.latestSnapshots(), nextEventId: live.nextId }),
  );
  app.get("/api/v1/live/events", (c) => {
    const last = Number(c.req.header("last-event-id") ?? NaN);
    c.header("cache-control", "no-cache");
    c.header("x-accel-buffering", "no");
    return streamSSE(c, async (stream) => {
      let pending = Promise.resolve();
      const send = (id: number, event: { type: string }) => {
        pending = pending.then(() =>
          stream.writeSSE({ id: String(id), event: event.type, data: JSON.stringify(event) })
        );
      };
      await stream.write("retry: 1000\n\n");
      const stop = live.subscribe(send, Number.isFinite(last) ? last : undefined);
      const heartbeat = setInterval(() => {
        pending = pending.then(async () => void await stream.write(": keep-alive\n\n"));
      }, HEARTBEAT_MS);
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      try {
        await closed;
      } finally {
        clearInterval(heartbeat);
        stop();
      }
    });
  });
  return app;
}
