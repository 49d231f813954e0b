// The one reader of data files (file backend, `render --kv`, `render --data`,
// `check --kv`): YAML and JSON as confd's yaml.v2 reads them, TOML by the TOML
// spec. Errors name the file, line and column and what is wrong, on one line,
// and never quote the file's text: a data file may hold passwords.

import { parse as parseToml, TomlError } from "smol-toml";
import { flatten } from "./flatten.ts";
import { parseYamlV2 } from "./yaml_v2.ts";
import { YamlV2Error } from "./yaml_v2_resolve.ts";

/** A map read from a data file: keys as path segments, later keys replacing earlier ones. */
export type DataMap = { [key: string]: DataValue };

/**
 * A parsed value: strings; bools; null; ints as bigint (int64, or uint64 above it, as yaml.v2
 * gives them); floats as numbers; TOML dates as Date; lists; maps (null-prototype objects).
 */
export type DataValue = string | boolean | null | bigint | number | Date | DataValue[] | DataMap;

/** A data file that cannot be read as data: `file:line:column: reason`. */
export class DataFileError extends Error {
  override name = "DataFileError";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  constructor(file: string, line: number, column: number, reason: string, options?: { cause?: unknown }) {
    super(`${file}:${line}:${column}: ${reason}`, options);
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** yaml.v2's reader refuses every character outside this set, anywhere in the file (comments too). */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** True for .toml files; every other name is read as YAML (JSON is YAML), as confd reads them. */
export function isToml(path: string): boolean {
  return path.toLowerCase().endsWith(".toml");
}

/** Decodes and parses one data file, choosing TOML or YAML by its name. Throws DataFileError. */
export function parseDataFile(path: string, bytes: Uint8Array): DataValue {
  const text = decodeUtf8(path, bytes);
  return isToml(path) ? parseTomlText(path, text) : parseYamlText(path, text);
}

/**
 * Parses one data file and adds its keys to `into` as confd's file backend does (see flatten).
 * The top level must be a map (confd decodes into map[interface{}]interface{}); an empty file adds nothing.
 */
export function flattenDataFile(path: string, bytes: Uint8Array, into?: Map<string, string>): Map<string, string> {
  const data = parseDataFile(path, bytes);
  const out = into ?? new Map<string, string>();
  if (data === null) return out;
  if (typeof data !== "object" || Array.isArray(data) || data instanceof Date) {
    const found = Array.isArray(data) ? "a list" : "a single value";
    throw new DataFileError(path, 1, 1, `expected a map of keys at the top level, found ${found}`);
  }
  return flatten(data, { into: out });
}

function parseYamlText(path: string, text: string): DataValue {
  const bad = NOT_PRINTABLE.exec(text);
  if (bad !== null) {
    const [line, column] = lineColumn(text, bad.index);
    throw new DataFileError(path, line, column, "control characters are not allowed");
  }
  try {
    // YAML 1.1 line breaks that the readers here do not know: yaml.v2 breaks lines on them.
    return parseYamlV2(text.replace(/[\u0085\u2028\u2029]/g, "\n"));
  } catch (err) {
    if (!(err instanceof YamlV2Error)) throw err;
    const [line, column] = lineColumn(text, err.offset);
    throw new DataFileError(path, line, column, err.message, { cause: err });
  }
}

function parseTomlText(path: string, text: string): DataValue {
  try {
    return parseToml(text, { integersAsBigInt: true }) as DataMap;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // The message carries a code frame with the source line: keep only its first line's reason.
    let reason = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    // Its reasons are fixed phrases; anything else (a date library's message) may quote the value.
    if (!/^[a-z][a-z ,:.'-]*$/i.test(reason)) reason = "invalid value";
    throw new DataFileError(path, err.line, err.column, reason); // no cause: its message quotes the file
  }
}

/** The text of a UTF-8 file (a leading byte order mark dropped); invalid UTF-8 is an error at its position. */
function decodeUtf8(path: string, bytes: Uint8Array): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    let line = 1;
    let column = 1;
    for (let i = 0; i < bad; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xc0) !== 0x80) column++;
    }
    throw new DataFileError(path, line, column, "invalid UTF-8");
  }
  return new TextDecoder().decode(bytes);
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of a UTF-16 offset into `text`. */
function lineColumn(text: string, offset: number): [line: number, column: number] {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return [line, [...text.slice(start, Math.max(start, offset))].length + 1];
}
