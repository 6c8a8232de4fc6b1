import assert from "node:assert/strict";
import { type BranchShape, codecFor, type LeafShape, leafTypeOf } from "./_leaf.ts";
import { StreamerSet } from "./streamers.ts";

const none = new StreamerSet([]);

function leaf(className: string, extra: Partial<LeafShape> = {}): LeafShape {
  return {
    className,
    name: "v",
    title: "v",
    len: 1,
    isUnsigned: false,
    hasCount: false,
    virtual: true,
    ...extra,
  };
}

function branch(className: string, extra: Partial<BranchShape> = {}): BranchShape {
  return {
    className,
    name: "Value",
    objectClass: "",
    classVersion: -1,
    id: -1,
    type: 0,
    streamerType: -1,
    leaves: [],
    ...extra,
  };
}

Deno.test("codecFor() lays out the DQMIO Indices leaves (spec/formats.md §2.4)", () => {
  const run = branch("TBranch", { leaves: [leaf("TLeafI", { isUnsigned: true })] });
  assert.equal(leafTypeOf(run, none), "UInt_t");
  assert.deepEqual(codecFor(run, none), {
    type: "number",
    kind: "u32",
    perEntry: 1,
    header: "none",
  });
  const first = branch("TBranch", { leaves: [leaf("TLeafL", { isUnsigned: true })] });
  assert.equal(leafTypeOf(first, none), "ULong64_t");
  assert.deepEqual(codecFor(first, none), {
    type: "number",
    kind: "u64",
    perEntry: 1,
    header: "none",
  });
});

Deno.test("codecFor() lays out the DQMIO Value leaves of Ints and Floats", () => {
  const ints = branch("TBranch", { leaves: [leaf("TLeafL")] });
  assert.equal(leafTypeOf(ints, none), "Long64_t");
  assert.equal((codecFor(ints, none) as { kind: string }).kind, "i64");
  const floats = branch("TBranch", { leaves: [leaf("TLeafD")] });
  assert.equal(leafTypeOf(floats, none), "Double_t");
  assert.equal((codecFor(floats, none) as { kind: string }).kind, "f64");
});

Deno.test("codecFor() reads a top-level std::string TBranchElement with an optional header", () => {
  const fullName = branch("TBranchElement", {
    objectClass: "string",
    leaves: [leaf("TLeafElement")],
  });
  assert.equal(leafTypeOf(fullName, none), "string");
  assert.deepEqual(codecFor(fullName, none), { type: "string", header: "optional" });
});

Deno.test("codecFor() reads TH* Values as objects behind their class name (TBranchObject)", () => {
  const value = branch("TBranchObject", { objectClass: "TH1F", leaves: [leaf("TLeafObject")] });
  assert.equal(leafTypeOf(value, none), "TH1F");
  assert.deepEqual(codecFor(value, none), {
    type: "object",
    className: "TH1F",
    virtual: true,
    bareVersion: -1,
  });
});

Deno.test("codecFor() says why it cannot decode a leaf list", () => {
  const list = branch("TBranch", { leaves: [leaf("TLeafI"), leaf("TLeafF")] });
  assert.equal(leafTypeOf(list, none), "Int_t:Float_t");
  assert.deepEqual(codecFor(list, none), {
    type: "none",
    reason: "branch has 2 leaves (a leaf list)",
  });
});
