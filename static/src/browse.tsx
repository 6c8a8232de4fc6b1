/// <reference lib="dom" />
/**
 * @module
 * Browse a sample: breadcrumb, ME search over the whole sample (regular
 * expression, any case, anywhere in the path), quality-test filter, tile
 * size; folders with their exact ME counts (and failing-QT counts), plot
 * tiles in natural order, thumbnails loaded as they scroll into view,
 * scalars shown as values, QT status as a coloured border.
 *
 * Keyboard: arrows move between tiles, Enter or Space selects one.
 */

import { useEffect, useMemo, useRef } from "preact/hooks";
import {
  type DirEntry,
  listFolder,
  type Listing,
  type MEInfo,
  SCALAR_KINDS,
  scalarValues,
  searchMEs,
  type SearchResult,
} from "./api.ts";
import { PlotImage } from "./image.tsx";
import { useLoad, useSeen } from "./hooks.ts";
import { naturalCompare, plotUrls, QT_STATUS, worstStatus } from "./plots.ts";
import {
  type AppState,
  getState,
  navigate,
  PLAY_SECONDS,
  PLOT_OPTION_KEYS,
  type PlotOptions,
  type Sample,
  TILE_SIZES,
  type TileSize,
} from "./state.ts";

/** Whether a search text is a valid regular expression. */
export function regexProblem(text: string): string | undefined {
  try {
    new RegExp(text, "i");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Toggle a plot in the selection (the large view).
 *
 * @param path ME path
 * @param options its starting options (a layout's draw settings)
 * @param overlays other MEs of the sample drawn over it (a layout's overlays)
 */
export function toggleSelected(
  path: string,
  options: PlotOptions = {},
  overlays: string[] = [],
): void {
  navigate((s) => ({
    selected: s.selected.some((p) => p.path === path)
      ? s.selected.filter((p) => p.path !== path)
      : [...s.selected, overlays.length ? { path, options, overlays } : { path, options }],
  }));
}

/**
 * A layout's draw settings as plot options.
 *
 * @param draw the layout's `draw` (numbers or strings)
 * @returns options the render URL takes
 */
export function layoutOptions(draw: MEInfo["draw"]): PlotOptions {
  const out: PlotOptions = {};
  for (const key of PLOT_OPTION_KEYS) {
    const v = draw?.[key];
    if (v !== undefined && v !== "") out[key] = String(v);
  }
  return out;
}

/**
 * The browse view of a sample.
 *
 * @param props state and the live version (changes on each new snapshot)
 * @returns the view
 */
export function Browse({ state, version }: { state: AppState; version: string }) {
  const sample = state.sample!;
  const searching = state.search !== "" && regexProblem(state.search) === undefined;
  const base = `${sample.dataset}\n${sample.run}\n${sample.lumi}\n${state.qt}\n${version}`;
  const listing = useLoad<Listing>(
    searching ? undefined : `${base}\n${state.folder}`,
    (signal) => listFolder(sample, state.folder, state.qt, signal),
  );
  const found = useLoad<SearchResult>(
    searching ? `${base}\n${state.folder}\n${state.search}` : undefined,
    (signal) => searchMEs(sample, state.folder, state.search, state.qt, signal),
  );
  return (
    <section class="browse" aria-label="Plots">
      <Toolbar state={state} found={searching ? found.value : undefined} />
      {searching
        ? <SearchView state={state} loaded={found} version={version} />
        : <FolderView state={state} loaded={listing} version={version} />}
    </section>
  );
}

function Toolbar({ state, found }: { state: AppState; found?: SearchResult }) {
  const parts = state.folder ? state.folder.split("/") : [];
  const problem = state.search ? regexProblem(state.search) : undefined;
  return (
    <div class="toolbar">
      <nav class="breadcrumb" aria-label="Folder">
        <button
          type="button"
          class="crumb"
          onClick={() => navigate({ folder: "" })}
          aria-current={parts.length === 0 ? "page" : undefined}
        >
          Top
        </button>
        {parts.map((p, i) => (
          <span key={i}>
            <span class="sep" aria-hidden="true">/</span>
            <button
              type="button"
              class="crumb"
              aria-current={i === parts.length - 1 ? "page" : undefined}
              onClick={() => navigate({ folder: parts.slice(0, i + 1).join("/") })}
            >
              {p}
            </button>
          </span>
        ))}
      </nav>
      <div class="tools">
        <label class="field search">
          <span class="visually-hidden">Search MEs (regular expression)</span>
          <input
            id="me-search"
            type="search"
            placeholder="Search MEs (regex)  /"
            value={state.search}
            spellcheck={false}
            aria-invalid={problem ? "true" : undefined}
            aria-describedby="me-search-status"
            onInput={(e) => navigate({ search: e.currentTarget.value }, { replace: true })}
          />
          <span id="me-search-status" class={problem ? "hint error" : "hint"} aria-live="polite">
            {problem
              ? "invalid regex"
              : found
              ? `${found.total.toLocaleString("en")} match${found.total === 1 ? "" : "es"}`
              : ""}
          </span>
        </label>
        <label class="field">
          <span class="visually-hidden">Quality tests</span>
          <select
            id="qt-filter"
            value={state.qt}
            onChange={(e) => navigate({ qt: e.currentTarget.value as AppState["qt"] })}
          >
            <option value="">all plots</option>
            <option value="failing">failing QTs only</option>
            <option value="error">QT errors only</option>
          </select>
        </label>
        <label class="field">
          <span class="visually-hidden">Slideshow</span>
          <select
            id="play"
            value={String(state.play)}
            title="Show the plots of this view one after another in the large view"
            onChange={(e) => navigate({ play: Number(e.currentTarget.value) })}
          >
            <option value="0">slideshow off</option>
            {PLAY_SECONDS.map((n) => <option value={String(n)} key={n}>▶ every {n} s</option>)}
          </select>
        </label>
        <label class="field">
          <span class="visually-hidden">Tile size</span>
          <select
            id="tile-size"
            value={state.size}
            onChange={(e) => navigate({ size: e.currentTarget.value as TileSize })}
          >
            {Object.entries(TILE_SIZES).map(([k, [w, h]]) => (
              <option value={k} key={k}>{k.toUpperCase()} {w}×{h}</option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

function FolderView(
  { state, loaded, version }: {
    state: AppState;
    loaded: ReturnType<typeof useLoad<Listing>>;
    version: string;
  },
) {
  const listing = loaded.value;
  const dirs = useMemo(
    () => listing ? [...listing.dirs].sort((a, b) => naturalCompare(a.subdir, b.subdir)) : [],
    [listing],
  );
  const mes = useMemo(
    () => listing ? [...listing.mes].sort((a, b) => naturalCompare(a.name, b.name)) : [],
    [listing],
  );
  const sample = state.sample!;
  const summaries = useLoad(
    mes.some(isSummaryMap)
      ? `${sample.dataset}\n${sample.run}\n${sample.lumi}\n${version}`
      : undefined,
    (signal) => reportSummaries(sample, signal),
  );
  if (loaded.status === "error") {
    return (
      <p class="message error" role="alert">
        {loaded.error.message}
        {state.folder && (
          <button
            type="button"
            class="link"
            onClick={() => navigate({ folder: "" })}
          >
            back to Top
          </button>
        )}
      </p>
    );
  }
  if (!listing) return <p class="message" aria-busy="true">Loading…</p>;
  if (dirs.length === 0 && mes.length === 0) {
    return (
      <p class="message">
        {state.qt ? "No plots with failing quality tests here." : "This folder is empty."}
      </p>
    );
  }
  return (
    <div aria-busy={loaded.status === "loading"}>
      {dirs.length > 0 && <Folders state={state} dirs={dirs} />}
      {mes.length > 0 && (
        <Tiles state={state} mes={mes} version={version} summaries={summaries.value} />
      )}
    </div>
  );
}

/**
 * The slideshow: while `state.play` is set, show the next plot of `mes` (not
 * scalars) alone in the large view every `play` seconds, round and round,
 * as the classic GUI's Play did for control-room screens.
 */
function useSlideshow(state: AppState, mes: MEInfo[]): void {
  const plots = mes.filter((me) => !SCALAR_KINDS.has(me.kind));
  const order = plots.map((me) => me.path).join("\n");
  useEffect(() => {
    if (!state.play || plots.length === 0) return;
    const step = () => {
      const current = getState().selected[0]?.path;
      const i = plots.findIndex((me) => me.path === current);
      const next = plots[(i + 1) % plots.length]!;
      const options = next.layout ? layoutOptions(next.draw) : {};
      navigate({
        selected: [
          next.overlays?.length
            ? { path: next.path, options, overlays: next.overlays }
            : { path: next.path, options },
        ],
      }, { replace: true });
    };
    if (getState().selected.length === 0) step();
    const timer = setInterval(step, state.play * 1000);
    return () => clearInterval(timer);
  }, [state.play, order]);
}

/** A layout tile of a subsystem's report summary map (the Summary page). */
function isSummaryMap(me: MEInfo): boolean {
  return !!me.layout && me.path.endsWith("/EventInfo/reportSummaryMap");
}

/**
 * Every subsystem's `EventInfo/reportSummary` value, by its EventInfo folder.
 *
 * @param sample the sample
 * @param signal cancels it
 * @returns folder ("PixelPhase1/EventInfo") → value (-1: no data)
 */
async function reportSummaries(sample: Sample, signal: AbortSignal): Promise<Map<string, number>> {
  const found = await scalarValues(sample, "/EventInfo/reportSummary$", signal);
  return new Map(found.map((me) => [me.path.slice(0, me.path.lastIndexOf("/")), me.value]));
}

/** The classic GUI's summary colours: ≥ 95 % good, ≥ 85 % degraded, below bad; < 0 no data. */
function summaryClass(value: number): string {
  if (value < 0) return "summary-na";
  return value >= 0.95 ? "summary-good" : value >= 0.85 ? "summary-warn" : "summary-bad";
}

function Folders({ state, dirs }: { state: AppState; dirs: DirEntry[] }) {
  const prefix = state.folder ? `${state.folder}/` : "";
  return (
    <ul class="folders" aria-label="Folders">
      {dirs.map((d) => (
        <li key={d.subdir}>
          <button
            type="button"
            class="folder"
            onClick={() => navigate({ folder: prefix + d.subdir })}
            aria-label={`${d.subdir}, ${d.me_count} MEs${
              d.failing ? `, ${d.failing} failing` : ""
            }`}
            title={`${d.me_count.toLocaleString("en")} MEs${
              d.failing ? `, ${d.failing.toLocaleString("en")} failing quality tests` : ""
            }`}
          >
            <span class="folder-icon" aria-hidden="true">▸</span>
            <span class="folder-name">{d.subdir}</span>
            <span class="badge" aria-hidden="true">
              {d.me_count.toLocaleString("en")}
            </span>
            {d.failing
              ? (
                <span class="badge failing" aria-hidden="true">
                  {d.failing.toLocaleString("en")}
                </span>
              )
              : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

function SearchView(
  { state, loaded, version }: {
    state: AppState;
    loaded: ReturnType<typeof useLoad<SearchResult>>;
    version: string;
  },
) {
  const result = loaded.value;
  const mes = useMemo(
    () => result ? [...result.data].sort((a, b) => naturalCompare(a.path, b.path)) : [],
    [result],
  );
  if (loaded.status === "error") {
    return <p class="message error" role="alert">{loaded.error.message}</p>;
  }
  if (!result) return <p class="message" aria-busy="true">Searching…</p>;
  if (mes.length === 0) return <p class="message">No ME matches “{state.search}”.</p>;
  return (
    <div aria-busy={loaded.status === "loading"}>
      {result.truncated && (
        <p class="message">
          First {mes.length.toLocaleString("en")} of {result.total.toLocaleString("en")}{" "}
          matches shown; narrow the search.
        </p>
      )}
      <Tiles state={state} mes={mes} version={version} showFolder />
    </div>
  );
}

/** Move focus between tiles with the arrow keys. */
function onGridKey(e: KeyboardEvent): void {
  const tile = (e.target as HTMLElement).closest<HTMLElement>(".tile");
  if (!tile) return;
  const tiles = [...tile.parentElement!.querySelectorAll<HTMLElement>(".tile")];
  const i = tiles.indexOf(tile);
  const perRow = Math.max(
    1,
    tiles.filter((t) => t.offsetTop === tiles[0]!.offsetTop).length,
  );
  const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow }[e.key];
  if (step === undefined) return;
  e.preventDefault();
  e.stopPropagation();
  tiles[Math.min(tiles.length - 1, Math.max(0, i + step))]?.querySelector<HTMLElement>(
    ".tile-title",
  )
    ?.focus();
}

function Tiles(
  { state, mes, version, showFolder, summaries }: {
    state: AppState;
    mes: MEInfo[];
    version: string;
    showFolder?: boolean;
    /** reportSummary values by EventInfo folder, for summary-map tiles. */
    summaries?: Map<string, number>;
  },
) {
  useSlideshow(state, mes);
  return (
    <ul class={`tiles size-${state.size}`} aria-label="Plots" onKeyDown={onGridKey}>
      {mes.map((me) => (
        <Tile
          key={`${me.layout ?? ""}\n${me.name}\n${me.path}`}
          me={me}
          state={state}
          sample={state.sample!}
          version={version}
          showFolder={showFolder}
          summary={isSummaryMap(me)
            ? summaries?.get(me.path.slice(0, me.path.lastIndexOf("/")))
            : undefined}
        />
      ))}
    </ul>
  );
}

function Tile(
  { me, state, sample, version, showFolder, summary }: {
    me: MEInfo;
    state: AppState;
    sample: Sample;
    version: string;
    showFolder?: boolean;
    summary?: number;
  },
) {
  const ref = useRef<HTMLLIElement>(null);
  const seen = useSeen(ref);
  const [w, h] = TILE_SIZES[state.size];
  const selected = state.selected.some((p) => p.path === me.path);
  const status = worstStatus(me);
  const qt = status === undefined ? undefined : QT_STATUS[status];
  const scalar = SCALAR_KINDS.has(me.kind);
  // A layout entry is titled by the ME it draws (a summary folder holds many of one name).
  const title = showFolder || me.layout ? me.path : me.name;
  const options = me.layout ? layoutOptions(me.draw) : {};
  const urls = scalar ? [] : plotUrls(state, sample, me.path, [w, h], options, me.overlays);
  const describe = [
    me.path,
    me.kind,
    me.layout ? `layout: ${me.layout}` : "",
    me.description ?? "",
    qt ? `quality tests: ${qt.name}` : "",
    ...(me.qtests ?? []).map((q) =>
      `${q.name}: ${QT_STATUS[q.status]?.name ?? q.status} ${q.message}`
    ),
    me.efficiency ? "efficiency plot" : "",
  ].filter((x) => x).join("\n");
  return (
    <li
      ref={ref}
      class={`tile ${qt?.cls ?? ""} ${selected ? "selected" : ""} ${scalar ? "scalar" : ""}`}
      title={describe}
      data-path={me.path}
      onClick={() => toggleSelected(me.path, options, me.overlays)}
    >
      {
        /* The tile's control for keyboards and screen readers; a click anywhere on the tile (or
          Enter on this button, whose click bubbles) selects it. */
      }
      <button
        type="button"
        class="tile-title"
        aria-pressed={selected}
        aria-label={`${title}${qt ? `, quality tests ${qt.name}` : ""}`}
      >
        {title}
      </button>
      {summary !== undefined && (
        <div class={`summary-bar ${summaryClass(summary)}`}>
          <span class="summary-fill" style={{ width: `${Math.max(0, summary) * 100}%` }} />
          <span class="summary-text">
            {me.path.split("/")[0]} – {summary < 0 ? "no data" : `${(summary * 100).toFixed(1)} %`}
          </span>
        </div>
      )}
      {me.description && <div class="tile-note">{me.description}</div>}
      {scalar
        ? (
          <div class="scalar-value" style={{ width: `${w}px` }}>
            <span class="kind">{me.kind}</span>
            <output>{me.value ?? "—"}</output>
          </div>
        )
        : (
          <div class="tile-images">
            {urls.map((u, i) => (
              <PlotImage
                key={i}
                url={seen ? u.url : undefined}
                alt={`${me.name}${u.label ? ` (${u.label})` : ""}`}
                width={w}
                height={h}
                version={version}
              />
            ))}
          </div>
        )}
    </li>
  );
}
