/**
 * @module
 * The data roots: the only directories whose files may be registered (the
 * original opened any path it was given). A path is first checked lexically,
 * without touching the file system, so a path outside every root is refused
 * before anything is opened or even stat'ed; a path inside is then resolved
 * (symbolic links included) and checked again.
 *
 * This is a file-system adapter, one of the few modules that use `Deno.*`.
 */

import { ForbiddenPathError, ObjectNotFoundError } from "./errors.ts";

/** Normalise an absolute POSIX path lexically ("." and ".." resolved, no trailing slash). */
export function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function inside(path: string, root: string): boolean {
  return root === "/" || path === root || path.startsWith(root + "/");
}

/**
 * Checks registered paths against the data roots.
 *
 * @example
 * ```ts ignore
 * import { DataRoots } from "./data_roots.ts";
 * const roots = await DataRoots.create(["/data/dqmgui/files"]);
 * await roots.check("/etc/passwd"); // throws ForbiddenPathError
 * ```
 */
export class DataRoots {
  /** Root directories, resolved. */
  readonly roots: readonly string[];

  private constructor(roots: string[]) {
    // private: create() resolves the roots first.
    this.roots = roots;
  }

  /**
   * @param roots directories (created if missing, then resolved)
   * @returns the checker
   */
  static async create(roots: readonly string[]): Promise<DataRoots> {
    const resolved: string[] = [];
    for (const root of roots) {
      await Deno.mkdir(root, { recursive: true });
      resolved.push(await Deno.realPath(root));
    }
    return new DataRoots(resolved);
  }

  /**
   * Check that a path may be registered and exists.
   *
   * @param path an absolute path
   * @returns the resolved path
   * @throws ForbiddenPathError outside every root; ObjectNotFoundError when missing
   */
  async check(path: string): Promise<string> {
    if (!path.startsWith("/")) {
      throw new TypeError(`Cannot register "${path}": the file path must be absolute`);
    }
    const lexical = normalisePath(path);
    if (!this.roots.some((r) => inside(lexical, r))) throw new ForbiddenPathError(path, this.roots);
    let real: string;
    try {
      real = await Deno.realPath(lexical);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new ObjectNotFoundError("file", path, [], "no such file");
      }
      throw error;
    }
    if (!this.roots.some((r) => inside(real, r))) throw new ForbiddenPathError(path, this.roots);
    const info = await Deno.stat(real);
    if (!info.isFile) throw new ObjectNotFoundError("file", path, [], "not a regular file");
    return real;
  }

  /**
   * Whether a path lies inside a root, lexically (no file-system access).
   *
   * @param path an absolute path
   * @returns true when inside
   */
  contains(path: string): boolean {
    const lexical = normalisePath(path);
    return path.startsWith("/") && this.roots.some((r) => inside(lexical, r));
  }

  /**
   * The modification time and size of a file, or null if it is gone.

   *
   * @param path a resolved path
   * @returns mtime (ms) and size
   */
  async stat(path: string): Promise<{ mtime: number; size: number } | null> {
    try {
      const info = await Deno.stat(path);
      return { mtime: info.mtime?.getTime() ?? 0, size: info.size };
    } catch {
      return null;
    }
  }
}
