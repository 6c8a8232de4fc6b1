/**
 * @module
 * Error classes of the ROOT reader. Decoders throw these (never strings, never
 * `null`); only `routes/` turns them into HTTP responses.
 *
 * Messages follow one grammar: the action, a colon, then the evidence, e.g.
 * `Cannot decode "TH1F" v3 at offset 10244 in "DQM_R000123.root": byte count
 * mismatch (expected 812, read 790)`.
 */

/** Where a decoding problem happened. */
export interface ErrorContext {
  /** Path or name of the file being read. */
  filePath?: string;
  /** Absolute file offset (or buffer position) of the problem. */
  offset?: number;
  /** Classes being decoded when the problem happened, outermost first ("TH1F@v3"). */
  breadcrumbs?: string[];
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A byte stream that cannot be decoded: bad magic, impossible length, byte
 * count mismatch, failed decompression, unknown class without a byte count.
 */
export class RootFormatError extends SyntaxError {
  /** File the bytes came from ("" when unknown). */
  readonly filePath: string;
  /** Absolute offset of the problem (-1 when unknown). */
  readonly offset: number;
  /** Class@version stack at the time of the error. */
  readonly breadcrumbs: string[];
  /** The text after the colon, without the location. */
  readonly evidence: string;

  /**
   * @param action what we tried, e.g. `Cannot read key`
   * @param evidence what we found, e.g. `fNbytes is negative (-12)`
   * @param context file, offset and class stack
   */
  constructor(action: string, evidence: string, context: ErrorContext = {}) {
    const where = [
      context.offset !== undefined && context.offset >= 0 ? ` at offset ${context.offset}` : "",
      context.filePath ? ` in "${context.filePath}"` : "",
    ].join("");
    const crumbs = context.breadcrumbs?.length
      ? ` (while reading ${context.breadcrumbs.join(" > ")})`
      : "";
    super(`${action}${where}: ${evidence}${crumbs}`, { cause: context.cause });
    this.name = "RootFormatError";
    this.filePath = context.filePath ?? "";
    this.offset = context.offset ?? -1;
    this.breadcrumbs = context.breadcrumbs ?? [];
    this.evidence = evidence;
  }

  /**
   * Rebuild an error that crossed a thread boundary, keeping its message.
   *
   * @param message the original message
   * @param context the original location and evidence
   * @returns the error
   */
  static restore(message: string, context: ErrorContext & { evidence: string }): RootFormatError {
    const error = new RootFormatError("", context.evidence, context);
    error.message = message;
    return error;
  }
}
