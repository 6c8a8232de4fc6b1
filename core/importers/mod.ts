/**
 * @module
 * Importers: read a registered file's list of monitor elements. The table maps
 * each `FileFormat` to its importer (STYLE rule 11); every importer runs the
 * same contract test.
 */

import { dqmClassicImporter } from "./dqm_classic.ts";
import { dqmIoImporter } from "./dqm_io.ts";
import { protobufImporter } from "./protobuf.ts";
import { FileFormat, type Importer } from "./types.ts";

export * from "./types.ts";
export { dqmClassicImporter, latestCycles } from "./dqm_classic.ts";
export {
  DQMIO_TYPES,
  dqmIoImporter,
  type IndexRow,
  kNoTypesStored,
  listRunLumis,
  openTypeTree,
  readIndices,
} from "./dqm_io.ts";
export { parseScalarXml, type ScalarXml, splitQTestName } from "./scalar_xml.ts";
export {
  gunzipSnapshot,
  PB_GZIP_OFFSET,
  type PbHisto,
  protobufImporter,
  readPbHisto,
} from "./protobuf.ts";

/** Importers by file format. */
export const IMPORTERS: ReadonlyMap<FileFormat, Importer> = new Map<FileFormat, Importer>([
  [FileFormat.DQMCLASSIC, dqmClassicImporter],
  [FileFormat.DQMIO, dqmIoImporter],
  [FileFormat.PROTOBUF, protobufImporter],
]);

/**
 * The importer of a format.
 *
 * @param format a file format number
 * @returns the importer, or undefined when the format is not supported
 */
export function importerFor(format: number): Importer | undefined {
  return IMPORTERS.get(format as FileFormat);
}
