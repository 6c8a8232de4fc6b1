/**
 * Our own C decoders for ROOT's `XZ` (LZMA2 in .xz streams) and `L4` (LZ4
 * block plus XXH64) compression blocks, compiled to `lib/decoders.wasm`.
 *
 * This is the only module that touches the WebAssembly instance and its
 * memory (STYLE rule 13): it allocates input and output in the module's
 * heap, calls the C function, copies the result out and frees both in
 * `try/finally`, and turns every negative `RD_E_*` code into a
 * {@linkcode WasmDecodeError} in one place, `checkCode()`. It uses only web
 * APIs (`fetch`, `WebAssembly`), so it runs in Deno, in workers and in
 * browsers; it imports nothing from `core/`.
 *
 * ```ts
 * import { loadDecoders } from "./mod.ts";
 *
 * const decoders = await loadDecoders();
 * const hash = decoders.xxh64(new TextEncoder().encode("abc"));
 * console.log(hash.toString(16)); // 44bc2cf5ad770999
 * ```
 *
 * @module
 */

/** Codes from `wasm/src/rd.h` that this module raises itself. */
const RD_E_NOMEM = -2;
const RD_E_SIZE_MISMATCH = -5;

/** `int32_t` lengths on the C side. */
const MAX_LENGTH = 0x7fffffff;
/** `rd_xxh64` writes the digest as 8 big-endian bytes. */
const XXH64_DIGEST_SIZE = 8;

const WASM_URL = new URL("./lib/decoders.wasm", import.meta.url);

/** Decoders backed by `lib/decoders.wasm`; obtain one with {@linkcode loadDecoders}. */
export interface Decoders {
  /**
   * Decode a complete .xz stream (or several concatenated ones) whose
   * content is exactly `expectedSize` bytes. CRC32, CRC64 and SHA-256
   * integrity checks are verified.
   *
   * @param src the compressed bytes, e.g. the body of a ROOT `XZ` block
   * @param expectedSize the decompressed size, e.g. from the block header
   * @returns a new array of `expectedSize` bytes
   * @throws {WasmDecodeError} if the stream is corrupt, unsupported, or
   *   decodes to any other size
   */
  xzDecompress(src: Uint8Array, expectedSize: number): Uint8Array;
  /**
   * Decode one raw LZ4 block (not an LZ4 frame) to exactly `expectedSize`
   * bytes.
   *
   * @param src the block, e.g. a ROOT `L4` body after its 8-byte checksum
   * @param expectedSize the decompressed size
   * @returns a new array of `expectedSize` bytes
   * @throws {WasmDecodeError} if the block is corrupt or decodes to any
   *   other size
   */
  lz4DecompressBlock(src: Uint8Array, expectedSize: number): Uint8Array;
  /**
   * XXH64 of bytes with the given seed.
   *
   * @param src the bytes to hash
   * @param seed unsigned 64-bit seed, 0 by default (ROOT uses 0)
   * @returns the hash as an unsigned 64-bit bigint
   */
  xxh64(src: Uint8Array, seed?: bigint): bigint;
}

/** A negative `RD_E_*` code from the C decoders, with its message. */
export class WasmDecodeError extends Error {
  /** The `RD_E_*` code from `wasm/src/rd.h` (always negative). */
  readonly code: number;

  /**
   * @param message what could not be done and why (STYLE rule 18)
   * @param code the negative `RD_E_*` code
   */
  constructor(message: string, code: number) {
    super(message);
    this.name = "WasmDecodeError";
    this.code = code;
  }
}

/** The exports listed in `wasm/exports.txt`, typed. Pointers are byte offsets. */
interface Exports {
  memory: WebAssembly.Memory;
  "_initialize"?: () => void;
  malloc(size: number): number;
  free(ptr: number): void;
  "rd_xz_ctx_new"(): number;
  "rd_xz_ctx_free"(ctx: number): void;
  "rd_xz_decode"(ctx: number, dst: number, dstCap: number, src: number, srcLen: number): number;
  "rd_lz4_decode_block"(dst: number, dstCap: number, src: number, srcLen: number): number;
  "rd_xxh64"(dst: number, dstCap: number, src: number, srcLen: number, seed: bigint): number;
  "rd_strerror"(code: number): number;
}

/**
 * Host functions a standalone Emscripten module may import. The C code does
 * no I/O, so these are stubs; an import not listed here means the C side
 * grew a dependency that needs review, and loading fails on it.
 */
const IMPORT_STUBS: Record<string, Record<string, (...args: number[]) => number | void>> = {
  env: {
    // Called after memory.grow; we take a fresh view of memory.buffer on
    // every access instead.
    "emscripten_notify_memory_growth": () => {},
  },
  "wasi_snapshot_preview1": {
    "proc_exit": (code: number) => {
      throw new Error(`Cannot continue in decoders.wasm: the module exited with status ${code}`);
    },
    // WASI errno 52 is ENOSYS: there are no files or clocks here.
    "fd_write": () => 52,
    "fd_close": () => 52,
    "fd_seek": () => 52,
    "clock_time_get": () => 52,
  },
};

function importsFor(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
    const stub = IMPORT_STUBS[mod]?.[name];
    if (kind !== "function" || stub === undefined) {
      throw new TypeError(
        `Cannot load "${WASM_URL.pathname}": unsupported import "${mod}.${name}" (${kind})`,
      );
    }
    (imports[mod] ??= {})[name] = stub;
  }
  return imports;
}

function checkLength(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LENGTH) {
    throw new RangeError(
      `Cannot decode ${what}: size ${n} is not an integer in [0, ${MAX_LENGTH}]`,
    );
  }
}

function createDecoders(ex: Exports): Decoders {
  const heap = (): Uint8Array => new Uint8Array(ex.memory.buffer);

  const cString = (ptr: number): string => {
    const bytes = heap();
    let end = ptr;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(ptr, end));
  };

  /**
   * The one place where a C return code becomes a value or an error.
   * `evidence` adds what was seen, e.g. the size actually produced.
   */
  const checkCode = (code: number, what: string, evidence = ""): number => {
    if (code >= 0) return code;
    const seen = evidence ? `${evidence}; ` : "";
    throw new WasmDecodeError(
      `Cannot decode ${what}: ${cString(ex.rd_strerror(code))} (${seen}code ${code})`,
      code,
    );
  };

  const alloc = (n: number, what: string): number => {
    // malloc(0) may return NULL; a 1-byte block keeps "0 means failure".
    const ptr = ex.malloc(Math.max(n, 1)) >>> 0;
    if (ptr === 0) checkCode(RD_E_NOMEM, what);
    return ptr;
  };

  /** Copies src in, runs decode(dst, src), copies exactly expectedSize bytes out. */
  const decodeInto = (
    what: string,
    src: Uint8Array,
    expectedSize: number,
    decode: (dst: number, src: number) => number,
  ): Uint8Array => {
    checkLength(what, src.length);
    checkLength(what, expectedSize);
    let srcPtr = 0;
    let dstPtr = 0;
    try {
      srcPtr = alloc(src.length, what);
      dstPtr = alloc(expectedSize, what);
      heap().set(src, srcPtr);
      const written = checkCode(decode(dstPtr, srcPtr), what);
      if (written !== expectedSize) {
        checkCode(RD_E_SIZE_MISMATCH, what, `got ${written} bytes`);
      }
      return heap().slice(dstPtr, dstPtr + written);
    } finally {
      ex.free(dstPtr);
      ex.free(srcPtr);
    }
  };

  const xzCtx = ex.rd_xz_ctx_new() >>> 0;
  if (xzCtx === 0) checkCode(RD_E_NOMEM, "xz context");

  return {
    xzDecompress(src, expectedSize) {
      const what = `xz stream of ${src.length} bytes to ${expectedSize} bytes`;
      return decodeInto(
        what,
        src,
        expectedSize,
        (dst, s) => ex.rd_xz_decode(xzCtx, dst, expectedSize, s, src.length),
      );
    },

    lz4DecompressBlock(src, expectedSize) {
      const what = `LZ4 block of ${src.length} bytes to ${expectedSize} bytes`;
      return decodeInto(
        what,
        src,
        expectedSize,
        (dst, s) => ex.rd_lz4_decode_block(dst, expectedSize, s, src.length),
      );
    },

    xxh64(src, seed = 0n) {
      const what = `XXH64 of ${src.length} bytes`;
      checkLength(what, src.length);
      if (seed < 0n || seed > 0xffff_ffff_ffff_ffffn) {
        throw new RangeError(
          `Cannot compute ${what}: seed ${seed} is not an unsigned 64-bit value`,
        );
      }
      let srcPtr = 0;
      let dstPtr = 0;
      try {
        srcPtr = alloc(src.length, what);
        dstPtr = alloc(XXH64_DIGEST_SIZE, what);
        heap().set(src, srcPtr);
        // A wasm i64 parameter takes a signed BigInt; the bits are the same.
        checkCode(
          ex.rd_xxh64(dstPtr, XXH64_DIGEST_SIZE, srcPtr, src.length, BigInt.asIntN(64, seed)),
          what,
        );
        return new DataView(ex.memory.buffer).getBigUint64(dstPtr, false);
      } finally {
        ex.free(dstPtr);
        ex.free(srcPtr);
      }
    },
  };
}

async function instantiate(): Promise<Decoders> {
  // fetch() reads file: URLs in Deno and http(s) in browsers alike.
  const response = await fetch(WASM_URL);
  if (!response.ok) {
    throw new Error(`Cannot load "${WASM_URL.href}": HTTP ${response.status}`);
  }
  const module = await WebAssembly.compile(await response.arrayBuffer());
  const instance = await WebAssembly.instantiate(module, importsFor(module));
  const ex = instance.exports as unknown as Exports;
  // Standalone reactor modules run their C constructors here.
  ex._initialize?.();
  return createDecoders(ex);
}

let loading: Promise<Decoders> | undefined;

/**
 * Instantiates `lib/decoders.wasm` once per thread (worker) and returns its
 * decoders; later calls share the same instance. A failed load is not
 * cached, so it can be retried.
 *
 * @returns the decoders
 */
export function loadDecoders(): Promise<Decoders> {
  loading ??= instantiate().catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
