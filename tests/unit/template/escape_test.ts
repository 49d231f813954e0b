// The html, js and urlquery template builtins against Go 1.19's text/template HTMLEscaper,
// JSEscaper and URLQueryEscaper; the expected values were printed by a Go probe program.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { htmlEscaper, jsEscaper, urlQueryEscaper } from "../../../src/template/escape.ts";
import {
  GoMap,
  GoSlice,
  GoStruct,
  MAP_STRING_ANY,
  SLICE_STRING,
  structType,
  type Value,
} from "../../../src/template/value.ts";

interface EscaperCase {
  name: string;
  args: Value[];
  html: string;
  js: string;
  urlquery: string;
}

function kv(key: string, value: string): GoStruct {
  return new GoStruct(structType("memkv.KVPair"), new Map<string, Value>([["Key", key], ["Value", value]]));
}

const ESCAPER_CASES: readonly EscaperCase[] = [
  { name: "a plain string", args: ["plain"], html: "plain", js: "plain", urlquery: "plain" },
  {
    name: "html specials",
    args: ["<a href=\"x\">'&'</a>"],
    html: "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    js: "\\u003Ca href\\u003D\\\"x\\\"\\u003E\\'\\u0026\\'\\u003C/a\\u003E",
    urlquery: "%3Ca+href%3D%22x%22%3E%27%26%27%3C%2Fa%3E",
  },
  { name: "a NUL byte", args: ["a\u0000b"], html: "a�b", js: "a\\u0000b", urlquery: "a%00b" },
  {
    name: "js specials",
    args: ["\\'\"<>&="],
    html: "\\&#39;&#34;&lt;&gt;&amp;=",
    js: "\\\\\\'\\\"\\u003C\\u003E\\u0026\\u003D",
    urlquery: "%5C%27%22%3C%3E%26%3D",
  },
  {
    name: "control characters",
    args: ["\u0001\u0009\u000a\u000d\u001f"],
    html: "\u0001\u0009\u000a\u000d\u001f",
    js: "\\u0001\\u0009\\u000A\\u000D\\u001F",
    urlquery: "%01%09%0A%0D%1F",
  },
  {
    name: "non-printable unicode",
    args: ["a\u00a0b\u2028c\ufdff\u200b"],
    html: "a\u00a0b\u2028c\ufdff\u200b",
    js: "a\\u00A0b\\u2028c\\uFDFF\\u200B",
    urlquery: "a%C2%A0b%E2%80%A8c%EF%B7%BF%E2%80%8B",
  },
  {
    name: "printable unicode",
    args: ["日本語 é \u{1f600}"],
    html: "日本語 é \u{1f600}",
    js: "日本語 é \u{1f600}",
    urlquery: "%E6%97%A5%E6%9C%AC%E8%AA%9E+%C3%A9+%F0%9F%98%80",
  },
  {
    name: "an astral non-printable rune",
    args: ["\u{e0001}"],
    html: "\u{e0001}",
    js: "\\uE0001",
    urlquery: "%F3%A0%80%81",
  },
  {
    name: "url reserved characters",
    args: ["a b&c=d/e?f#g+h%i:j;k@l,m$n!o*p'q(r)s~t_u.v-w"],
    html: "a b&amp;c=d/e?f#g+h%i:j;k@l,m$n!o*p&#39;q(r)s~t_u.v-w",
    js: "a b\\u0026c\\u003Dd/e?f#g+h%i:j;k@l,m$n!o*p\\'q(r)s~t_u.v-w",
    urlquery: "a+b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i%3Aj%3Bk%40l%2Cm%24n%21o%2Ap%27q%28r%29s~t_u.v-w",
  },
  { name: "url unicode", args: ["日本 é"], html: "日本 é", js: "日本 é", urlquery: "%E6%97%A5%E6%9C%AC+%C3%A9" },
  { name: "nil", args: [null], html: "&lt;no value&gt;", js: "\\u003Cno value\\u003E", urlquery: "%3Cno+value%3E" },
  { name: "no operands", args: [], html: "", js: "", urlquery: "" },
  { name: "two strings", args: ["a", "b"], html: "ab", js: "ab", urlquery: "ab" },
  { name: "ints", args: [1n, 2n], html: "1 2", js: "1 2", urlquery: "1+2" },
  {
    name: "string and nil",
    args: ["a", null],
    html: "a&lt;no value&gt;",
    js: "a\\u003Cno value\\u003E",
    urlquery: "a%3Cno+value%3E",
  },
  {
    name: "nil between ints",
    args: [1n, null, 2n],
    html: "1&lt;no value&gt;2",
    js: "1\\u003Cno value\\u003E2",
    urlquery: "1%3Cno+value%3E2",
  },
  {
    name: "two nils",
    args: [null, null],
    html: "&lt;no value&gt;&lt;no value&gt;",
    js: "\\u003Cno value\\u003E\\u003Cno value\\u003E",
    urlquery: "%3Cno+value%3E%3Cno+value%3E",
  },
  { name: "an int", args: [42n], html: "42", js: "42", urlquery: "42" },
  { name: "a float", args: [1e+06], html: "1e+06", js: "1e+06", urlquery: "1e%2B06" },
  {
    name: "a slice",
    args: [new GoSlice(SLICE_STRING, ["<a>", "b c"])],
    html: "[&lt;a&gt; b c]",
    js: "[\\u003Ca\\u003E b c]",
    urlquery: "%5B%3Ca%3E+b+c%5D",
  },
  {
    name: "a map",
    args: [new GoMap(MAP_STRING_ANY, new Map<string, Value>([["k", "<v>"]]))],
    html: "map[k:&lt;v&gt;]",
    js: "map[k:\\u003Cv\\u003E]",
    urlquery: "map%5Bk%3A%3Cv%3E%5D",
  },
  { name: "a bool", args: [true], html: "true", js: "true", urlquery: "true" },
  {
    name: "a KVPair",
    args: [kv("/a&b", "<1>")],
    html: "{/a&amp;b &lt;1&gt;}",
    js: "{/a\\u0026b \\u003C1\\u003E}",
    urlquery: "%7B%2Fa%26b+%3C1%3E%7D",
  },
];

describe("escapers match text/template's HTMLEscaper, JSEscaper and URLQueryEscaper", () => {
  for (const c of ESCAPER_CASES) {
    it(`escapes ${c.name}`, () => {
      assert.equal(htmlEscaper(c.args), c.html, "html");
      assert.equal(jsEscaper(c.args), c.js, "js");
      assert.equal(urlQueryEscaper(c.args), c.urlquery, "urlquery");
    });
  }
  it("passes invalid bytes (lone surrogates U+DC80..U+DCFF) through as Go passes the bytes", () => {
    assert.equal(jsEscaper(["a\udcffb"]), "a\udcffb");
    assert.equal(htmlEscaper(["<\udcff>"]), "&lt;\udcff&gt;");
    assert.equal(urlQueryEscaper(["\udcff"]), "%FF");
  });
  it("treats a missing value like nil: <no value>", () => {
    assert.equal(htmlEscaper([undefined]), "&lt;no value&gt;");
    assert.equal(urlQueryEscaper(["a", undefined]), "a%3Cno+value%3E");
  });
});
