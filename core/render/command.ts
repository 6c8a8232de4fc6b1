/**
 * @module
 * The render daemon command line the server uses by default, and an "epoch"
 * string that changes whenever drawing may change (daemon binary, rule files,
 * native plugins), so image ETags change with it.
 */

const ROOT_DIR = new URL("../../", import.meta.url).pathname;

/** Path of our daemon binary, built by `deno task build:native`. */
export const DAEMON_BINARY = `${ROOT_DIR}render-native/build/dqm-render`;

/**
 * Our daemon with the rule files of plugins/rules and every built native plugin.
 *
 * @returns the command (binary and arguments)
 * @throws Error naming the missing binary and how to build it
 */
export async function defaultRenderCommand(): Promise<string[]> {
  try {
    await Deno.stat(DAEMON_BINARY);
  } catch {
    throw new Error(
      `Cannot find the render daemon "${DAEMON_BINARY}": build it with "deno task build:native"`,
    );
  }
  const command = [DAEMON_BINARY, "--rules", `${ROOT_DIR}plugins/rules`];
  const plugins = `${ROOT_DIR}render-native/build/plugins`;
  try {
    const names = [];
    for await (const e of Deno.readDir(plugins)) if (e.name.endsWith(".so")) names.push(e.name);
    for (const name of names.sort()) command.push("--plugin", `${plugins}/${name}`);
  } catch {
    // no native plugins built
  }
  return command;
}

/**
 * A short hash of everything in a render command that can change drawing:
 * the command itself and the size and modification time of every absolute
 * path in it (directories: of every file inside).
 *
 * @param command the render command
 * @returns 16 hex digits
 */
export async function renderEpoch(command: readonly string[]): Promise<string> {
  const parts: string[] = [command.join(" ")];
  for (const path of command.filter((a) => a.startsWith("/"))) {
    try {
      const info = await Deno.stat(path);
      if (info.isFile) parts.push(`${path}:${info.size}:${info.mtime?.getTime()}`);
      else if (info.isDirectory) {
        for await (const e of Deno.readDir(path)) {
          const f = await Deno.stat(`${path}/${e.name}`);
          parts.push(`${path}/${e.name}:${f.size}:${f.mtime?.getTime()}`);
        }
      }
    } catch {
      parts.push(`${path}:missing`);
    }
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(parts.sort().join("\n")),
  );
  return Array.from(new Uint8Array(digest).subarray(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}
