/**
 * @module
 * The protobuf snapshot format of the online DQM clients (FileFormat 3,
 * spec/formats.md §4): the ROOTFilePB schema generated from our own
 * `dqm.proto` by `deno task gen:proto` (for `create`, `toBinary` and
 * `fromBinary` of `@bufbuild/protobuf`), and the table of the `flags` word.
 *
 * @example Encode and decode a one-ME snapshot
 * ```ts
 * import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
 * import { HistoSchema, ROOTFilePBSchema } from "./mod.ts";
 *
 * const histo = create(HistoSchema, { fullPathname: "A/h", size: 3, streamedHisto: new Uint8Array(3), flags: 0x10 });
 * const bytes = toBinary(ROOTFilePBSchema, create(ROOTFilePBSchema, { histo: [histo] }));
 * if (fromBinary(ROOTFilePBSchema, bytes).histo[0]?.fullPathname !== "A/h") throw new Error("round trip failed");
 * ```
 */

export {
  file_dqm as fileDqm,
  type ROOTFilePB,
  type ROOTFilePB_Histo as Histo,
  ROOTFilePB_HistoSchema as HistoSchema,
  ROOTFilePBSchema,
} from "./dqm_pb.ts";
export * from "./kinds.ts";
