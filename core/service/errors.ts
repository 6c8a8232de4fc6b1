/**
 * @module
 * Errors that callers catch and `routes/` maps to HTTP statuses in its single
 * `onError` (STYLE rules 17, 19): `ObjectNotFoundError` → 404,
 * `ForbiddenPathError` → 403. Decoding problems are `RootFormatError` (422),
 * a full import queue `TooManyImportsError` (429).
 */

/** A sample, file, folder or ME that does not exist. */
export class ObjectNotFoundError extends Error {
  /** What was looked up. */
  readonly path: string;
  /** Closest existing names, best first (may be empty). */
  readonly suggestions: string[];

  /**
   * @param what kind of thing, e.g. "sample" or "ME"
   * @param path what was looked up
   * @param suggestions closest existing names
   * @param detail extra evidence for the message
   */
  constructor(what: string, path: string, suggestions: string[] = [], detail = "") {
    const hint = suggestions.length
      ? ` (closest: ${suggestions.map((s) => `"${s}"`).join(", ")})`
      : "";
    super(`Cannot find ${what} "${path}"${detail ? `: ${detail}` : ""}${hint}`);
    this.name = "ObjectNotFoundError";
    this.path = path;
    this.suggestions = suggestions;
  }
}

/** A file outside every configured data root. */
export class ForbiddenPathError extends Error {
  /** The refused path. */
  readonly path: string;

  /**
   * @param path the refused path
   * @param roots the configured roots, for the message
   */
  constructor(path: string, roots: readonly string[]) {
    super(
      `Cannot register "${path}": the file is outside every data root (${
        roots.map((r) => `"${r}"`).join(", ")
      })`,
    );
    this.name = "ForbiddenPathError";
    this.path = path;
  }
}
