/// <reference lib="deno.worker" />
/**
 * @module
 * Test fixture, not part of the API: a Web Worker that opens a store on the
 * file it is sent and reads it in a loop, reporting what it saw, so that
 * store_test.ts can read from another thread while it writes.
 */

import { Store } from "./store.ts";

self.onmessage = (event: MessageEvent<{ path: string; reads: number }>) => {
  const { path, reads } = event.data;
  const counts: number[] = [];
  let error: string | undefined;
  const store = Store.open(path);
  try {
    for (let i = 0; i < reads; i++) counts.push(store.counts().samples);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    store.close();
  }
  self.postMessage({ counts, error });
};
