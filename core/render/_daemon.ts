/**
 * @module
 * One render daemon process and its UNIX-socket connection (STYLE rule 5:
 * `Deno.*` lives here). `Daemon.spawn()` starts
 * `<command> --state-directory <dir>/`, forwards its output lines to the log
 * and waits until `<dir>/socket` accepts a connection (spec/render.md §1.1,
 * §1.8: classic clients polled forever; we give up after a deadline).
 * `request()` sends one frame and reads exactly one reply; any short read,
 * EOF or impossible length is thrown as a `DaemonIOError`, which the pool
 * treats as a dead daemon.
 */

import { parseReplyHeader, PROTO_REPLY_HEADER_BYTES } from "./protocol.ts";
import { RenderUnavailableError } from "./errors.ts";

/** Longest UNIX socket path (sockaddr_un.sun_path is 108 bytes, NUL included). */
export const MAX_SOCKET_PATH_BYTES = 107;
/** Poll interval while waiting for a new daemon's socket. */
const START_POLL_MS = 10;
/** Output lines kept for start-up error messages. */
const TAIL_LINES = 20;

/** The daemon's socket failed mid-request (EOF, reset, short read, bad length). */
export class DaemonIOError extends Error {
  /**
   * @param message action, colon, evidence
   * @param options the underlying error
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DaemonIOError";
  }
}

/** How to start one daemon. */
export interface DaemonOptions {
  /** Binary and extra arguments; `--state-directory <dir>/` is appended. */
  command: string[];
  /** Its state directory (created; the socket is `<dir>/socket`). */
  dir: string;
  /** Give up when the socket does not accept connections by then. */
  startTimeoutMs: number;
  /** Receives the daemon's output lines, prefixed with `label`. */
  log: (line: string) => void;
  /** Prefix of log lines, e.g. "render-0". */
  label: string;
}

/**
 * Read exactly `n` bytes from a connection.
 *
 * @param conn the connection
 * @param n bytes wanted
 * @returns the bytes
 * @throws {DaemonIOError} on EOF before `n` bytes
 */
async function readExact(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) {
      throw new DaemonIOError(
        `Cannot read render reply: connection closed after ${got} of ${n} bytes`,
      );
    }
    got += r;
  }
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
}

/** A running daemon process. */
export class Daemon {
  /** The process id (kill this pid, never a process group or a name). */
  readonly pid: number;
  /** `<dir>/socket`. */
  readonly socketPath: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Deno.CommandStatus>;
  readonly #child: Deno.ChildProcess;
  readonly #tail: string[] = [];
  readonly #pumps: Promise<void>[];
  #conn: Deno.Conn | null = null;
  #exitStatus: Deno.CommandStatus | null = null;
  #killed = false;

  private constructor(child: Deno.ChildProcess, socketPath: string, options: DaemonOptions) {
    // private: built by spawn(), which also waits for the socket.
    this.#child = child;
    this.pid = child.pid;
    this.socketPath = socketPath;
    const prefix = `${options.label} [pid ${child.pid}]: `;
    const keep = (line: string) => {
      this.#tail.push(line);
      if (this.#tail.length > TAIL_LINES) this.#tail.shift();
      options.log(prefix + line);
    };
    this.#pumps = [pumpLines(child.stdout, keep), pumpLines(child.stderr, keep)];
    this.exited = child.status.then((status) => {
      this.#exitStatus = status;
      return status;
    });
  }

  /**
   * Start a daemon and wait until its socket accepts connections.
   *
   * @param options command, directory, deadline, log
   * @returns the running daemon, connected
   * @throws {RenderUnavailableError} naming the command and its output when it does not come up
   */
  static async spawn(options: DaemonOptions): Promise<Daemon> {
    const dir = options.dir.replace(/\/+$/, "");
    const socketPath = `${dir}/socket`;
    const [program, ...extra] = options.command;
    const shown = [...options.command, "--state-directory", `${dir}/`].join(" ");
    if (!program) throw new TypeError("Cannot start render daemon: the command is empty");
    if (new TextEncoder().encode(socketPath).length > MAX_SOCKET_PATH_BYTES) {
      throw new RangeError(
        `Cannot start render daemon: socket path "${socketPath}" is longer than ${MAX_SOCKET_PATH_BYTES} bytes`,
      );
    }
    await Deno.mkdir(dir, { recursive: true });
    // A socket left by a previous daemon would look ready before the new one listens.
    await Deno.remove(socketPath).catch(() => {});
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(program, {
        // The state directory ends with "/": the daemon appends "socket" (spec/render.md §1.1).
        args: [...extra, "--state-directory", `${dir}/`],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      throw new RenderUnavailableError(
        `Cannot start render daemon "${shown}": ${(error as Error).message}`,
        { cause: error },
      );
    }
    const daemon = new Daemon(child, socketPath, options);
    const deadline = Date.now() + options.startTimeoutMs;
    while (true) {
      if (daemon.#exitStatus) {
        await daemon.#drain();
        throw new RenderUnavailableError(
          `Cannot start render daemon "${shown}": it exited with ${
            describe(daemon.#exitStatus)
          }${daemon.#output()}`,
        );
      }
      try {
        daemon.#conn = await Deno.connect({ transport: "unix", path: socketPath });
        return daemon;
      } catch {
        // not listening yet
      }
      if (Date.now() >= deadline) {
        await daemon.kill();
        throw new RenderUnavailableError(
          `Cannot start render daemon "${shown}": no socket at "${socketPath}" after ${options.startTimeoutMs} ms${daemon.#output()}`,
        );
      }
      await new Promise((r) => setTimeout(r, START_POLL_MS));
    }
  }

  /** Whether the process is still running (it may still be hung). */
  get running(): boolean {
    return this.#exitStatus === null;
  }

  /** Whether `kill()` was called. */
  get killed(): boolean {
    return this.#killed;
  }

  /** How the process ended, once it has. */
  get exitStatus(): Deno.CommandStatus | null {
    return this.#exitStatus;
  }

  /**
   * Send one frame and read its reply on the daemon's persistent connection
   * (reconnecting first if a previous reply closed it).
   *
   * @param frame a complete request frame
   * @returns reply code and payload
   * @throws {DaemonIOError} when the socket fails or the reply is malformed
   */
  async request(frame: Uint8Array): Promise<{ code: number; payload: Uint8Array }> {
    try {
      this.#conn ??= await Deno.connect({ transport: "unix", path: this.socketPath });
      const conn = this.#conn;
      await writeAll(conn, frame);
      let header;
      try {
        header = parseReplyHeader(await readExact(conn, PROTO_REPLY_HEADER_BYTES));
      } catch (error) {
        if (error instanceof RangeError) throw new DaemonIOError(error.message, { cause: error });
        throw error;
      }
      const payload = await readExact(conn, header.length);
      return { code: header.code, payload };
    } catch (error) {
      this.#closeConn();
      if (error instanceof DaemonIOError) throw error;
      throw new DaemonIOError(
        `Cannot talk to render daemon pid ${this.pid}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Drop the connection (the next request reconnects); the daemon closes it after a protocol error. */
  disconnect(): void {
    this.#closeConn();
  }

  /**
   * Kill the process with SIGKILL (its own pid only), close the connection
   * and wait for the exit and the end of its output.
   *
   * @returns the exit status
   */
  async kill(): Promise<Deno.CommandStatus> {
    this.#killed = true;
    this.#closeConn();
    if (this.#exitStatus === null) {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    const status = await this.exited;
    await this.#drain();
    return status;
  }

  /** Wait for the output pumps to finish (after exit). */
  async #drain(): Promise<void> {
    await Promise.allSettled(this.#pumps);
  }

  #output(): string {
    return this.#tail.length ? `; output: ${this.#tail.join(" | ")}` : "; no output";
  }

  #closeConn(): void {
    try {
      this.#conn?.close();
    } catch {
      // already closed
    }
    this.#conn = null;
  }
}

function describe(status: Deno.CommandStatus): string {
  return status.signal ? `signal ${status.signal}` : `status ${status.code}`;
}

/**
 * Forward each line of a stream until it ends.
 *
 * @param stream the daemon's stdout or stderr
 * @param onLine called with each line, without its newline
 */
async function pumpLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stream) {
    rest += decoder.decode(bytes, { stream: true });
    let nl;
    while ((nl = rest.indexOf("\n")) >= 0) {
      onLine(rest.slice(0, nl).replace(/\r$/, ""));
      rest = rest.slice(nl + 1);
    }
  }
  if (rest) onLine(rest);
}
