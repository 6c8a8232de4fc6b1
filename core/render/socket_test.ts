import { ok, strictEqual } from "node:assert/strict";
import { encodeRequest, parseReplyHeader, REPLY_ERROR } from "./protocol.ts";
import { RenderPool } from "./pool.ts";
import type { RenderRequest } from "./types.ts";
import {
  DAEMON_BIN,
  options,
  pngSize,
  processRunning,
  sampleRecords,
  SKIP_REASON,
  tempRunDir,
} from "./_test_support.ts";

const ignore = SKIP_REASON !== null;
const READ_LIMIT_MS = 3000;

/** xorshift32: the same frames on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** What came back on a connection: a reply header, EOF, or nothing within the limit. */
type Outcome = { code: number; length: number } | "closed" | "silent";

/** Send bytes on a fresh connection; optionally half-close; read one reply header. */
async function exchange(path: string, bytes: Uint8Array, halfClose: boolean): Promise<Outcome> {
  const conn = await Deno.connect({ transport: "unix", path });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
    if (halfClose) await conn.closeWrite();
    const head = new Uint8Array(8);
    const read = (async (): Promise<Outcome> => {
      let got = 0;
      while (got < 8) {
        const n = await conn.read(head.subarray(got));
        if (n === null) return "closed";
        got += n;
      }
      const header = parseReplyHeader(head);
      const payload = new Uint8Array(header.length);
      for (let off = 0; off < header.length;) {
        const n = await conn.read(payload.subarray(off));
        if (n === null) return "closed";
        off += n;
      }
      return header;
    })();
    const limit = new Promise<Outcome>((r) => timer = setTimeout(() => r("silent"), READ_LIMIT_MS));
    return await Promise.race([read, limit]);
  } catch {
    return "closed"; // the daemon closed first (EPIPE/ECONNRESET on write)
  } finally {
    clearTimeout(timer);
    conn.close();
  }
}

function setU32(frame: Uint8Array, index: number, value: number): Uint8Array {
  const copy = frame.slice();
  new DataView(copy.buffer).setUint32(index * 4, value >>> 0, true);
  return copy;
}

function withSpec(spec: string): Uint8Array {
  const body = new TextEncoder().encode(spec);
  const frame = new Uint8Array(44 + body.length);
  const view = new DataView(frame.buffer);
  [frame.length, 4, 0x0f, 0, 0, 1, 0, 0, body.length, 0, 0].forEach((v, i) =>
    view.setUint32(i * 4, v, true)
  );
  frame.set(body, 44);
  return frame;
}

Deno.test({
  name:
    "RenderPool.render() keeps working after random, truncated and malformed frames on a daemon socket",
  ignore,
  async fn() {
    const records = await sampleRecords();
    const valid: RenderRequest = {
      kind: "objects",
      name: "GEM/x",
      efficiency: false,
      records: [records.get("TH2F")!, records.get("TH1F (ROOT 5)")!, records.get("TProfile")!],
      options: options(300, 200, { drawopts: "colz", reflabels: ["a:b"] }),
    };
    const frame = encodeRequest(valid);
    const runDir = tempRunDir();
    const pool = await RenderPool.start({ command: [DAEMON_BIN], count: 1, runDir, log: () => {} });
    const pid = pool.pids[0]!;
    const path = `${runDir}/render-0/socket`;
    const random = rng(20240501);
    const tally = { replies: 0, protocolErrors: 0, closed: 0, silent: 0 };
    const count = (o: Outcome) => {
      if (o === "closed" || o === "silent") tally[o]++;
      else {
        tally.replies++;
        if (o.code === REPLY_ERROR) tally.protocolErrors++;
      }
    };
    try {
      // Malformed headers and specs: each must get a code-2 reply.
      const malformed = [
        setU32(frame, 0, 43), // total_len below the header
        setU32(frame, 0, 0x7fffffff), // total_len beyond PROTO_MAX_FRAME_BYTES
        setU32(frame, 1, 6), // type 6 (JSON) not served
        setU32(frame, 5, 0), // numobjs 0
        setU32(frame, 5, 11), // numobjs 11
        setU32(frame, 9, 7), // datalen does not add up
        setU32(setU32(frame, 7, 0xffffffff), 0, frame.length), // namelen huge
        withSpec("w=10"),
        withSpec("h=0;w=10"),
        withSpec("h=10;w=5000"),
        withSpec("h=10;w=10;bogus=1"),
        withSpec("h=10;w=10;drawopts=%G1"),
        withSpec("h=10;w=10;drawopts=%00"),
        withSpec("h=10;w=10;xmin=abc"),
        withSpec("h=10;w=10;json=True"),
      ];
      for (const bytes of malformed) {
        const outcome = await exchange(path, bytes, false);
        count(outcome);
        ok(
          typeof outcome === "object" && outcome.code === REPLY_ERROR || outcome === "closed",
          `malformed: ${JSON.stringify(outcome)}`,
        );
      }
      // Truncated valid frames, then EOF.
      for (let i = 0; i < 60; i++) {
        const cut = Math.floor(random() * frame.length);
        count(await exchange(path, frame.subarray(0, cut), true));
      }
      // Valid frames with flipped bytes in the object data, and pure noise.
      const dataStart = frame.length - new DataView(frame.buffer).getUint32(36, true);
      for (let i = 0; i < 150; i++) {
        const bad = frame.slice();
        const flips = 1 + Math.floor(random() * 8);
        for (let k = 0; k < flips; k++) {
          const at = dataStart + Math.floor(random() * (frame.length - dataStart));
          bad[at] = Math.floor(random() * 256);
        }
        count(await exchange(path, bad, false));
      }
      for (let i = 0; i < 60; i++) {
        const noise = new Uint8Array(Math.floor(random() * 300));
        for (let k = 0; k < noise.length; k++) noise[k] = Math.floor(random() * 256);
        count(await exchange(path, noise, true));
      }
      console.log(`  fuzz: ${JSON.stringify(tally)}`);
      ok(processRunning(pid), "the daemon survived");
      strictEqual(pool.pids[0], pid, "no restart");
      strictEqual(pool.stats.crashes, 0);
      strictEqual(tally.silent, 0, "no connection left hanging");
      const after = await pool.render(valid);
      strictEqual(after.code, 0, after.message);
      strictEqual(pngSize(after.png)?.width, 300);
    } finally {
      await pool.close();
      Deno.removeSync(runDir, { recursive: true });
    }
  },
});
