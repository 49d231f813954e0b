// The fast path of the YAML reader for JSON text (a JSON object or array is a YAML
// flow collection, and confd reads .json files with yaml.v2): a one-pass JSON
// scanner whose scalars get yaml.v2's meaning (numbers through its resolver, so
// `1.0` is a float and a 20-digit integer a uint64). Text it is not sure of
// (escapes yaml.v2 refuses, comments, raw line breaks in strings, long keys,
// anything after the value) returns undefined for the full reader.

import type { DataMap, DataValue } from "./data_file.ts";
import { resolve } from "./yaml_v2_resolve.ts";

/** yaml.v2 refuses implicit keys longer than this. */
const MAX_KEY = 1024;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Bail extends Error {}

/** The JSON reading of `text`, or undefined when the text needs the full YAML reader. */
export function parseSimpleJson(text: string): DataValue | undefined {
  const scanner = new JsonScanner(text);
  try {
    // A tab before the value is an error in yaml.v2 (the full reader reports it).
    while (text[scanner.pos] === " " || text[scanner.pos] === "\n" || text[scanner.pos] === "\r") scanner.pos++;
    const first = text[scanner.pos];
    if (first !== "{" && first !== "[") return undefined;
    const value = scanner.value();
    scanner.space();
    return scanner.pos === text.length ? value : undefined;
  } catch (err) {
    if (err instanceof Bail) return undefined;
    throw err;
  }
}

class JsonScanner {
  readonly #text: string;
  pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  space(): void {
    const t = this.#text;
    for (let c = t[this.pos]; c === " " || c === "\n" || c === "\r" || c === "\t"; c = t[++this.pos]);
  }

  value(): DataValue {
    const t = this.#text;
    switch (t[this.pos]) {
      case "{":
        return this.#object();
      case "[":
        return this.#array();
      case '"':
        return this.#string();
      case "t":
        return this.#word("true");
      case "f":
        return this.#word("false");
      case "n":
        return this.#word("null");
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(t);
    if (m === null) throw new Bail();
    this.pos += m[0].length;
    return resolve("", m[0])[1];
  }

  #word(word: string): DataValue {
    if (!this.#text.startsWith(word, this.pos)) throw new Bail();
    this.pos += word.length;
    return resolve("", word)[1];
  }

  #object(): DataMap {
    const out: DataMap = Object.create(null);
    this.pos++;
    this.space();
    if (this.#text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.#text[this.pos] !== '"') throw new Bail();
      const start = this.pos;
      const key = this.#string();
      if (this.pos - start > MAX_KEY) throw new Bail();
      const end = this.pos;
      this.space();
      // yaml.v2 wants an implicit key's colon on the key's line.
      if (this.#text[this.pos] !== ":" || this.#text.slice(end, this.pos).includes("\n")) throw new Bail();
      this.pos++;
      this.space();
      out[key] = this.value(); // a repeated key: the last one wins, as in yaml.v2
      this.space();
      const c = this.#text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") throw new Bail();
      this.space();
    }
  }

  #array(): DataValue[] {
    const out: DataValue[] = [];
    this.pos++;
    this.space();
    if (this.#text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.#text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") throw new Bail();
      this.space();
    }
  }

  #string(): string {
    const t = this.#text;
    const from = ++this.pos;
    const close = t.indexOf('"', from);
    if (close === -1) throw new Bail();
    const plain = t.slice(from, close);
    // Line folding inside a quoted scalar is the full reader's.
    if (plain.includes("\n") || plain.includes("\r")) throw new Bail();
    if (!plain.includes("\\")) {
      this.pos = close + 1;
      return plain;
    }
    return this.#escaped();
  }

  /** A string with escapes, from just after its opening quote. */
  #escaped(): string {
    const t = this.#text;
    let out = "";
    let from = this.pos;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined || c === "\n" || c === "\r") throw new Bail();
      if (c === '"') {
        out += t.slice(from, this.pos++);
        return out;
      }
      if (c !== "\\") {
        this.pos++;
        continue;
      }
      out += t.slice(from, this.pos);
      const e = t[this.pos + 1];
      if (e === "u") {
        const hex = t.slice(this.pos + 2, this.pos + 6);
        const code = /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
        // Surrogate halves (and so JSON's escaped pairs) are errors in yaml.v2: the full reader says so.
        if (code === -1 || (code >= 0xd800 && code <= 0xdfff)) throw new Bail();
        out += String.fromCharCode(code);
        this.pos += 6;
      } else {
        const s = SIMPLE_ESCAPES[e];
        if (s === undefined) throw new Bail(); // `\/` among them: yaml.v2 refuses it
        out += s;
        this.pos += 2;
      }
      from = this.pos;
    }
  }
}
