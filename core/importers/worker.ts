/**
 * @module
 * Entry point of an import worker (a Web Worker started by `ImportPool`). It
 * runs one job at a time and answers with the encoded lists (buffers
 * transferred, not copied) or a flattened error.
 */

import {
  type EncodedList,
  type ErrorRecord,
  type ImportJob,
  runImportJob,
  toErrorRecord,
} from "./import_job.ts";

/** Message from the pool: a job with its id. */
export interface JobMessage {
  id: number;
  job: ImportJob;
}

/** Message to the pool. */
export type ResultMessage =
  | {
    id: number;
    ok: true;
    lists: [string, EncodedList][];
    warnings: string[];
    fileSize: number;
    fileMtime: number;
    runLumis?: { run: number; lumi: number }[];
  }
  | { id: number; ok: false; error: ErrorRecord };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<JobMessage>) => void) | null;
  postMessage(message: ResultMessage, transfer?: Transferable[]): void;
};

// Transfer only buffers a view owns whole: node:zlib may hand out slices of a
// shared pool, which must be copied, not detached.
const own = (b: Uint8Array) =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();

scope.onmessage = async (e: MessageEvent<JobMessage>) => {
  const { id, job } = e.data;
  try {
    const out = await runImportJob(job);
    const lists: [string, EncodedList][] = [...out.lists].map(([k, l]) => [
      k,
      { ...l, names: own(l.names), infos: own(l.infos) },
    ]);
    const transfer = lists.flatMap(([, l]) => [l.names.buffer, l.infos.buffer] as Transferable[]);
    scope.postMessage(
      {
        id,
        ok: true,
        lists,
        warnings: out.warnings,
        fileSize: out.fileSize,
        fileMtime: out.fileMtime,
        runLumis: out.runLumis,
      },
      transfer,
    );
  } catch (error) {
    scope.postMessage({ id, ok: false, error: toErrorRecord(error) });
  }
};
