/**
 * @module
 * The one error callers of the render client catch: no daemon could answer
 * (queue full, daemon hung or crashed twice, pool closed, daemon not
 * starting). `routes/` maps it to HTTP 503 (STYLE rules 17, 19).
 *
 * This module is browser compatible.
 */

/**
 * Rendering is unavailable right now; retrying later may succeed.
 *
 * @example Tell it apart from other failures
 * ```ts
 * import { RenderUnavailableError } from "./errors.ts";
 * const error = new RenderUnavailableError("Cannot render: the render queue is full (64 waiting)");
 * if (error.name !== "RenderUnavailableError" || !(error instanceof Error)) throw new Error("bad");
 * ```
 */
export class RenderUnavailableError extends Error {
  /**
   * @param message action, colon, evidence (STYLE rule 18)
   * @param options the underlying error, if any
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RenderUnavailableError";
  }
}
