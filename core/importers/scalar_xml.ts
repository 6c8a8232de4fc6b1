/**
 * @module
 * The "fake XML" strings CMSSW uses for non-histogram MEs in legacy files and
 * protobuf scalar payloads (spec/formats.md §3.1; CMSSW DQMServices/Core
 * LegacyIOHelper and the old DQMStore::save):
 *
 * | form | meaning |
 * |---|---|
 * | `<name>i=42</name>` | Int ME |
 * | `<name>f=0.98</name>` | Float ME |
 * | `<name>s=text</name>` | String ME |
 * | `<name>e=1</name>` | efficiency flag on ME `name` |
 * | `<name>t=tag</name>` | tag of ME `name` (old DQMStore; not an ME) |
 * | `<me.qtest>qr=st:<status>:<result>:<algorithm>:<message></me.qtest>` | quality-test result |
 *
 * Unlike the original, which asserted on anything else and cut values at the
 * first `<`, this parser takes the content up to the matching closing tag and
 * reports anything it does not recognise as `null`.
 */

import type { QTestResult } from "../store/me_entry.ts";

/** A parsed fake-XML string. */
export type ScalarXml =
  | { type: "Int" | "Float" | "String"; name: string; value: string }
  | { type: "Efficiency"; name: string }
  | { type: "Tag"; name: string; value: string }
  | { type: "QTest"; name: string; qtest: QTestResult };

const XML = /^<([^<>]+)>([\s\S]*)<\/\1>$/;
const SCALAR_TYPES: Record<string, "Int" | "Float" | "String"> = {
  i: "Int",
  f: "Float",
  s: "String",
};

/**
 * Parse a fake-XML scalar string.
 *
 * @param text the string (a legacy key name or a TObjString value)
 * @returns what it encodes, or null when it is not one of the known forms
 *
 * @example
 * ```ts
 * import { parseScalarXml } from "./scalar_xml.ts";
 * const s = parseScalarXml("<iRun>i=344518</iRun>");
 * if (s?.type !== "Int" || s.value !== "344518") throw new Error("bad parse");
 * ```
 */
export function parseScalarXml(text: string): ScalarXml | null {
  const m = XML.exec(text);
  if (!m) return null;
  const name = m[1]!;
  const content = m[2]!;
  if (content === "e=1") return { type: "Efficiency", name };
  if (content.startsWith("qr=")) return parseQTest(name, content.slice(3));
  if (content[1] !== "=") return null;
  const letter = content[0]!;
  const raw = content.slice(2);
  if (letter === "t") return { type: "Tag", name, value: raw };
  const type = SCALAR_TYPES[letter];
  if (!type) return null;
  // Older DQMStore versions quoted string values (s="CMSSW_7_5_0").
  const value = type === "String" && raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')
    ? raw.slice(1, -1)
    : raw;
  return { type, name, value };
}

/** `st:<status>:<result>:<algorithm>:<message>`; the message may contain ':'. */
function parseQTest(name: string, body: string): ScalarXml | null {
  const parts = body.split(":");
  if (parts.length < 5 || parts[0] !== "st") return null;
  const status = Number(parts[1]);
  if (!Number.isInteger(status)) return null;
  return {
    type: "QTest",
    name,
    qtest: {
      name: "",
      status,
      result: Number(parts[2]),
      algorithm: parts[3]!,
      message: parts.slice(4).join(":"),
    },
  };
}

/**
 * Split `mename.qtestname` into the ME name and the quality-test name. ME
 * names and test names may both contain dots, so the longest prefix that
 * names an existing ME wins; without one, the first dot splits (as CMSSW's
 * legacy writer joined them).
 *
 * @param name the tag name, e.g. "hits.ContentsWithinRange"
 * @param exists whether an ME of a given name exists in the same folder
 * @returns the two parts, or null when there is no dot
 */
export function splitQTestName(
  name: string,
  exists: (me: string) => boolean,
): [string, string] | null {
  for (let dot = name.lastIndexOf("."); dot > 0; dot = name.lastIndexOf(".", dot - 1)) {
    if (exists(name.slice(0, dot))) return [name.slice(0, dot), name.slice(dot + 1)];
  }
  const first = name.indexOf(".");
  return first > 0 ? [name.slice(0, first), name.slice(first + 1)] : null;
}
