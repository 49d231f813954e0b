// Parser tests: the canonical String() form of parsed trees (what exec errors quote),
// Go's parse error messages and lines, variable scoping, and the tree-set rules for
// define/block redefinition. Expected texts were checked against Go 1.19.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseTrees, type Tree } from "../../../src/template/parse.ts";
import { TemplateError } from "../../../src/template/errors.ts";
import { builtins } from "../../../src/template/builtins.ts";

const funcs = [new Set(["f", "g"]), builtins];

function parse(text: string): Map<string, Tree> {
  return parseTrees("t", text, funcs);
}

/** The main tree printed back, or the parse error message. */
function roundTrip(text: string): string {
  try {
    return parse(text).get("t")?.root?.toString() ?? "<no tree>";
  } catch (e) {
    if (e instanceof TemplateError) return `ERROR ${e.message}`;
    throw e;
  }
}

interface ParseCase {
  name: string;
  input: string;
  want: string;
}

const trees: ParseCase[] = [
  { name: "spaces only", input: " \t\n", want: " \t\n" },
  { name: "text", input: "some text", want: "some text" },
  { name: "empty action is an error", input: "{{}}", want: "ERROR template: t:1: missing value for command" },
  { name: "field", input: "{{.X}}", want: "{{.X}}" },
  { name: "field chain", input: "{{.X.Y.Z}}", want: "{{.X.Y.Z}}" },
  { name: "dollar", input: "{{$}}", want: "{{$}}" },
  {
    name: "variable with fields",
    input: "{{with $x := 3}}{{$x.a.b}}{{end}}",
    want: "{{with $x := 3}}{{$x.a.b}}{{end}}",
  },
  { name: "spaces are normalized", input: "{{  f   1   2  }}", want: "{{f 1 2}}" },
  { name: "pipeline", input: "{{.X|f|g 3}}", want: "{{.X | f | g 3}}" },
  { name: "parenthesized pipeline keeps parens", input: "{{f (g 1) 2}}", want: "{{f (g 1) 2}}" },
  { name: "chain on a pipeline", input: "{{(f).a.b}}", want: "{{(f).a.b}}" },
  { name: "chain on a function", input: "{{f.a}}", want: "{{f.a}}" },
  {
    name: "literals print as written",
    input: "{{f 0x10 1e3 'a' \"s\\n\" `r` true nil 1+2i}}",
    want: "{{f 0x10 1e3 'a' \"s\\n\" `r` true nil 1+2i}}",
  },
  {
    name: "two-variable range",
    input: "{{range $i, $e := .}}{{$i}}{{end}}",
    want: "{{range $i, $e := .}}{{$i}}{{end}}",
  },
  { name: "assignment prints as declaration", input: "{{$x := 1}}{{$x = 2}}", want: "{{$x := 1}}{{$x := 2}}" },
  { name: "if else", input: "{{if .X}}a{{else}}b{{end}}", want: "{{if .X}}a{{else}}b{{end}}" },
  {
    name: "else if becomes nested if",
    input: "{{if 1}}a{{else if 2}}b{{else}}c{{end}}",
    want: "{{if 1}}a{{else}}{{if 2}}b{{else}}c{{end}}{{end}}",
  },
  { name: "with else", input: "{{with .X}}a{{else}}b{{end}}", want: "{{with .X}}a{{else}}b{{end}}" },
  {
    name: "break and continue",
    input: "{{range .}}{{break}}{{continue}}{{end}}",
    want: "{{range .}}{{break}}{{continue}}{{end}}",
  },
  { name: "template call", input: "{{template `x` .Y}}", want: '{{template "x" .Y}}' },
  { name: "block becomes a template call", input: '{{block "b" .}}x{{end}}', want: '{{template "b" .}}' },
  { name: "comments are dropped", input: "a{{/* c */}}b", want: "ab" },
  { name: "trailing pipe is accepted", input: "{{.X | }}", want: "{{.X}}" },
  // Errors and their lines.
  {
    name: "unclosed action names its start line",
    input: "a\n{{.x\n\n",
    want: "ERROR template: t:4: unclosed action started at t:2",
  },
  { name: "unclosed action on one line", input: "{{.x", want: "ERROR template: t:1: unclosed action" },
  { name: "undefined function", input: "\n{{h 1}}", want: 'ERROR template: t:2: function "h" not defined' },
  { name: "undefined variable", input: "{{$x}}", want: 'ERROR template: t:1: undefined variable "$x"' },
  {
    name: "variable out of scope after end",
    input: "{{with $x := 1}}{{end}}{{$x}}",
    want: 'ERROR template: t:1: undefined variable "$x"',
  },
  { name: "unmatched end", input: "{{end}}", want: "ERROR template: t:1: unexpected {{end}}" },
  { name: "unmatched else", input: "{{else}}", want: "ERROR template: t:1: unexpected {{else}}" },
  { name: "missing end", input: "{{if 1}}\nx", want: "ERROR template: t:2: unexpected EOF" },
  { name: "end with arguments", input: "{{if 1}}{{end 1}}", want: 'ERROR template: t:1: unexpected "1" in end' },
  {
    name: "else with arguments",
    input: "{{if 1}}{{else 1}}{{end}}",
    want: 'ERROR template: t:1: unexpected "1" in else',
  },
  {
    name: "else if after range",
    input: "{{range .}}{{else if 1}}{{end}}",
    want: "ERROR template: t:1: unexpected <if> in input",
  },
  {
    name: "two elses",
    input: "{{if 1}}a{{else}}b{{else}}c{{end}}",
    want: "ERROR template: t:1: expected end; found {{else}}",
  },
  { name: "break outside range", input: "{{break}}", want: "ERROR template: t:1: {{break}} outside {{range}}" },
  {
    name: "continue in range else",
    input: "{{range .}}{{else}}{{continue}}{{end}}",
    want: "ERROR template: t:1: {{continue}} outside {{range}}",
  },
  {
    name: "field on a string literal",
    input: '{{"x".y}}',
    want: 'ERROR template: t:1: unexpected . after term "\\"x\\""',
  },
  { name: "field on a bool", input: "{{true.x}}", want: 'ERROR template: t:1: unexpected . after term "true"' },
  {
    name: "a number then a field lexes as one bad number",
    input: "{{1.E}}",
    want: 'ERROR template: t:1: illegal number syntax: "1.E"',
  },
  {
    name: "literal in a later pipeline stage",
    input: "{{.X | 3}}",
    want: "ERROR template: t:1: non executable command in pipeline stage 2",
  },
  {
    name: "integer overflow",
    input: "{{99999999999999999999}}",
    want: 'ERROR template: t:1: integer overflow: "99999999999999999999"',
  },
  { name: "legacy octal with 8", input: "{{089}}", want: 'ERROR template: t:1: integer overflow: "089"' },
  { name: "float out of range", input: "{{1e400}}", want: 'ERROR template: t:1: illegal number syntax: "1e400"' },
  { name: "double underscore", input: "{{1__2}}", want: 'ERROR template: t:1: illegal number syntax: "1__2"' },
  { name: "bad string escape", input: '{{"\\q"}}', want: "ERROR template: t:1: invalid syntax" },
  {
    name: "two-character char constant",
    input: "{{'ab'}}",
    want: "ERROR template: t:1: malformed character constant: 'ab'",
  },
  {
    name: "template name must be a string",
    input: "{{template .x}}",
    want: 'ERROR template: t:1: unexpected ".x" in template clause',
  },
  {
    name: "too many range variables",
    input: "{{range $i, $e, $f := .}}{{end}}",
    want: "ERROR template: t:1: too many declarations in range",
  },
  {
    name: "range initializes only variables",
    input: "{{range $i, 3}}{{end}}",
    want: "ERROR template: t:1: range can only initialize variables",
  },
  {
    name: "two declarations outside range",
    input: "{{$a, $b := 1}}",
    want: "ERROR template: t:1: too many declarations in command",
  },
  {
    name: "nil in a later stage",
    input: "{{1 | nil}}",
    want: "ERROR template: t:1: non executable command in pipeline stage 2",
  },
  {
    name: "long unexpected token is truncated",
    input: '{{if 1 "abcdefghijklmnop" | (}}{{end}}',
    want: "ERROR template: t:1: unclosed left paren",
  },
  {
    name: "lexer error inside a define",
    input: '{{define "a"}}{{3k}}{{end}}',
    want: 'ERROR template: t:1: bad number syntax: "3k"',
  },
];

describe("parser: trees and errors", () => {
  for (const c of trees) {
    it(c.name, () => {
      assert.equal(roundTrip(c.input), c.want);
    });
  }
});

describe("parser: the tree set", () => {
  const setCases: { name: string; input: string; want: Record<string, string> | string }[] = [
    { name: "define adds a named tree", input: 'a{{define "x"}}X{{end}}b', want: { t: "ab", x: "X" } },
    {
      name: "block adds a tree and a call",
      input: '{{block "x" 1}}X{{end}}',
      want: { t: '{{template "x" 1}}', x: "X" },
    },
    { name: "a define named like the main template stands alone", input: '{{define "t"}}x{{end}}', want: { t: "x" } },
    {
      name: "empty body never replaces a non-empty one",
      input: '{{define "a"}}x{{end}}{{define "a"}} {{/* c */}} {{end}}',
      want: { t: "", a: "x" },
    },
    {
      name: "non-empty body replaces an empty one",
      input: '{{define "a"}} {{end}}{{define "a"}}y{{end}}',
      want: { t: "", a: "y" },
    },
    {
      name: "two non-empty bodies are an error",
      input: '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
      want: 'template: t:1: template: multiple definition of template "a"',
    },
    {
      name: "main text and a define of its name are an error",
      input: 'x\n{{define "t"}}y{{end}}',
      want: 'template: t:2: template: multiple definition of template "t"',
    },
    {
      name: "block then define of the same name is an error",
      input: '{{block "b" .}}x{{end}}{{define "b"}}y{{end}}',
      want: 'template: t:1: template: multiple definition of template "b"',
    },
    {
      name: "define bodies start with only $",
      input: '{{$x := 1}}{{define "a"}}{{$x}}{{end}}',
      want: 'template: t:1: undefined variable "$x"',
    },
    {
      name: "define inside define is an error",
      input: '{{define "a"}}{{define "b"}}{{end}}{{end}}',
      want: "template: t:1: unexpected <define> in command",
    },
  ];
  for (const c of setCases) {
    it(c.name, () => {
      if (typeof c.want === "string") {
        assert.throws(() => parse(c.input), (e: unknown) => e instanceof TemplateError && e.message === c.want);
        return;
      }
      const set = parse(c.input);
      const got: Record<string, string> = {};
      for (const [name, tree] of set) got[name] = tree.root?.toString() ?? "";
      assert.deepEqual(got, c.want);
    });
  }

  it("parse errors carry phase, template name and line", () => {
    try {
      parseTrees("nginx.tmpl", "a\n\n{{nope}}", funcs);
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.phase, "parse");
      assert.equal(e.templateName, "nginx.tmpl");
      assert.equal(e.line, 3);
      assert.equal(e.message, 'template: nginx.tmpl:3: function "nope" not defined');
    }
  });

  it("a deeply nested template gives an error, not a crash", () => {
    const depth = 200_000;
    const ifs = "{{if 1}}".repeat(depth) + "{{end}}".repeat(depth);
    assert.throws(() => parse(ifs), (e: unknown) => e instanceof TemplateError && e.phase === "parse");
    const parens = "{{" + "(".repeat(depth) + "1" + ")".repeat(depth) + "}}";
    assert.throws(() => parse(parens), (e: unknown) => e instanceof TemplateError && e.phase === "parse");
  });
});
