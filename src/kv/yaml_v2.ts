// Reads YAML as confd's gopkg.in/yaml.v2 (2.4.0) decodes it into interface{}: the
// `yaml` package only composes the node tree (every scalar kept as its text, no
// duplicate-key check, so parsing stays linear), and this module gives each scalar
// its yaml.v2 meaning (resolve.go), applies merge keys, aliases and last-wins keys.

import { type Alias, Composer, isAlias, isMap, isScalar, isSeq, type Node, Parser, type Scalar } from "yaml";
import { decodeGoBytes } from "../template/go_bytes.ts";
import type { DataMap, DataValue } from "./data_file.ts";
import {
  BINARY,
  BOOL,
  FLOAT,
  INT,
  INT64_MAX,
  keyText,
  MERGE,
  NULL,
  resolve,
  STR,
  TAG,
  TIMESTAMP,
  YamlV2Error,
} from "./yaml_v2_resolve.ts";
import { parseSimpleJson } from "./json_fast.ts";
import { parseSimpleYaml } from "./yaml_fast.ts";

/** Escapes yaml.v2's scanner accepts in double-quoted scalars (no `\/`, unlike YAML 1.2). */
const V2_ESCAPES = new Set("0abt\tnvfre \"'\\N_LPxuU");

/** yaml.v2's longest implicit ("simple") key. */
const MAX_IMPLICIT_KEY = 1024;

/** An alias may expand to at most this many nodes in all (yaml.v2 refuses "excessive aliasing" too). */
const MAX_EXPANDED_NODES = 10_000_000;

/** A tagged or plain scalar's value as yaml.v2 hands it to an interface{}. */
function scalarValue(node: Scalar, source: string): DataValue {
  const text = node.type === "QUOTE_DOUBLE" ? doubleQuoted(node, source) : String(node.value ?? "");
  const tag = node.tag ?? "";
  const plain = node.type === "PLAIN";
  if (tag === "" && !plain) return text;
  if (tag === BINARY) return decodeBinary(text, node);
  if (tag !== "" && ![STR, BOOL, INT, FLOAT, NULL, TIMESTAMP].includes(tag)) return text; // custom tags keep the text
  const [rtag, value] = resolve(tag, text);
  if (tag === "" || tag === rtag || tag === STR) return value;
  if (tag === FLOAT && rtag === INT && typeof value === "bigint" && value <= INT64_MAX) return Number(value);
  throw new YamlV2Error(`cannot decode ${shortTag(rtag)} as a ${shortTag(tag)}`, offsetOf(node));
}

function shortTag(tag: string): string {
  return tag.startsWith(TAG) ? "!!" + tag.slice(TAG.length) : tag;
}

function offsetOf(node: Node | Alias): number {
  return node.range?.[0] ?? 0;
}

/**
 * A double-quoted scalar's text, with yaml.v2's escapes: `\/` is refused (YAML 1.2 only), and `\'`
 * (yaml.v2 only) is read by parsing the scalar again with it spelled `\x27`.
 */
function doubleQuoted(node: Scalar, source: string): string {
  const [start, end] = node.range ?? [0, 0];
  const raw = source.slice(start, end);
  let quote = false;
  for (let i = raw.indexOf("\\"); i !== -1 && i < raw.length - 1; i = raw.indexOf("\\", i + 2)) {
    const c = raw[i + 1];
    if (c === "'") quote = true;
    else if (!V2_ESCAPES.has(c) && c !== "\n" && c !== "\r") {
      throw new YamlV2Error("found unknown escape character while parsing a quoted scalar", start + i);
    } else if (c === "u" || c === "U") {
      // yaml.v2 refuses surrogate halves (so JSON's \ud83d\ude00 pairs) and code points past U+10FFFF.
      const code = parseInt(raw.slice(i + 2, i + (c === "u" ? 6 : 10)), 16);
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
        throw new YamlV2Error("found invalid Unicode character escape code", start + i);
      }
    }
  }
  if (!quote) return String(node.value ?? "");
  const fixed = raw.replace(/\\(.)/gs, (all, c: string) => (c === "'" ? "\\x27" : all));
  const doc = new Composer({ schema: "failsafe" }).compose(new Parser().parse(fixed), true).next().value;
  return String((doc?.contents as Scalar | null)?.value ?? "");
}

/** `!!binary`: base64 (line breaks ignored, as Go's decoder does), decoded to a string of its bytes. */
function decodeBinary(text: string, node: Scalar): string {
  const b64 = text.replace(/[\r\n]/g, "");
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new YamlV2Error("!!binary value contains invalid base64 data", offsetOf(node));
  }
  // Go keeps the bytes as they are: bytes that are not UTF-8 are carried as go_bytes.ts does.
  return decodeGoBytes(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
}

class Converter {
  readonly #source: string;
  readonly #anchors = new Map<string, DataValue>();
  readonly #sizes = new WeakMap<object, number>();
  #expanded = 0;

  constructor(source: string) {
    this.#source = source;
  }

  value(node: Node | Alias | null): DataValue {
    if (node === null) return null;
    let out: DataValue;
    if (isAlias(node)) {
      if (!this.#anchors.has(node.source)) throw new YamlV2Error("unknown anchor referenced", offsetOf(node));
      out = this.#anchors.get(node.source) as DataValue;
      this.#expanded += this.#size(out);
      if (this.#expanded > MAX_EXPANDED_NODES) {
        throw new YamlV2Error("document contains excessive aliasing", offsetOf(node));
      }
      return out;
    }
    if (isScalar(node)) out = scalarValue(node, this.#source);
    else if (isSeq(node)) {
      const list: DataValue[] = [];
      let size = 1;
      for (const item of node.items) {
        const v = this.value(item as Node | Alias | null);
        size += this.#size(v);
        list.push(v);
      }
      this.#sizes.set(list, size);
      out = list;
    } else if (isMap(node)) out = this.#map(node.items as { key: unknown; value: unknown }[], node.flow === true);
    else throw new YamlV2Error("unexpected node", offsetOf(node));
    if (node.anchor) this.#anchors.set(node.anchor, out);
    return out;
  }

  #size(v: DataValue): number {
    return v !== null && typeof v === "object" ? this.#sizes.get(v) ?? 1 : 1;
  }

  /** decoder.mapping: pairs in order, later keys replacing earlier ones, merges applied where they stand. */
  #map(pairs: { key: unknown; value: unknown }[], flow: boolean): DataMap {
    const out: DataMap = Object.create(null);
    for (const pair of pairs) {
      const keyNode = pair.key as Node | Alias | null;
      const valueNode = pair.value as Node | Alias | null;
      this.#checkImplicitKey(keyNode, valueNode, flow);
      if (
        isScalar(keyNode) && keyNode.value === "<<" && (keyNode.type === "PLAIN" ? !keyNode.tag : keyNode.tag === MERGE)
      ) {
        this.#merge(valueNode, out);
        continue;
      }
      const key = keyText(this.value(keyNode), keyNode ? offsetOf(keyNode) : 0);
      const value = this.value(valueNode);
      if (key !== undefined) out[key] = value;
    }
    let size = 1;
    for (const k in out) size += this.#size(out[k]);
    this.#sizes.set(out, size);
    return out;
  }

  /**
   * yaml.v2's limits on an implicit key that the `yaml` package does not apply: at most 1024
   * characters, in a flow map its colon on the key's line, in a block map no list on its line.
   */
  #checkImplicitKey(key: Node | Alias | null, value: Node | Alias | null, flow: boolean): void {
    if (key?.range === undefined || key.range === null) return;
    const [start, end] = key.range;
    // `key: - x`: the `yaml` package reads a list there, yaml.v2 refuses a list on the key's line.
    if (
      !flow && isSeq(value) && !value.flow && value.range && !this.#source.slice(end, value.range[0]).includes("\n")
    ) {
      throw new YamlV2Error("block sequence entries are not allowed in this context", value.range[0]);
    }
    if (end - start <= MAX_IMPLICIT_KEY && !flow) return;
    let before = start - 1;
    while (before >= 0 && " \t\r\n".includes(this.#source[before])) before--;
    if (this.#source[before] === "?") return; // an explicit key
    if (end - start > MAX_IMPLICIT_KEY) throw new YamlV2Error("could not find expected ':'", start);
    const colon = this.#source.indexOf(":", end);
    const stop = value?.range ? value.range[0] : colon + 1;
    if (colon !== -1 && colon < stop && this.#source.slice(end, colon).includes("\n")) {
      throw new YamlV2Error("could not find expected ':'", start);
    }
  }

  /** decoder.merge: a map, an alias of one, or a list of them (earlier ones win, so applied last). */
  #merge(node: Node | Alias | null, into: DataMap): void {
    const copy = (n: Node | Alias | null) => {
      const v = isMap(n) || isAlias(n) ? this.value(n) : undefined;
      if (v === undefined || v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Date) {
        throw new YamlV2Error("map merge requires map or sequence of maps as the value", n ? offsetOf(n) : 0);
      }
      for (const k in v) into[k] = v[k];
    };
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) copy(node.items[i] as Node | Alias | null);
    } else copy(node);
  }
}

/** What the `yaml` package's error codes mean, in our words (its messages quote the source). */
const SYNTAX_REASONS: Record<string, string> = {
  ALIAS_PROPS: "an alias cannot have a tag or anchor",
  BAD_ALIAS: "invalid alias",
  BAD_DIRECTIVE: "invalid directive",
  BAD_DQ_ESCAPE: "invalid escape in a double-quoted string",
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "anchor and tag in the wrong order",
  BAD_SCALAR_START: "a plain value cannot start with this character",
  BLOCK_AS_IMPLICIT_KEY: "mapping values are not allowed in this context",
  BLOCK_IN_FLOW: "a block collection inside a flow collection",
  KEY_OVER_1024_CHARS: "an implicit key longer than 1024 characters",
  MISSING_CHAR: "missing closing character",
  MULTILINE_IMPLICIT_KEY: "an implicit key cannot span lines",
  MULTIPLE_ANCHORS: "more than one anchor on a node",
  MULTIPLE_TAGS: "more than one tag on a node",
  TAB_AS_INDENT: "a tab character used as indentation",
  UNEXPECTED_TOKEN: "unexpected character",
  BAD_COLLECTION_TYPE: "a collection tag on the wrong kind of node",
};

export interface YamlV2Options {
  /** Try the one-pass readers of JSON (json_fast.ts) and plain block YAML (yaml_fast.ts) first. Default true. */
  fastPath?: boolean;
}

/**
 * Parses the first YAML document of `text` (yaml.v2 reads only the first) into plain
 * values: maps as null-prototype objects, lists as arrays, ints as bigint (int64, or
 * uint64 above it), floats as numbers, timestamps as their text. Throws YamlV2Error.
 */
export function parseYamlV2(text: string, opts: YamlV2Options = {}): DataValue {
  if (opts.fastPath ?? true) {
    const simple = /^\s*[[{]/.test(text) ? parseSimpleJson(text) : parseSimpleYaml(text);
    if (simple !== undefined) return simple;
  }
  const composer = new Composer({ schema: "failsafe", uniqueKeys: false, version: "1.1", strict: false });
  // Only the first document is composed: the parser is lazy, so later ones are never read.
  const doc = composer.compose(new Parser().parse(text), true).next().value;
  if (doc === undefined) return null;
  // yaml.v2 refuses a tab that starts the document's content; the `yaml` package skips it.
  const lead = /^[ \r\n]*\t/.exec(text);
  if (lead !== null) throw new YamlV2Error("found character that cannot start any token", lead[0].length - 1);
  // yaml.v2 wants a document before a document end marker.
  const end = /^(?:[ \r\n]*#[^\n]*\n)*[ \r\n]*\.\.\.(?:[ \r\n#]|$)/.exec(text);
  if (end !== null) throw new YamlV2Error("did not find expected <document start>", end[0].lastIndexOf("..."));
  // Once the root node is complete, yaml.v2 reads whatever follows as a next document, which
  // Unmarshal never reads: problems there are not errors. Escapes are checked in doubleQuoted.
  const rootEnd = doc.contents?.range?.[2] ?? Infinity;
  // But the token right after the root is scanned: one that cannot start a token is an error.
  const next = /^(?:\s|#[^\n]*)*/.exec(text.slice(rootEnd, rootEnd + 4096))![0].length + rootEnd;
  const directive = text[next] === "%" && text[next - 1] === "\n" &&
    !/^%(YAML|TAG)[ \t]/.test(text.slice(next, next + 6));
  if (next < text.length && (text[next] === "@" || text[next] === "`" || directive)) {
    throw new YamlV2Error("found character that cannot start any token", next);
  }
  const rootValueEnd = doc.contents?.range?.[1] ?? Infinity;
  const afterRoot = (at: number) => at >= rootValueEnd && text.slice(rootValueEnd - 1, at).includes("\n");
  const err = doc.errors.find((e) =>
    e.code !== "BAD_DQ_ESCAPE" && !(e.code === "UNEXPECTED_TOKEN" && afterRoot(e.pos[0]))
  );
  if (err !== undefined) {
    throw new YamlV2Error(SYNTAX_REASONS[err.code] ?? "invalid YAML syntax", err.pos[0]);
  }
  return new Converter(text).value(doc.contents as Node | null);
}
