// The fast path of the YAML reader: the plain block subset most data files use
// (`key: value` maps, `- item` lists, plain and one-line quoted scalars,
// comments), read line by line in linear time. Anything else (flow collections,
// anchors, tags, block or multi-line scalars, documents, tabs, odd indentation)
// returns undefined and the full reader (yaml_v2.ts) reads the text, so both give
// the same values; only the full reader reports errors.

import type { DataMap, DataValue } from "./data_file.ts";
import { keyText, resolve } from "./yaml_v2_resolve.ts";

/** One significant line: a map entry, or a list item (which may open a map on its own line). */
interface Line {
  indent: number;
  /** "map": `key:` (value optional); "item": `- ` (value optional). */
  kind: "map" | "item";
  /** The map key as a path segment; undefined for a null key (skipped, as the full reader skips it). */
  key?: string;
  /** The inline value, when the line has one. */
  value?: DataValue;
  hasValue: boolean;
}

/** Characters that cannot start a plain scalar here, or start something this path leaves alone. */
const INDICATOR = new Set("-?:,[]{}#&*!|>'\"%@`");
/** yaml.v2 refuses implicit keys longer than this. */
const MAX_KEY = 1024;

class Bail extends Error {}

/** YAML's plain-scalar start: no indicator, except `-`, `?` or `:` followed by a non-space. */
function plainStart(line: string, pos: number): boolean {
  const c = line[pos];
  if (!INDICATOR.has(c)) return true;
  return (c === "-" || c === "?" || c === ":") && pos + 1 < line.length && line[pos + 1] !== " ";
}

/** The block-subset reading of `text`, or undefined when the text needs the full YAML reader. */
export function parseSimpleYaml(text: string): DataValue | undefined {
  if (text.includes("\t")) return undefined;
  const lines: Line[] = [];
  try {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      let line = text.slice(start, end);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      lexLine(line, lines);
      start = end + 1;
    }
    if (lines.length === 0) return null;
    const parser = new BlockParser(lines);
    const value = parser.block(lines[0].indent);
    if (!parser.done()) return undefined;
    return value;
  } catch (err) {
    if (err instanceof Bail) return undefined;
    throw err;
  }
}

function lexLine(line: string, out: Line[]): void {
  let indent = 0;
  while (line.charCodeAt(indent) === 32) indent++;
  if (indent === line.length || line[indent] === "#") return; // blank or comment
  if (line.includes("\r")) throw new Bail();
  if (indent === 0 && (line.startsWith("---") || line.startsWith("..."))) throw new Bail();
  let pos = indent;
  if (line[pos] === "-" && (pos + 1 === line.length || line[pos + 1] === " ")) {
    pos++;
    while (line[pos] === " ") pos++;
    if (pos === line.length || line[pos] === "#") {
      out.push({ indent, kind: "item", hasValue: false });
      return;
    }
    // `- key: value` opens a map whose keys sit at the column of `key`.
    const entry = mapEntry(line, pos);
    if (entry !== undefined) {
      out.push({ indent, kind: "item", hasValue: false });
      out.push(entry);
      return;
    }
    out.push({ indent, kind: "item", value: scalar(line, pos), hasValue: true });
    return;
  }
  const entry = mapEntry(line, pos);
  if (entry === undefined) throw new Bail();
  out.push(entry);
}

/** `key: value` or `key:` starting at `pos`, or undefined when the line is no map entry. */
function mapEntry(line: string, pos: number): Line | undefined {
  let key: string | undefined;
  let after: number;
  const c = line[pos];
  if (c === '"' || c === "'") {
    const [text, end] = quoted(line, pos);
    if (line[end] !== ":") return undefined;
    key = text;
    after = end + 1;
  } else {
    if (!plainStart(line, pos)) return undefined;
    let colon = line.indexOf(": ", pos);
    if (colon === -1) colon = line.endsWith(":") ? line.length - 1 : -1;
    if (colon === -1) return undefined;
    const raw = line.slice(pos, colon);
    if (raw.includes(" #") || raw.endsWith(" ") || raw.length > MAX_KEY) throw new Bail();
    if (raw === "<<") throw new Bail(); // merge keys: the full reader
    key = keyText(resolve("", raw)[1]);
    after = colon + 1;
  }
  if (after < line.length && line[after] !== " ") throw new Bail();
  while (line[after] === " ") after++;
  const indent = pos;
  if (after === line.length || line[after] === "#") return { indent, kind: "map", key, hasValue: false };
  return { indent, kind: "map", key, value: scalar(line, after), hasValue: true };
}

/** A one-line scalar value from `pos` to the end of the line (a comment allowed after it). */
function scalar(line: string, pos: number): DataValue {
  const c = line[pos];
  if (c === '"' || c === "'") {
    const [text, end] = quoted(line, pos);
    let rest = end;
    while (line[rest] === " ") rest++;
    if (rest < line.length && !(line[rest] === "#" && rest > end)) throw new Bail();
    return text;
  }
  if (!plainStart(line, pos)) throw new Bail();
  const hash = line.indexOf(" #", pos);
  const text = (hash === -1 ? line.slice(pos) : line.slice(pos, hash)).trimEnd();
  if (text.includes(": ") || text.endsWith(":")) throw new Bail();
  return resolve("", text)[1];
}

/** A quoted scalar closed on this line: its text and the index after the closing quote. */
function quoted(line: string, pos: number): [text: string, end: number] {
  const q = line[pos];
  if (q === '"') {
    const end = line.indexOf('"', pos + 1);
    const text = end === -1 ? "" : line.slice(pos + 1, end);
    if (end === -1 || text.includes("\\")) throw new Bail();
    return [text, end + 1];
  }
  let text = "";
  let i = pos + 1;
  for (;;) {
    const end = line.indexOf("'", i);
    if (end === -1) throw new Bail();
    text += line.slice(i, end);
    if (line[end + 1] !== "'") return [text, end + 1];
    text += "'";
    i = end + 2;
  }
}

/** Builds maps and lists from the lines by indentation, as YAML's block collections nest. */
class BlockParser {
  readonly #lines: Line[];
  #pos = 0;

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  done(): boolean {
    return this.#pos === this.#lines.length;
  }

  block(indent: number): DataValue {
    return this.#lines[this.#pos].kind === "map" ? this.#map(indent) : this.#list(indent);
  }

  #map(indent: number): DataMap {
    const out: DataMap = Object.create(null);
    for (let line = this.#lines[this.#pos]; line !== undefined; line = this.#lines[this.#pos]) {
      if (line.indent < indent) break;
      if (line.indent > indent || line.kind !== "map") throw new Bail();
      this.#pos++;
      let value: DataValue = null;
      const next = this.#lines[this.#pos];
      if (line.hasValue) value = line.value as DataValue;
      else if (next !== undefined && (next.indent > indent || (next.indent === indent && next.kind === "item"))) {
        value = this.block(next.indent);
      }
      if (line.key !== undefined) out[line.key] = value;
    }
    return out;
  }

  #list(indent: number): DataValue[] {
    const out: DataValue[] = [];
    for (let line = this.#lines[this.#pos]; line !== undefined; line = this.#lines[this.#pos]) {
      if (line.indent < indent || (line.indent === indent && line.kind === "map")) break;
      if (line.indent > indent) throw new Bail();
      this.#pos++;
      const next = this.#lines[this.#pos];
      if (line.hasValue) out.push(line.value as DataValue);
      else if (next !== undefined && next.indent > indent) out.push(this.block(next.indent));
      else out.push(null);
    }
    return out;
  }
}
