import assert from "node:assert/strict";
import { formatState, parseState } from "./state.ts";

Deno.test("app state: every field survives the URL, in a stable form", () => {
  const url = "?" + new URLSearchParams([
    ["ds", "/ZeroBias/Run2026A-PromptReco-v1/DQMIO"],
    ["run", "400853"],
    ["lumi", "7"],
    ["dir", "00 Shift/PixelPhase1"],
    ["q", "report.*map$"],
    ["qt", "failing"],
    ["size", "s"],
    ["sel", "PixelPhase1/EventInfo/reportSummaryMap|zmin=0&zmax=1&overlay=A%2Fb&overlay=C%2Fd"],
    ["sel", "Pixel/a|b"],
    ["ref", "400850/ZeroBias/Run2026A-PromptReco-v1/DQMIO|last week"],
    ["with", "Pixel/other|other"],
    ["mode", "ratiooverlay"],
    ["norm", "0"],
    ["js", "1"],
    ["trend", "entries"],
    ["trendby", "lumi"],
    ["play", "10"],
  ]).toString();
  const s = parseState(url);
  assert.deepEqual(s.sample, {
    dataset: "/ZeroBias/Run2026A-PromptReco-v1/DQMIO",
    run: 400853,
    lumi: 7,
  });
  assert.equal(s.folder, "00 Shift/PixelPhase1");
  assert.deepEqual(s.selected[0], {
    path: "PixelPhase1/EventInfo/reportSummaryMap",
    options: { zmin: "0", zmax: "1" },
    overlays: ["A/b", "C/d"],
  });
  assert.deepEqual(s.selected[1], { path: "Pixel/a|b", options: {} }, "a | in a path stays");
  assert.equal(s.trend, "entries");
  assert.equal(s.trendBy, "lumi");
  assert.equal(s.play, 10);
  assert.equal(s.mode, "ratiooverlay");
  assert.equal(s.norm, false);
  assert.equal(s.jsroot, true);
  assert.deepEqual(parseState(formatState(s)), s, "format → parse is the identity");
});

Deno.test("app state: unknown values fall back to the defaults", () => {
  const s = parseState("?size=huge&qt=maybe&mode=sideways&trend=median&play=7");
  assert.equal(s.size, "m");
  assert.equal(s.qt, "");
  assert.equal(s.mode, "overlay");
  assert.equal(s.trend, "");
  assert.equal(s.play, 0);
  assert.equal(formatState(s), "");
});
