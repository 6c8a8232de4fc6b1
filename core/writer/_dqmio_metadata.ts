/**
 * @module
 * The `MetaData` directory of a DQMIO file, as `DQMRootOutputModule::
 * startEndFile` fills it: a TTree `ProcessHistories` (Index UInt_t, then
 * ProcessName, ParameterSetID, ReleaseVersion and PassID as std::string)
 * with one entry per step of each process history seen, and a TTree
 * `ParameterSets` (ParameterSetBlob std::string) with the serialised
 * parameter sets. The parameter-set IDs are 16 raw bytes
 * (`ParameterSetID::compactForm()`), here derived from the seed; the blobs
 * follow `edm::ParameterSet::toString`'s `<name=+S(value);...>` notation.
 *
 * This module is browser compatible.
 */

import type { DirectoryHandle, TFileWriter } from "./tfile_writer.ts";
import { TreeWriter } from "./ttree.ts";

/** The process history of a prompt-reconstruction DQM step: HLT, then RECO. */
const PROCESSES = [
  { name: "HLT", release: "CMSSW_14_0_6" },
  { name: "RECO", release: "CMSSW_14_0_7" },
];

/** A few parameter sets, as `ParameterSet::toString` writes them. */
const PARAMETER_SETS = [
  "<@all_modules=-vS(dqmSaver,DQMoutput);@process_name=+S(RECO);" +
  "@trigger_paths=-vS(dqmoffline_step);@end_paths=-vS(DQMoutput_step)>",
  "<@module_edm_type=+S(OutputModule);@module_label=+S(DQMoutput);" +
  "@module_type=+S(DQMRootOutputModule);fileName=+S(step3_inDQM.root);" +
  "filterOnRun=+U(0);logicalFileName=+S();splitLevel=+I(0)>",
  "<@module_edm_type=+S(EDProducer);@module_label=+S(dqmProvInfo);" +
  "@module_type=+S(DQMProvInfo);subSystemFolder=+S(Info);provInfoFolder=+S(ProvInfo)>",
];

function parameterSetId(seed: number, i: number): Uint8Array {
  const out = new Uint8Array(16);
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  for (let k = 0; k < 16; k++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[k] = x >>> 24;
  }
  return out;
}

/**
 * Creates and fills the two MetaData trees (not yet finished: the caller
 * finishes them after the top-level trees, in `TFile::Write` order).
 *
 * @param f the file
 * @param dir the MetaData directory
 * @param seed seed of the parameter-set IDs
 * @returns the ProcessHistories and ParameterSets trees
 */
export function writeMetaData(f: TFileWriter, dir: DirectoryHandle, seed: number): TreeWriter[] {
  const histories = new TreeWriter(f, dir, "ProcessHistories", [
    { kind: "leaf", name: "Index", type: "i" },
    { kind: "string", name: "ProcessName" },
    { kind: "string", name: "ParameterSetID" },
    { kind: "string", name: "ReleaseVersion" },
    { kind: "string", name: "PassID" },
  ]);
  PROCESSES.forEach((p, i) => {
    histories.fill([i, p.name, parameterSetId(seed, i), p.release, ""]);
  });
  const psets = new TreeWriter(f, dir, "ParameterSets", [
    { kind: "string", name: "ParameterSetBlob" },
  ]);
  for (const blob of PARAMETER_SETS) psets.fill([blob]);
  return [histories, psets];
}
