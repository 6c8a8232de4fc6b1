import assert from "node:assert/strict";
import { compareUtf8, type FolderListing, type MEEntry, MEList } from "./melist.ts";

const te = new TextEncoder();

function compareBytes(a: string, b: string): number {
  const x = te.encode(a);
  const y = te.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function me(path: string, extra: Partial<MEEntry> = {}): MEEntry {
  return { path, kind: "TH1F", seek: 0, offset: 0, size: -1, ...extra };
}

function throwsType(fn: () => unknown, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TypeError && e.message.includes(text));
}

const TRICKY = [
  "a",
  "b",
  "\u{1D538}",
  "\uFF46",
  "\uE000",
  "\uD7FF",
  "é",
  "z",
  "a/b",
  "a-b",
  "\u{10FFFF}",
  "\u007F",
  "A",
];

/** Names and counts of the sub-folders (without their index ranges). */
function counts(listing: FolderListing): { name: string; count: number }[] {
  return listing.dirs.map(({ name, count }) => ({ name, count }));
}

Deno.test("compareUtf8() agrees with UTF-8 byte comparison, including astral characters", () => {
  for (const a of TRICKY) {
    for (const b of TRICKY) {
      for (const [x, y] of [[a, b], [a + b, a], ["p" + a + "q", "p" + b]]) {
        assert.deepEqual(
          Math.sign(compareUtf8(x!, y!)),
          Math.sign(compareBytes(x!, y!)),
          `${x} vs ${y}`,
        );
      }
    }
  }
  assert.ok(compareUtf8("\u{1D538}", "\uFF46") > 0);
  assert.ok("\u{1D538}" < "\uFF46");
});

Deno.test("MEList() sorts entries in UTF-8 byte order", () => {
  const paths = TRICKY.map((t) => `Sub/${t}`);
  const list = new MEList(paths.map((p) => me(p)));
  const expected = [...paths].sort(compareBytes);
  assert.deepEqual(Array.from({ length: list.count }, (_, i) => list.path(i)), expected);
  for (const p of paths) assert.deepEqual(list.path(list.indexOf(p)), p);
  assert.deepEqual(list.indexOf("Sub/\uFF45"), -1);
});

Deno.test("MEList() keeps the later entry when a path repeats", () => {
  const list = new MEList([
    me("A/x", { seek: 1 }),
    me("A/y"),
    me("A/x", { seek: 2 }),
    me("A/x", { seek: 3 }),
  ]);
  assert.deepEqual(list.count, 2);
  assert.deepEqual(list.seek(list.indexOf("A/x")), 3);
  const sorted = new MEList([me("A/a"), me("A/x", { seek: 1 }), me("A/x", { seek: 2 })]);
  assert.deepEqual(sorted.seek(sorted.indexOf("A/x")), 2);
});

Deno.test("MEList() rejects paths with a newline, NUL, lone surrogate or nothing, naming the path", () => {
  throwsType(() => new MEList([me("A/b\nc")]), '"A/b\\nc": path contains a newline');
  throwsType(() => new MEList([me("A/b\0.qt")]), "path contains NUL");
  throwsType(() => new MEList([me("A/\uD800")]), "lone surrogate");
  throwsType(() => new MEList([me("")]), "path is empty");
  throwsType(() => new MEList([me("A/x", { seek: NaN })]), "seek must be a finite number");
  throwsType(() => new MEList([me("A/x", { kind: "" })]), "kind must be a non-empty string");
  throwsType(
    () =>
      new MEList([
        me("A/x", { qtests: [{ name: "q", status: 1.5, result: 0, algorithm: "", message: "" }] }),
      ]),
    "qtest status",
  );
});

Deno.test("MEList accessors return every field, with qtests sorted by name", () => {
  const q = (name: string, status: number) => ({
    name,
    status,
    result: 0.5,
    algorithm: "alg",
    message: "m",
  });
  const list = new MEList([
    me("A/i", { kind: "Int", value: "42" }),
    me("A/h", {
      kind: "TProfile2D",
      seek: 2 ** 53,
      offset: 7,
      size: 99,
      efficiency: true,
      qtests: [q("z", 300), q("b", 100)],
    }),
  ]);
  const h = list.indexOf("A/h");
  assert.deepEqual([list.kind(h), list.seek(h), list.offset(h), list.size(h)], [
    "TProfile2D",
    2 ** 53,
    7,
    99,
  ]);
  assert.deepEqual([list.efficiency(h), list.value(h), list.name(h)], [true, undefined, "h"]);
  assert.deepEqual(list.qtests(h).map((t) => t.name), ["b", "z"]);
  const i = list.indexOf("A/i");
  assert.deepEqual([list.kind(i), list.value(i), list.efficiency(i), list.qtests(i)], [
    "Int",
    "42",
    false,
    [],
  ]);
  assert.deepEqual(list.entry(i), me("A/i", { kind: "Int", value: "42" }));
  assert.throws(() => list.path(2), RangeError);
  assert.throws(() => list.kind(-1), RangeError);
});

Deno.test("MEList.prefixRange() returns the index range of paths with a prefix", () => {
  const list = new MEList(["A/a", "A/b/c", "A/b/d", "A/bc", "A0", "B/x"].map((p) => me(p)));
  assert.deepEqual(list.prefixRange("A/b/"), [1, 3]);
  assert.deepEqual(list.prefixRange("A/b"), [1, 4]);
  assert.deepEqual(list.prefixRange(""), [0, 6]);
  assert.deepEqual(list.prefixRange("C"), [6, 6]);
  assert.deepEqual(list.prefixRange("A/a/"), [1, 1]);
});

const TREE = [
  "Pixel/EventInfo/reportSummary",
  "Pixel/EventInfo/reportSummaryContents/barrel",
  "Pixel/EventInfo/reportSummaryContents/endcap",
  "Pixel/Tracks/charge",
  "Pixel/Tracks/Deep/a/b/c/eta",
  "Strip/x",
  "top",
];

Deno.test("MEList.list() counts MEs below each sub-folder", () => {
  const list = new MEList(TREE.map((p) => me(p)));
  assert.deepEqual(counts(list.list("")), [{ name: "Pixel", count: 5 }, {
    name: "Strip",
    count: 1,
  }]);
  const [pixel, strip] = list.list("").dirs;
  assert.deepEqual([pixel!.first, pixel!.end, strip!.first, strip!.end], [0, 5, 5, 6]);
  assert.deepEqual(list.list("").objects.map((i) => list.path(i)), ["top"]);
  assert.deepEqual(counts(list.list("Pixel/EventInfo")), [{
    name: "reportSummaryContents",
    count: 2,
  }]);
  assert.deepEqual(list.list("Pixel/EventInfo/").objects.map((i) => list.name(i)), [
    "reportSummary",
  ]);
  assert.deepEqual(counts(list.list("Pixel/Tracks")), [{ name: "Deep", count: 1 }]);
  assert.deepEqual(counts(list.list("Pixel/Tracks/Deep/a/b")), [{ name: "c", count: 1 }]);
  assert.deepEqual(list.list("Nope"), { dirs: [], objects: [] });
  assert.deepEqual(list.list("Pixel/Track"), { dirs: [], objects: [] });
});

Deno.test("MEList.list() sorts dirs and objects in UTF-8 byte order of names", () => {
  const list = new MEList(
    ["F/x/1", "F/x-y/1", "F/\uFF46/1", "F/\u{1D538}/1", "F/x", "F/x-y", "F/\u{1D538}", "F/\uFF46"]
      .map((p) => me(p)),
  );
  const names = ["x", "x-y", "\uFF46", "\u{1D538}"];
  const { dirs, objects } = list.list("F");
  assert.deepEqual(dirs.map((d) => d.name), names);
  assert.deepEqual(objects.map((i) => list.name(i)), names);
});

Deno.test("MEList.list() applies the filter to ME names in objects and sub-folder counts", () => {
  const list = new MEList(TREE.map((p) => me(p)));
  const seen: string[] = [];
  const filter = (
    name: string,
  ) => (seen.push(name), name.startsWith("report") || name === "barrel");
  const root = list.list("", filter);
  assert.deepEqual(root, { dirs: [{ name: "Pixel", count: 2, first: 0, end: 5 }], objects: [] });
  assert.ok(seen.every((n) => !n.includes("/")));
  assert.deepEqual(counts(list.list("Pixel/EventInfo", filter)), [{
    name: "reportSummaryContents",
    count: 1,
  }]);
  assert.deepEqual(list.list("Pixel/EventInfo", filter).objects.length, 1);
});

Deno.test("MEList.list() handles an ME that is also a folder, empty segments and deep nesting", () => {
  const deep = Array.from({ length: 5000 }, (_, i) => `d${i}`).join("/");
  const list = new MEList(["A/x", "A/x/y", "A//z", "/lead", deep].map((p) => me(p)));
  assert.deepEqual(counts(list.list("A")), [{ name: "", count: 1 }, { name: "x", count: 1 }]);
  assert.deepEqual(list.list("A").objects.map((i) => list.path(i)), ["A/x"]);
  assert.deepEqual(list.list("A//").objects.map((i) => list.path(i)), ["A//z"]);
  assert.deepEqual(list.list("").dirs.map((d) => d.name), ["", "A", "d0"]);
  assert.deepEqual(list.list(deep.slice(0, deep.lastIndexOf("/"))).objects.length, 1);
});

Deno.test("MEList.list() results are copies callers may modify", () => {
  const list = new MEList(TREE.map((p) => me(p)));
  const first = list.list("");
  first.dirs.pop();
  first.objects.pop();
  assert.deepEqual(list.list("").dirs.length, 2);
  assert.deepEqual(list.list("").objects.length, 1);
});

Deno.test("MEList.list() serves 100,000 entries: counts add up and warm calls are fast", () => {
  const entries: MEEntry[] = [];
  for (let i = 0; i < 100_000; i++) {
    entries.push(me(`S${i % 7}/F${(i >> 3) % 50}/G${i % 11}/h${i}`));
  }
  const list = new MEList(entries.reverse());
  assert.deepEqual(list.count, 100_000);
  const root = list.list("");
  assert.deepEqual(root.dirs.reduce((s, d) => s + d.count, 0), 100_000);
  const s3 = list.list("S3");
  assert.deepEqual(
    s3.dirs.reduce((s, d) => s + d.count, 0),
    list.prefixRange("S3/")[1] - list.prefixRange("S3/")[0],
  );
  const t0 = performance.now();
  for (let k = 0; k < 20_000; k++) list.list(k % 2 ? "S3/F10" : "S5");
  assert.ok(performance.now() - t0 < 2000, "20,000 warm list() calls took over 2 s");
  for (let i = 0; i < 100_000; i += 997) assert.equal(list.indexOf(list.path(i)), i);
});

Deno.test("MEList.fromColumns() rejects out-of-order or inconsistent columns", () => {
  const c = new MEList([me("A/a"), me("A/b")]).columns();
  throwsType(
    () => MEList.fromColumns({ ...c, paths: ["A/b", "A/a"] }),
    "paths out of order at entry 1",
  );
  throwsType(() => MEList.fromColumns({ ...c, paths: ["A/a", "A/a"] }), "paths out of order");
  throwsType(
    () => MEList.fromColumns({ ...c, paths: ["A/a"] }),
    "column kindIndex has 2 entries, expected 1",
  );
  throwsType(
    () => MEList.fromColumns({ ...c, flags: new Uint8Array([2, 0]) }),
    "value flag set but no value",
  );
  throwsType(
    () => MEList.fromColumns({ ...c, kindIndex: new Uint16Array([0, 9]) }),
    "kind index 9 out of range",
  );
  assert.deepEqual(MEList.fromColumns(c).count, 2);
});
