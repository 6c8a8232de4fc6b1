/**
 * @module
 * Tests of the real render daemon (render-native/build/dqm-render) over a
 * UNIX socket: valid requests give PNGs of the requested size, malformed
 * frames give "Protocol error" replies or a closed connection, and the
 * process never dies. Builds the daemon with `make -C render-native` when
 * it is missing.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const DAEMON = `${ROOT}render-native/build/dqm-render`;
const HELLO = `${ROOT}render-native/build/plugins/hello_plugin.so`;
const FIXTURES = `${ROOT}render-native/tests/fixtures/`;
const HEADER_BYTES = 44;
const MAX_FRAME_BYTES = 256 * 1024 * 1024;
const FLAG_SCALAR = 0x0f;
const FLAG_OBJECT = 0x10;
const IO_TIMEOUT_MS = 15_000;

async function ensureBuilt(): Promise<void> {
  try {
    Deno.statSync(DAEMON);
    Deno.statSync(HELLO);
    return;
  } catch {
    // not built yet
  }
  const out = await new Deno.Command("make", { args: ["-C", `${ROOT}render-native`] }).output();
  if (!out.success) {
    throw new Error(`Cannot build the render daemon: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A little-endian request frame (spec/render.md §1.2). */
function frame(
  opts: {
    flags?: number;
    name?: string;
    spec?: string;
    data?: Uint8Array;
    numobjs?: number;
    type?: number;
  },
): Uint8Array {
  const enc = new TextEncoder();
  const name = enc.encode(opts.name ?? "");
  const spec = enc.encode(opts.spec ?? "h=200;w=266");
  const data = opts.data ?? new Uint8Array();
  const total = HEADER_BYTES + name.length + spec.length + data.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const fields = [
    total,
    opts.type ?? 4,
    opts.flags ?? FLAG_OBJECT,
    0,
    0,
    opts.numobjs ?? 1,
    0,
    name.length,
    spec.length,
    data.length,
    0,
  ];
  fields.forEach((v, i) => dv.setUint32(i * 4, v, true));
  out.set(name, HEADER_BYTES);
  out.set(spec, HEADER_BYTES + name.length);
  out.set(data, HEADER_BYTES + name.length + spec.length);
  return out;
}

/** One data record: u32 len, i32 displacement, bytes (spec/render.md §1.3). */
function record(bytes: Uint8Array, displacement: number): Uint8Array {
  const out = new Uint8Array(8 + bytes.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, bytes.length, true);
  dv.setInt32(4, displacement, true);
  out.set(bytes, 8);
  return out;
}

function fixtureRecord(name: string): { bytes: Uint8Array; disp: number } {
  const line = Deno.readTextFileSync(`${FIXTURES}manifest.tsv`).split("\n")
    .find((l) => l.startsWith(`case=${name}\t`));
  assert.ok(line, `fixture ${name} in manifest.tsv`);
  const disp = Number(/\tdisp=(-?\d+)/.exec(line)![1]);
  return { bytes: Deno.readFileSync(`${FIXTURES}${name}.rec`), disp };
}

/** Buffered reads from a connection, with a deadline. */
class Reader {
  #conn: Deno.UnixConn;
  #buf = new Uint8Array(0);
  constructor(conn: Deno.UnixConn) {
    this.#conn = conn;
  }
  /** n bytes, or null if the peer closed first. */
  async read(n: number): Promise<Uint8Array | null> {
    const deadline = Date.now() + IO_TIMEOUT_MS;
    while (this.#buf.length < n) {
      const chunk = new Uint8Array(65536);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((_, reject) => {
        timer = setTimeout(() => reject(new Error("read timed out")), deadline - Date.now());
      });
      let got: number | null;
      try {
        got = await Promise.race([this.#conn.read(chunk), timeout]);
      } catch (e) {
        if (e instanceof Deno.errors.ConnectionReset) got = null;
        else throw e;
      } finally {
        clearTimeout(timer);
      }
      if (got === null) return null;
      const next = new Uint8Array(this.#buf.length + got);
      next.set(this.#buf);
      next.set(chunk.subarray(0, got), this.#buf.length);
      this.#buf = next;
    }
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.slice(n);
    return out;
  }
  /** A reply (code, payload), or null when the daemon closed the connection. */
  async reply(): Promise<{ code: number; payload: Uint8Array } | null> {
    const head = await this.read(8);
    if (head === null) return null;
    const dv = new DataView(head.buffer);
    const payload = await this.read(dv.getUint32(4, true));
    return payload === null ? null : { code: dv.getUint32(0, true), payload };
  }
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  const dv = new DataView(png.buffer, png.byteOffset);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Daemon {
  dir: string;
  child: Deno.ChildProcess;
  exited: boolean;
  connect(): Promise<{ conn: Deno.UnixConn; reader: Reader }>;
  stop(): Promise<Deno.CommandStatus>;
}

async function startDaemon(): Promise<Daemon> {
  await ensureBuilt();
  const dir = Deno.makeTempDirSync({ prefix: "dqm-render-" });
  const child = new Deno.Command(DAEMON, {
    args: ["--state-directory", `${dir}/`, "--rules", `${ROOT}plugins/rules`, "--plugin", HELLO],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const d: Daemon = {
    dir,
    child,
    exited: false,
    async connect() {
      const conn = await Deno.connect({ transport: "unix", path: `${dir}/socket` });
      return { conn, reader: new Reader(conn) };
    },
    async stop() {
      if (!d.exited) child.kill("SIGTERM");
      const status = await child.status;
      Deno.removeSync(dir, { recursive: true });
      return status;
    },
  };
  child.status.then(() => (d.exited = true));
  for (let i = 0; i < 100; i++) {
    try {
      Deno.statSync(`${dir}/socket`);
      return d;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await d.stop();
  throw new Error("Cannot start the render daemon: no socket after 5 s");
}

async function assertServes(d: Daemon): Promise<void> {
  const { conn, reader } = await d.connect();
  try {
    await conn.write(
      frame({ flags: FLAG_SCALAR, spec: "w=120;h=90", data: new TextEncoder().encode("ok") }),
    );
    const r = await reader.reply();
    assert.ok(r, "daemon answered");
    assert.equal(r.code, 0);
    assert.deepEqual(pngSize(r.payload), { width: 120, height: 90 });
  } finally {
    conn.close();
  }
}

Deno.test("dqm-render answers a scalar request with a PNG of the requested size", async () => {
  const d = await startDaemon();
  try {
    const { conn, reader } = await d.connect();
    await conn.write(
      frame({
        flags: FLAG_SCALAR,
        spec: "h=150;w=300",
        data: new TextEncoder().encode("ME not found"),
      }),
    );
    const r = await reader.reply();
    assert.ok(r);
    assert.equal(r.code, 0);
    assert.deepEqual(pngSize(r.payload), { width: 300, height: 150 });
    conn.close();
  } finally {
    assert.equal((await d.stop()).code, 0);
  }
});

Deno.test("dqm-render draws TH1F, labelled TH2F and overlay records as PNGs on one connection", async () => {
  const d = await startDaemon();
  try {
    const { conn, reader } = await d.connect();
    const h1 = fixtureRecord("th1f_basic"), h2 = fixtureRecord("th2f_labels_dqmio");
    const requests = [
      frame({ name: "Test/h1", spec: "h=200;w=266", data: record(h1.bytes, h1.disp) }),
      frame({
        name: "Test/map",
        spec: "h=400;w=600;drawopts=colz%2Ctext",
        data: record(h2.bytes, h2.disp),
      }),
      frame({
        name: "Test/hello/overlay",
        numobjs: 3,
        data: new Uint8Array([
          ...record(h1.bytes, h1.disp),
          ...record(new Uint8Array(), 0),
          ...record(h1.bytes, h1.disp),
        ]),
      }),
    ];
    // Pipelined: all frames in one write, replies in order.
    await conn.write(new Uint8Array(requests.flatMap((f) => [...f])));
    for (const size of [[266, 200], [600, 400], [266, 200]]) {
      const r = await reader.reply();
      assert.ok(r);
      assert.equal(r.code, 0, text(r.payload.subarray(0, 200)));
      assert.deepEqual(pngSize(r.payload), { width: size[0], height: size[1] });
    }
    conn.close();
  } finally {
    await d.stop();
  }
});

Deno.test("dqm-render answers content errors with code 2 and keeps the connection", async () => {
  const d = await startDaemon();
  try {
    const { conn, reader } = await d.connect();
    const h1 = fixtureRecord("th1f_basic");
    const broken = h1.bytes.slice();
    broken[24] = 5; // TH1 version 8 -> 5: an old layout
    const cases: [Uint8Array, number, string][] = [
      [frame({ numobjs: 0 }), 2, "Protocol error: numobjs 0"],
      [frame({ numobjs: 11 }), 2, "Protocol error: numobjs 11"],
      [frame({ spec: "w=0;h=10", flags: FLAG_SCALAR }), 2, 'Protocol error: spec key "w"'],
      [
        frame({ spec: "w=10;h=10;json=True", flags: FLAG_SCALAR }),
        2,
        "Protocol error: JSON output",
      ],
      [frame({ spec: "w=10;h=10;bogus=1", flags: FLAG_SCALAR }), 2, 'unknown spec key "bogus"'],
      [frame({ data: record(h1.bytes.subarray(0, 100), h1.disp) }), 2, "Cannot decode"],
      [frame({ data: record(broken, h1.disp) }), 1, 'Cannot decode "TH1" v5'],
      [frame({ data: new Uint8Array([1, 2, 3]) }), 2, "Protocol error: record 1 of 1"],
    ];
    for (const [bytes, code, message] of cases) {
      await conn.write(bytes);
      const r = await reader.reply();
      assert.ok(r, `reply to ${message}`);
      assert.equal(r.code, code);
      assert.ok(text(r.payload).includes(message), `"${text(r.payload)}" includes "${message}"`);
    }
    conn.close();
    await assertServes(d);
  } finally {
    await d.stop();
  }
});

Deno.test("dqm-render closes on impossible total_len, survives random and truncated frames", async () => {
  const d = await startDaemon();
  try {
    for (const total of [0, 43, MAX_FRAME_BYTES + 1, 0xffffffff]) {
      const { conn, reader } = await d.connect();
      const b = new Uint8Array(HEADER_BYTES);
      new DataView(b.buffer).setUint32(0, total, true);
      await conn.write(b);
      const r = await reader.reply();
      assert.ok(r);
      assert.equal(r.code, 2);
      assert.ok(text(r.payload).startsWith("Protocol error: total_len"), text(r.payload));
      assert.equal(await reader.reply(), null, "connection closed after broken framing");
      conn.close();
    }
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const valid = frame({ flags: FLAG_SCALAR, data: new TextEncoder().encode("x") });
    for (let i = 0; i < 40; i++) {
      const { conn, reader } = await d.connect();
      // Random bytes with a plausible total_len, or a valid frame cut short.
      const junk = new Uint8Array(HEADER_BYTES + Math.floor(rand() * 200));
      junk.forEach((_, k) => (junk[k] = Math.floor(rand() * 256)));
      new DataView(junk.buffer).setUint32(0, junk.length, true);
      const bytes = i % 2 ? junk : valid.subarray(0, Math.floor(rand() * valid.length));
      await conn.write(bytes);
      if (i % 2) {
        const r = await reader.reply();
        assert.ok(r === null || r.code === 2, `random frame ${i}`);
      }
      conn.close();
    }
    assert.equal(d.exited, false, "daemon still running");
    await assertServes(d);
  } finally {
    assert.equal((await d.stop()).code, 0);
  }
});

Deno.test("dqm-render removes its socket and pid file on SIGTERM", async () => {
  const d = await startDaemon();
  const dir = d.dir;
  assert.equal(Number(Deno.readTextFileSync(`${dir}/pid`).trim()), d.child.pid);
  d.child.kill("SIGTERM");
  assert.equal((await d.child.status).code, 0);
  assert.throws(() => Deno.statSync(`${dir}/socket`), Deno.errors.NotFound);
  assert.throws(() => Deno.statSync(`${dir}/pid`), Deno.errors.NotFound);
  Deno.removeSync(dir, { recursive: true });
});
