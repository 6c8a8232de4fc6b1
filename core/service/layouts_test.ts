import assert from "node:assert/strict";
import { LayoutFileError, Layouts, parseLayoutFile } from "./layouts.ts";

const SUMMARY = JSON.stringify({
  scope: "all",
  layouts: [
    { name: "Summaries", source: "Pixel/EventInfo/map", destination: "Summary/map" },
    {
      name: "Summaries",
      source: "Strip/EventInfo/map",
      destination: "Summary/map",
      draw: { zmin: 0, zmax: "1", withref: "yes" },
      description: "strips",
    },
  ],
});

const SHIFT = JSON.stringify({
  scope: "online",
  dqmitems: {
    "00 Shift/Pixel/000 - Pixel summary": [
      [{ path: "Pixel/EventInfo/map", overlays: ["Pixel/EventInfo/ref"] }, null],
      ["a text cell the old GUI showed", { path: "Pixel/Clusters/size" }],
    ],
  },
});

Deno.test("parseLayoutFile() reads entries and the old GUI's grids", () => {
  const summary = parseLayoutFile("summary.json", SUMMARY);
  assert.deepEqual(summary.scopes, ["online", "offline", "relval"]);
  assert.deepEqual(summary.entries[1], {
    name: "Summaries",
    source: "Strip/EventInfo/map",
    destination: "Summary/map",
    draw: { zmin: 0, zmax: "1" },
    description: "strips",
  });
  const shift = parseLayoutFile("shift.json", SHIFT);
  assert.deepEqual(shift.scopes, ["online"]);
  assert.equal(shift.skipped, 1);
  assert.deepEqual(shift.entries, [
    {
      name: "000 - Pixel summary",
      source: "Pixel/EventInfo/map",
      destination: "00 Shift/Pixel/map",
      overlays: ["Pixel/EventInfo/ref"],
    },
    {
      name: "000 - Pixel summary",
      source: "Pixel/Clusters/size",
      destination: "00 Shift/Pixel/size",
    },
  ]);
});

Deno.test("parseLayoutFile() names the file and the entry at fault", () => {
  const cases: [string, RegExp][] = [
    ["{", /"bad.json": not JSON/],
    [
      '{"scope":"everywhere","layouts":[]}',
      /scope: expected "online", "offline", "relval" or "all"/,
    ],
    [
      '{"scope":"all","layouts":[{"name":"x","source":"A/b","destination":""}]}',
      /layouts\[0\]\.destination: expected a non-empty string/,
    ],
    [
      '{"scope":"all","layouts":[{"name":"x","source":"/A/b","destination":"C/d"}]}',
      /layouts\[0\]\.source: "\/A\/b" is not an ME path/,
    ],
    [
      '{"scope":"all","layouts":[{"name":"x","source":"A/b","destination":"C/d","draw":{"xmin":[1]}}]}',
      /layouts\[0\]\.draw\.xmin: expected a string or a number/,
    ],
    [
      '{"scope":"all","dqmitems":{"NoFolder":[]}}',
      /dqmitems\["NoFolder"\]: expected "<Folder>\/...\/<layout name>"/,
    ],
    [
      '{"scope":"all","dqmitems":{"/A/L":[[{"path":"A/b"}]]}}',
      /dqmitems\["\/A\/L"\]\[0\]\[0\]: "\/A\/b" is not an ME path/,
    ],
    [
      '{"scope":"all","dqmitems":{"A/L":[[{"path":"A/b","overlays":"A/c"}]]}}',
      /dqmitems\["A\/L"\]\[0\]\[0\]\.overlays: expected a list of ME paths/,
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseLayoutFile("bad.json", text), (e: Error) => {
      assert.ok(e instanceof LayoutFileError, String(e));
      assert.match(e.message, /^Cannot load layouts from "bad\.json": /);
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("Layouts: scopes, listings by destination, each entry once by name", () => {
  const layouts = new Layouts([parseLayoutFile("s", SUMMARY), parseLayoutFile("p", SHIFT)]);
  assert.equal(layouts.count, 4);
  assert.equal(Layouts.scopeOf("/Global/Online/ALL"), "online");
  assert.equal(Layouts.scopeOf("/RelValTTbar/CMSSW_14_0_0-v1/DQMIO"), "relval");
  assert.equal(Layouts.scopeOf("/ZeroBias/Run2026A-v1/DQMIO"), "offline");

  const offlineRoot = layouts.list("offline", "");
  assert.deepEqual([...offlineRoot.dirs.keys()], ["Summary"]);
  const onlineRoot = layouts.list("online", "");
  assert.deepEqual([...onlineRoot.dirs.keys()], ["00 Shift", "Summary"]);
  assert.equal(onlineRoot.dirs.get("00 Shift")!.length, 2);
  const summary = layouts.list("offline", "Summary/");
  assert.deepEqual(summary.objects.map((e) => e.source), [
    "Pixel/EventInfo/map",
    "Strip/EventInfo/map",
  ]);
  assert.deepEqual(layouts.list("offline", "Sum").objects, [], "folders are whole segments");

  // The original returned a scope-"all" layout three times.
  assert.equal(layouts.byName("Summaries").length, 2);
  assert.deepEqual(layouts.byName(""), []);
});

Deno.test("Layouts.load() skips a bad file with its message and loads the rest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.json`, SUMMARY);
    await Deno.writeTextFile(`${dir}/b.json`, '{"scope":"all","layouts":[{"name":"x"}]}');
    await Deno.writeTextFile(`${dir}/c.json`, SHIFT);
    await Deno.writeTextFile(`${dir}/notes.txt`, "not a layout file");
    const errors: string[] = [];
    const loaded = await Layouts.load(dir, (e) => errors.push(e.message));
    assert.equal(loaded.files, 2);
    assert.equal(loaded.entries, 4);
    assert.equal(loaded.skipped, 1);
    assert.deepEqual(errors, [
      `Cannot load layouts from "${dir}/b.json": layouts[0].source: expected a non-empty string`,
    ]);
    const missing = await Layouts.load(`${dir}/none`, (e) => errors.push(e.message));
    assert.equal(missing.layouts.count, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
