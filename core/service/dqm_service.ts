/**
 * @module
 * The business logic behind the HTTP API: registration, sample queries and
 * the ME list of a sample, imported on first access in the worker pool and
 * kept in SQLite. Routes call this; it knows nothing about HTTP.
 *
 * Caching rules (fixing spec/api.md §12 items 1, 2, 25, 28):
 * - decoded ME lists are cached by their content id, so a re-registration
 *   (which points the sample to a new list) is seen at once, and nothing
 *   else needs invalidating;
 * - sample queries go to SQLite every time (indexed, microseconds);
 * - "not found" is never cached; a failed import is retried only after a
 *   back-off (or at once after the sample is registered again), so a broken
 *   file is not re-parsed on every request;
 * - concurrent requests for the same file share one import;
 * - `notOlderThan` (epoch seconds) re-checks the file: if it was rewritten in
 *   place after its import and after that time, it is imported again.
 */

import {
  compareUtf8,
  decodeMEList,
  encodeMEList,
  type FindQuery,
  type FindResult,
  folderKey,
  MEList,
  type QTLevel,
  type SampleKey,
  type SampleRecord,
  type SamplesQuery,
  type Store,
} from "../store/mod.ts";
import { ByteLRU } from "../cache/mod.ts";
import type { ImportJob, ImportOutput } from "../importers/import_job.ts";
import { FileFormat } from "../importers/types.ts";
import type { LiveHub } from "./live.ts";
import { ObjectNotFoundError } from "./errors.ts";
import type { DataRoots } from "./data_roots.ts";
import { type Layout, Layouts } from "./layouts.ts";

/** Runs imports (the worker pool, or a direct runner in tests). */
export interface ImportRunner {
  run(job: ImportJob): Promise<ImportOutput>;
}

/** Dependencies of the service. */
export interface ServiceDeps {
  store: Store;
  imports: ImportRunner;
  roots: DataRoots;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Memory budget for decoded ME lists, in bytes (default 1 GiB). */
  listCacheBytes?: number;
  /** Wait before retrying a failed import (default 30 s). */
  failureBackoffMs?: number;
  /** Where live events are announced (snapshots, new runs); none by default. */
  live?: LiveHub;
  /** Datasets whose new runs are announced (default ["/Global/Online/ALL"]). */
  liveDatasets?: readonly string[];
  /** Virtual folders merged into listings (none by default). */
  layouts?: Layouts;
}

/** A registration item, as validated by the route. */
export interface Registration extends SampleKey {
  file: string;
  fileformat: number;
}

/** One ME in an archive listing. */
export interface ListedME {
  name: string;
  path: string;
  kind: string;
  value?: string;
  efficiency: boolean;
  qtests: readonly {
    name: string;
    status: number;
    result: number;
    algorithm: string;
    message: string;
  }[];
  /** For a layout entry: the layout (`path` is then its source ME). */
  layout?: Layout;
}

/** An archive listing. */
export interface ArchiveListing {
  /**
   * Sub-folders; when the sample has quality tests, `failing` counts the MEs
   * below with a warning or error (an error only with `qt: "error"`) that the
   * search keeps.
   */
  dirs: { name: string; count: number; failing?: number }[];
  objects: ListedME[];
}

/** Filters of a listing or search. */
export interface ListingFilter {
  /** Keep MEs whose name (listing) or path (search) matches. */
  search?: RegExp;
  /** Keep MEs with a quality test at this level or worse. */
  qt?: QTLevel;
  /** See `meList`. */
  notOlderThan?: number;
}

/** An ME search. */
export interface SearchListing {
  /** The first `limit` matches: real MEs in path order, then layout entries; named relative to the folder. */
  objects: ListedME[];
  /** Matches in all. */
  total: number;
}

interface CachedList {
  list: MEList;
  loadedAt: number;
}

/** Approximate memory of a decoded list per ME (path string, columns, index). */
const BYTES_PER_ENTRY = 200;

interface Failure {
  error: Error;
  until: number;
}

/**
 * The ME a layout entry draws, if the sample shows it: its source exists,
 * its destination is neither a real ME nor a real folder (the real one wins),
 * and it passes the quality-test filter.
 *
 * @returns the source's index, or -1
 */
function layoutSource(list: MEList, e: Layout, qt?: QTLevel): number {
  const i = list.indexOf(e.source);
  if (i < 0 || list.indexOf(e.destination) >= 0) return -1;
  const [first, end] = list.prefixRange(e.destination + "/");
  if (first < end) return -1;
  return !qt || list.isFailing(i, qt) ? i : -1;
}

function listedME(list: MEList, i: number, prefix: string): ListedME {
  const path = list.path(i);
  const me: ListedME = {
    name: path.slice(prefix.length),
    path,
    kind: list.kind(i),
    efficiency: list.efficiency(i),
    qtests: list.qtests(i),
  };
  const value = list.value(i);
  if (value !== undefined) me.value = value;
  return me;
}

/**
 * The DQM GUI service.
 *
 * @example
 * ```ts ignore
 * const service = new DQMService({ store, imports: pool, roots });
 * await service.register([{ dataset: "/A/B/C", run: 1, lumi: 0, file: "/data/f.root", fileformat: 1 }]);
 * const listing = await service.archive({ dataset: "/A/B/C", run: 1, lumi: 0 }, "");
 * ```
 */
export class DQMService {
  readonly #store: Store;
  readonly #imports: ImportRunner;
  readonly #roots: DataRoots;
  readonly #now: () => number;
  readonly #backoffMs: number;
  readonly #live: LiveHub | undefined;
  readonly #liveDatasets: readonly string[];
  readonly #layouts: Layouts;
  readonly #lists: ByteLRU<CachedList>;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #failures = new Map<string, Failure>();
  readonly #fileState = new Map<string, { mtime: number; size: number }>();

  /** @param deps store, import runner, data roots */
  constructor(deps: ServiceDeps) {
    this.#store = deps.store;
    this.#imports = deps.imports;
    this.#roots = deps.roots;
    this.#now = deps.now ?? Date.now;
    this.#lists = new ByteLRU<CachedList>({
      maxBytes: deps.listCacheBytes ?? 1024 ** 3,
      sizeOf: (c) => 1024 + c.list.count * BYTES_PER_ENTRY,
    });
    this.#backoffMs = deps.failureBackoffMs ?? 30_000;
    this.#live = deps.live;
    this.#liveDatasets = deps.liveDatasets ?? ["/Global/Online/ALL"];
    this.#layouts = deps.layouts ?? new Layouts();
  }

  /**
   * A short link to a view of the app (the same target always gets the same id).
   *
   * @param target the app's query string ("?ds=...")
   * @returns the id
   */
  shortLink(target: string): string {
    return this.#store.saveLink(target);
  }

  /**
   * @param id a short link's id
   * @returns its target, or undefined when unknown
   */
  resolveLink(id: string): string | undefined {
    return this.#store.link(id);
  }

  /**
   * Every entry of a layout, each once.
   *
   * @param name the layout's name
   * @returns its entries
   */
  layoutsByName(name: string): Layout[] {
    return this.#layouts.byName(name);
  }

  /** The data roots registrations are checked against. */
  get roots(): DataRoots {
    return this.#roots;
  }

  /**
   * Register samples: every file must exist inside a data root; all rows are
   * written in one transaction (or none).
   *
   * @param items validated registrations
   * @returns how many samples were registered
   */
  async register(items: readonly Registration[]): Promise<number> {
    const resolved: Registration[] = [];
    const snapshots: { item: Registration; out: ImportOutput }[] = [];
    for (const item of items) {
      const file = await this.#roots.check(item.file);
      if (item.lumi === -1) {
        // DQMIO with lumi -1: every (run, lumi) the file holds (read off the request path).
        const { runLumis = [] } = await this.#imports.run({ ...item, file, mode: "index" });
        for (const { run, lumi } of runLumis) resolved.push({ ...item, file, run, lumi });
        continue;
      }
      resolved.push({ ...item, file });
      if (item.fileformat === FileFormat.PROTOBUF) {
        // A live snapshot is imported before it replaces the sample's file, so
        // a broken snapshot is refused (422) and the previous one keeps serving.
        snapshots.push({
          item: { ...item, file },
          out: await this.#imports.run({ ...item, file }),
        });
      }
    }
    const before = new Map(this.#liveDatasets.map((d) => [d, this.#store.maxRun(d)]));
    // Registration and the snapshots' ME lists land together (both synchronous):
    // no request sees the new file without its list.
    const n = this.#store.register(resolved);
    for (const { item, out } of snapshots) {
      this.#fileState.set(item.file, { mtime: out.fileMtime, size: out.fileSize });
      this.#store.saveMELists(
        item.file,
        item.fileformat,
        item.dataset,
        withRequested(out.lists, item),
      );
    }
    for (const item of resolved) this.#failures.delete(sampleId(item));
    this.#announce(resolved, snapshots, before);
    return n;
  }

  #announce(
    resolved: Registration[],
    snapshots: { item: Registration; out: ImportOutput }[],
    before: Map<string, number | null>,
  ): void {
    const live = this.#live;
    if (!live) return;
    const registered = this.#now();
    for (const [dataset, previous] of before) {
      const runs = resolved.filter((r) => r.dataset === dataset).map((r) => r.run);
      const newest = runs.length ? Math.max(...runs) : null;
      if (newest !== null && (previous === null || newest > previous)) {
        live.publish({ type: "run", dataset, run: newest, registered });
      }
    }
    for (const { item, out } of snapshots) {
      const mes = out.lists.get(`${item.run}:${item.lumi}`)?.count ?? 0;
      live.publish({
        type: "snapshot",
        dataset: item.dataset,
        run: item.run,
        lumi: item.lumi,
        file: item.file,
        registered,
        mes,
      });
    }
  }

  /**
   * Samples matching a query.
   *
   * @param q run substring, dataset substring, lumi rule
   * @returns matching samples
   */
  samples(q: SamplesQuery): SampleKey[] {
    return this.#store.samples(q);
  }

  /**
   * Dataset names containing `search`.
   *
   * @param search case-insensitive substring
   * @returns up to 100 names
   */
  datasets(search: string): string[] {
    return this.#store.datasets(search);
  }

  /**
   * Runs, newest first.
   *
   * @param search substring of the run number
   * @returns up to 100 runs
   */
  latestRuns(search: string): number[] {
    return this.#store.latestRuns(search);
  }

  /**
   * Find samples (the finder): see {@linkcode FindQuery}.
   *
   * @param q the query
   * @returns a page of keys, latest runs first, and the total
   */
  find(q: FindQuery): FindResult {
    return this.#store.find(q);
  }

  /**
   * Registered lumisections of a run.
   *
   * @param dataset dataset name
   * @param run run number
   * @returns lumis, ascending
   */
  lumis(dataset: string, run: number): number[] {
    return this.#store.lumis(dataset, run);
  }

  /**
   * The ME list of a sample, importing it on first access.
   *
   * @param key the sample
   * @param notOlderThan epoch seconds: re-check the file if the list was loaded before
   * @returns the list
   * @throws ObjectNotFoundError when the sample is not registered
   */
  async meList(key: SampleKey, notOlderThan?: number): Promise<MEList> {
    return (await this.sample(key, notOlderThan)).list;
  }

  /**
   * A sample's record (file, format) and its ME list, importing it on first access.
   *
   * @param key the sample
   * @param notOlderThan epoch seconds: re-check the file if the list was loaded before
   * @returns record and list
   * @throws ObjectNotFoundError when the sample is not registered
   */
  async sample(
    key: SampleKey,
    notOlderThan?: number,
  ): Promise<{ record: SampleRecord; list: MEList }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const rec = this.#store.getSample(key);
      if (!rec) throw new ObjectNotFoundError("sample", describe(key), this.#closestSamples(key));
      if (rec.melistId !== null) {
        if (notOlderThan !== undefined && (await this.#fileChangedSince(rec, notOlderThan))) {
          this.#store.register([rec]);
          continue;
        }
        const list = this.#decoded(rec.melistId, notOlderThan);
        if (list) return { record: rec, list };
        continue;
      }
      await this.#importOnce(rec);
    }
    throw new Error(
      `Cannot load the ME list of ${describe(key)}: the sample kept changing during the import`,
    );
  }

  /**
   * List one folder of a sample.
   *
   * @param key the sample
   * @param folder "" or "A/B" (trailing slash optional)
   * @param filter `search` keeps MEs whose name matches (anywhere in the
   *   name), `qt` those with failing quality tests; both apply to the
   *   sub-folder counts too
   * @returns sub-folders with ME counts, then the MEs of the folder
   */
  async archive(
    key: SampleKey,
    folder: string,
    filter: ListingFilter = {},
  ): Promise<ArchiveListing> {
    const list = await this.#nonEmptyList(key, filter.notOlderThan);
    const { search, qt } = filter;
    const keep = search || qt
      ? (name: string, i: number) =>
        (!search || search.test(name)) && (!qt || list.isFailing(i, qt))
      : undefined;
    const listing = list.list(folder, keep);
    const prefix = folderKey(folder);
    // Failing MEs per sub-folder, at the filter's level, among the MEs the search keeps.
    const level = qt ?? "failing";
    const withQT = list.hasQTests;
    const failing = (first: number, end: number) => {
      if (!withQT) return 0;
      if (!search) return list.failingIn(first, end, level);
      let n = 0;
      for (let i = first; i < end; i++) {
        if (list.isFailing(i, level) && search.test(list.name(i))) n++;
      }
      return n;
    };
    const dirs = new Map<string, { name: string; count: number; failing: number }>();
    for (const d of listing.dirs) {
      dirs.set(d.name, { name: d.name, count: d.count, failing: failing(d.first, d.end) });
    }
    const objects = listing.objects.map((i) => listedME(list, i, prefix));

    // Layout entries whose source exists in this sample, filtered like real MEs.
    const layouts = this.#layouts.list(Layouts.scopeOf(key.dataset), folder);
    const present = (e: Layout) => {
      const i = layoutSource(list, e, qt);
      if (i < 0 || !search) return i;
      return search.test(e.destination.slice(e.destination.lastIndexOf("/") + 1)) ? i : -1;
    };
    for (const [name, entries] of layouts.dirs) {
      let count = 0;
      let bad = 0;
      for (const e of entries) {
        const i = present(e);
        if (i < 0) continue;
        count++;
        if (list.isFailing(i, level)) bad++;
      }
      if (count === 0) continue;
      const d = dirs.get(name);
      if (d) {
        d.count += count;
        d.failing += bad;
      } else dirs.set(name, { name, count, failing: bad });
    }
    for (const e of layouts.objects) {
      const i = present(e);
      if (i < 0) continue;
      const me = listedME(list, i, "");
      me.name = e.destination.slice(prefix.length);
      me.layout = e;
      objects.push(me);
    }

    // Real MEs and folders come sorted; layout entries join them in name order
    // (real ones first among equal names). Folders without layouts skip the sorts.
    const byName = (a: { name: string }, b: { name: string }) => compareUtf8(a.name, b.name);
    if (objects.length > listing.objects.length) objects.sort(byName);
    const merged = [...dirs.values()];
    if (merged.length > listing.dirs.length) merged.sort(byName);
    return {
      dirs: merged.map((d) => withQT ? d : { name: d.name, count: d.count }),
      objects,
    };
  }

  /**
   * Search the MEs below a folder by path.
   *
   * @param key the sample
   * @param folder "" for the whole sample, or "A/B"
   * @param filter `search` is tested against the full path (a layout entry's
   *   destination); `qt` as in `archive`
   * @param limit most MEs to return
   * @returns the first matches in path order and the total
   */
  async search(
    key: SampleKey,
    folder: string,
    filter: ListingFilter,
    limit: number,
  ): Promise<SearchListing> {
    const list = await this.#nonEmptyList(key, filter.notOlderThan);
    const { search, qt } = filter;
    const prefix = folderKey(folder);
    const [first, end] = list.prefixRange(prefix);
    const objects: ListedME[] = [];
    let total = 0;
    for (let i = first; i < end; i++) {
      if (qt && !list.isFailing(i, qt)) continue;
      if (search && !search.test(list.path(i))) continue;
      if (total++ < limit) objects.push(listedME(list, i, prefix));
    }
    // Layout entries below the folder, matched by their virtual path.
    const layouts = this.#layouts.list(Layouts.scopeOf(key.dataset), folder);
    for (const e of [...layouts.objects, ...[...layouts.dirs.values()].flat()]) {
      const i = layoutSource(list, e, qt);
      if (i < 0 || (search && !search.test(e.destination))) continue;
      if (total++ < limit) {
        const me = listedME(list, i, "");
        me.name = e.destination.slice(prefix.length);
        me.layout = e;
        objects.push(me);
      }
    }
    return { objects, total };
  }

  async #nonEmptyList(key: SampleKey, notOlderThan?: number): Promise<MEList> {
    const list = await this.meList(key, notOlderThan);
    if (list.count === 0) {
      throw new ObjectNotFoundError("MEs in sample", describe(key), [], "the file holds none");
    }
    return list;
  }

  /** Decoded lists are cached by id: ids are never reused, so a cached list is never stale. */
  #decoded(id: number, notOlderThan?: number): MEList | null {
    const key = String(id);
    const cached = this.#lists.get(key);
    if (cached && (notOlderThan === undefined || cached.loadedAt >= notOlderThan * 1000)) {
      return cached.list;
    }
    const blobs = this.#store.loadMEList(id);
    // Released since the sample was read (re-registered meanwhile): the caller reads the sample again.
    if (!blobs) return null;
    const list = decodeMEList(blobs.names, blobs.infos);
    this.#lists.set(key, { list, loadedAt: this.#now() });
    return list;
  }

  /** Import the file of a sample once, however many requests wait for it. */
  async #importOnce(rec: SampleRecord): Promise<void> {
    const id = sampleId(rec);
    const failure = this.#failures.get(id);
    if (failure && failure.until > this.#now()) throw failure.error;
    const jobKey = `${rec.file}\n${rec.fileformat}\n${id}`;
    let running = this.#inFlight.get(jobKey);
    if (!running) {
      running = this.#runImport(rec).finally(() => this.#inFlight.delete(jobKey));
      this.#inFlight.set(jobKey, running);
    }
    try {
      await running;
    } catch (error) {
      if (error instanceof Error && !isTransient(error)) {
        this.#failures.set(id, { error, until: this.#now() + this.#backoffMs });
      }
      throw error;
    }
  }

  async #runImport(rec: SampleRecord): Promise<void> {
    try {
      const out = await this.#imports.run({
        file: rec.file,
        fileformat: rec.fileformat,
        dataset: rec.dataset,
        run: rec.run,
        lumi: rec.lumi,
      });
      this.#fileState.set(rec.file, { mtime: out.fileMtime, size: out.fileSize });
      this.#store.saveMELists(rec.file, rec.fileformat, rec.dataset, withRequested(out.lists, rec));
      this.#store.setImportError(rec, rec.file, null);
    } catch (error) {
      if (error instanceof Error && !isTransient(error)) {
        this.#store.setImportError(rec, rec.file, error.message);
      }
      throw error;
    }
  }

  async #fileChangedSince(rec: SampleRecord, notOlderThan: number): Promise<boolean> {
    const known = this.#fileState.get(rec.file);
    if (!known) return false;
    const now = await this.#roots.stat(rec.file);
    // A file rewritten in place after its import, and the caller wants data
    // newer than what was imported.
    return now !== null && (now.mtime !== known.mtime || now.size !== known.size) &&
      notOlderThan * 1000 > known.mtime;
  }

  #closestSamples(key: SampleKey): string[] {
    return this.#store.samples({ run: String(key.run), lumi: key.lumi === 0 ? 0 : -2, limit: 3 })
      .map(describe);
  }
}

let emptyBlobs: ReturnType<typeof encodeMEList> | null = null;

function emptyList() {
  emptyBlobs ??= encodeMEList(new MEList([]));
  return { ...emptyBlobs, count: 0 };
}

/**
 * The import's lists, with an empty one for the requested (run, lumi) when
 * the file holds nothing for it: the answer is then a clear "no MEs", not a
 * re-import on every request.
 */
function withRequested(lists: ImportOutput["lists"], key: SampleKey): ImportOutput["lists"] {
  if (!lists.has(`${key.run}:${key.lumi}`)) lists.set(`${key.run}:${key.lumi}`, emptyList());
  return lists;
}

function sampleId(key: SampleKey): string {
  return `${key.dataset}\n${key.run}\n${key.lumi}`;
}

/**
 * A sample as people write it in messages.
 *
 * @param key the sample
 * @returns "/A/B/C run 123" or "/A/B/C run 123 lumi 4"
 */
export function describe(key: SampleKey): string {
  return `${key.dataset} run ${key.run}${key.lumi ? ` lumi ${key.lumi}` : ""}`;
}

/** Errors worth retrying at once: a full queue or a timed-out worker. */
function isTransient(error: Error): boolean {
  return error.name === "TooManyImportsError" || error.name === "ImportTimeoutError";
}
