/**
 * @module
 * Shapes shared by the render client: one object record, the render options
 * (spec/render.md §2), a request (scalar text or ROOT objects) and the
 * daemon's answer.
 *
 * This module is browser compatible.
 */

/**
 * One object as the daemon reads it: a bare TBufferFile object slot
 * (spec/formats.md §1.8) and the displacement sent beside it
 * (spec/render.md §1.3: a stored tag `t` refers to local key `t - displacement`).
 */
export interface RenderRecord {
  /** The object slot: byte count, class tag and name, the object. */
  bytes: Uint8Array;
  /** Original position minus new position of the slot bytes (0 when re-encoded). */
  displacement: number;
}

/** Options of one render, already validated and clamped by the route. */
export interface RenderOptions {
  /** PNG width in pixels, 1..4096. */
  width: number;
  /** PNG height in pixels, 1..4096. */
  height: number;
  /** Draw stat boxes (classic `showstats`, default on). */
  stats: boolean;
  /** Normalise references to the main object (classic `norm`, default on). */
  norm: boolean;
  /** Error bars on references (classic `showerrbars`, default off). */
  errors: boolean;
  /** ROOT draw option of the main object, e.g. "colz" or "text,colz". */
  drawopts?: string;
  /** Force a linear or log x axis. */
  xtype?: "lin" | "log";
  /** Force a linear or log y axis. */
  ytype?: "lin" | "log";
  /** Force a linear or log z axis. */
  ztype?: "lin" | "log";
  /** User range; 0 is a value (the classic client dropped it). */
  xmin?: number;
  xmax?: number;
  ymin?: number;
  ymax?: number;
  zmin?: number;
  zmax?: number;
  /** Overlay layout (spec/render.md §3.7–3.9); sent, unlike the classic client. */
  ref?: "object" | "overlay" | "ratiooverlay" | "stacked";
  /** Labels of overlays 1..9, in order. */
  reflabels?: string[];
}

/** What to draw: a scalar's text, or a main object plus overlays. */
export type RenderRequest =
  | { kind: "scalar"; text: string; options: RenderOptions }
  | {
    kind: "objects";
    /** ME path without dataset or run, for plugin selection. */
    name: string;
    /** The ME carries the efficiency marker (request flag 0x00200000). */
    efficiency: boolean;
    /** Main object first, then overlays (1..10 records). */
    records: RenderRecord[];
    options: RenderOptions;
  };

/** The daemon's answer (spec/render.md §1.5). */
export interface RenderResult {
  /** 0 ok, 1 unknown class version ("missing streamers"), 2 other error. */
  code: number;
  /** The PNG; empty when the daemon sent none. */
  png: Uint8Array;
  /** Daemon error text, when `code` is not 0 and the payload is not a PNG. */
  message?: string;
}
