// Executor tests in the style of Go's exec_test.go: named cases of template, data and the
// expected output or error (texts checked against Go 1.19). They cover the tricky parts:
// "no value" vs nil, field access, control flow, variables, template calls, error
// positions, missingkey, typed function arguments and the depth limit.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Template, TemplateError } from "../../../src/template/template.ts";
import type { MissingKey } from "../../../src/template/template.ts";
import {
  fromJSON,
  type FuncMap,
  GoError,
  GoFuncValue,
  GoSlice,
  GoStruct,
  type Signature,
  SLICE_STRING,
  structType,
  T,
  type Value,
} from "../../../src/template/value.ts";

const KVPAIR = structType("memkv.KVPair");
const pair = (k: string, v: string) => new GoStruct(KVPAIR, new Map([["Key", k], ["Value", v]]));

function fn(name: string, sig: Signature, impl: (...a: Value[]) => Value): [string, GoFuncValue] {
  return [name, new GoFuncValue(name, sig, impl)];
}

/** A few functions with Go signatures, like confd's. */
const funcs: FuncMap = new Map([
  fn("double", { params: [T.int], result: T.int }, (x) => (x as bigint) * 2n),
  fn(
    "join",
    { params: [SLICE_STRING, T.string], result: T.string },
    (l, sep) => (l as GoSlice).items.join(sep as string),
  ),
  fn("getv", { params: [T.string], variadic: T.string, result: T.string, returnsError: true }, (k, ...d) => {
    if (k === "/ok") return "v";
    if (d.length > 0) return d[0] as string;
    throw new GoError(`key does not exist: ${k}`);
  }),
  fn("div", { params: [T.int, T.int], result: T.int }, (a, b) => {
    if (b === 0n) throw new Error("runtime error: integer divide by zero");
    return (a as bigint) / (b as bigint);
  }),
  fn("anything", { params: [], result: T.any }, () => null),
  fn("list", { params: [], result: SLICE_STRING }, () => new GoSlice(SLICE_STRING, ["b", "a"])),
  fn("kv", { params: [], result: KVPAIR }, () => pair("/k", "v")),
  fn("isNil", { params: [T.any], result: T.bool }, (x) => x === null),
]);

interface ExecCase {
  name: string;
  input: string;
  data?: unknown;
  /** Use this value as dot instead of converting `data` from JSON. */
  dot?: Value;
  output?: string;
  error?: string;
  missingkey?: MissingKey;
}

function run(c: ExecCase): { output?: string; error?: string } {
  try {
    const t = Template.parse("t.tmpl", c.input, { funcs });
    const dot = c.dot !== undefined ? c.dot : fromJSON(c.data);
    return { output: t.execute(dot, c.missingkey ? { missingkey: c.missingkey } : {}) };
  } catch (e) {
    if (e instanceof TemplateError) return { error: e.message };
    throw e;
  }
}

const cases: ExecCase[] = [
  // Printing and "no value".
  { name: "text is copied verbatim", input: "a }} b", output: "a }} b" },
  { name: "nil data prints no value", input: "{{.}}", data: null, output: "<no value>" },
  { name: "missing key prints no value", input: "{{.x}}", data: {}, output: "<no value>" },
  { name: "null value prints no value", input: "{{.x}}", data: { x: null }, output: "<no value>" },
  { name: "missing key as an argument is nil", input: "{{print .x}} {{isNil .x}}", data: {}, output: "<nil> true" },
  { name: "nil inside a slice prints <nil>", input: "{{.}}", data: [1, null], output: "[1 <nil>]" },
  {
    name: "floats print in Go's %v",
    input: "{{.a}} {{.b}} {{.c}}",
    data: { a: 1000000, b: 0.00001, c: 3 },
    output: "1e+06 1e-05 3",
  },
  { name: "maps print with sorted keys", input: "{{.}}", data: { b: 1, a: 2 }, output: "map[a:2 b:1]" },
  {
    name: "number literal types",
    input: "{{1}} {{1.0}} {{1e3}} {{0x10}} {{'a'}} {{1i}}",
    output: "1 1 1000 16 97 (0+1i)",
  },
  {
    name: "int literal beyond int64 overflows at exec",
    input: "{{9223372036854775808}}",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <9223372036854775808>: 9223372036854775808 overflows int',
  },
  // Fields.
  { name: "nested map fields", input: "{{.a.b}}", data: { a: { b: "x" } }, output: "x" },
  { name: "field of a missing value continues as no value", input: "{{.a.b.c}}", data: {}, output: "<no value>" },
  {
    name: "field of a null in a map is a nil pointer error",
    input: "{{.a.b}}",
    data: { a: null },
    error: 'template: t.tmpl:1:4: executing "t.tmpl" at <.a.b>: nil pointer evaluating interface {}.b',
  },
  {
    name: "field of a null held in a variable is no value",
    input: "{{$m := .a}}{{$m.b}}",
    data: { a: null },
    output: "<no value>",
  },
  {
    name: "field of a number from a map names interface {}",
    input: "{{.a.b}}",
    data: { a: 1 },
    error: 'template: t.tmpl:1:4: executing "t.tmpl" at <.a.b>: can\'t evaluate field b in type interface {}',
  },
  {
    name: "field of a number from a pipeline names float64",
    input: "{{with .a}}{{.b}}{{end}}",
    data: { a: 1 },
    error: 'template: t.tmpl:1:13: executing "t.tmpl" at <.b>: can\'t evaluate field b in type float64',
  },
  {
    name: "field of a range element names interface {}",
    input: "{{range .}}{{.b}}{{end}}",
    data: [1],
    error: 'template: t.tmpl:1:13: executing "t.tmpl" at <.b>: can\'t evaluate field b in type interface {}',
  },
  {
    name: "field of a range variable names interface {}",
    input: "{{range $i, $e := .}}{{$e.b}}{{end}}",
    data: ["s"],
    error: 'template: t.tmpl:1:25: executing "t.tmpl" at <$e.b>: can\'t evaluate field b in type interface {}',
  },
  {
    name: "map field with arguments",
    input: "{{.a 1}}",
    data: { a: 1 },
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <.a>: a is not a method but has arguments',
  },
  {
    name: "JS properties are not fields",
    input: "{{.constructor}}{{.toString}}{{.length}}{{.__proto__}}",
    data: {},
    output: "<no value><no value><no value><no value>",
  },
  { name: "struct fields", input: "{{kv.Key}}={{(kv).Value}}", output: "/k=v" },
  {
    name: "an unknown struct field is reported at the chain's receiver",
    input: "{{kv.key}}",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <kv>: can\'t evaluate field key in type memkv.KVPair',
  },
  {
    name: "struct field with arguments",
    input: "{{kv.Key 1}}",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <kv>: Key has arguments but cannot be invoked as function',
  },
  {
    name: "field on a string",
    input: "{{.constructor}}",
    data: "s",
    error:
      'template: t.tmpl:1:2: executing "t.tmpl" at <.constructor>: can\'t evaluate field constructor in type string',
  },
  {
    name: "explicit nil cannot be indirected",
    input: "{{(nil).x}}",
    error: 'template: t.tmpl:1:3: executing "t.tmpl" at <nil>: nil is not a command',
  },
  // Control flow.
  { name: "if else if else", input: "{{if .a}}A{{else if .b}}B{{else}}C{{end}}", data: { b: 1 }, output: "B" },
  {
    name: "truthiness of empty values",
    input: '{{if 0}}x{{end}}{{if ""}}x{{end}}{{if .l}}x{{end}}{{if .m}}x{{end}}{{if kv}}struct{{end}}',
    data: { l: [], m: {} },
    output: "struct",
  },
  {
    name: "with rebinds dot and has else",
    input: "{{with .a}}{{.}}{{end}}{{with .b}}x{{else}}none{{end}}",
    data: { a: "A" },
    output: "Anone",
  },
  {
    name: "range over a slice with index and element",
    input: "{{range $i, $e := .}}{{$i}}:{{$e}} {{end}}",
    data: ["a", "b"],
    output: "0:a 1:b ",
  },
  {
    name: "range over a map visits sorted keys",
    input: "{{range $k, $v := .}}{{$k}}={{$v}} {{end}}",
    data: { b: 2, a: 1, "ä": 3, Z: 0 },
    output: "Z=0 a=1 b=2 ä=3 ",
  },
  {
    name: "range with one variable gets the element",
    input: "{{range $v := .}}{{$v}}{{end}}",
    data: { b: 2, a: 1 },
    output: "12",
  },
  { name: "range over nothing runs else", input: "{{range .x}}x{{else}}empty{{end}}", data: {}, output: "empty" },
  {
    name: "range over a number is an error",
    input: "{{range 5}}{{end}}",
    error: 'template: t.tmpl:1:8: executing "t.tmpl" at <5>: range can\'t iterate over 5',
  },
  {
    name: "break leaves the innermost range",
    input: "{{range .}}{{range .}}{{if eq . 2.0}}{{break}}{{end}}{{.}}{{end}};{{end}}",
    data: [[1, 2, 3], [4]],
    output: "1;4;",
  },
  {
    name: "continue skips the rest of the body",
    input: "{{range .}}{{if eq . 2.0}}{{continue}}{{end}}{{.}}{{end}}",
    data: [1, 2, 3],
    output: "13",
  },
  // Variables.
  {
    name: "assignment updates the outer variable",
    input: "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}",
    output: "2",
  },
  {
    name: "declaration in a block shadows until end",
    input: "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
    output: "21",
  },
  { name: "if pipeline variable is visible in else", input: "{{if $x := 0}}yes{{else}}{{$x}}{{end}}", output: "0" },
  {
    name: "dollar is the data inside range",
    input: "{{range .l}}{{$.n}}{{end}}",
    data: { l: [1, 2], n: "N" },
    output: "NN",
  },
  {
    name: "assigning an undeclared variable fails at exec",
    input: "{{$x = 1}}",
    error: 'template: t.tmpl:1:7: executing "t.tmpl" at <1>: undefined variable: $x',
  },
  // Templates.
  {
    name: "template call gets dot and a fresh $",
    input: '{{define "a"}}[{{.}}{{$}}]{{end}}{{template "a" 5}}',
    output: "[55]",
  },
  {
    name: "template call without pipeline has nil dot",
    input: '{{define "a"}}{{.}}{{end}}{{template "a"}}',
    output: "<no value>",
  },
  {
    name: "variable declared in a template call persists",
    input: '{{define "a"}}{{.}}{{end}}{{template "a" $v := 3}}{{$v}}',
    output: "33",
  },
  {
    name: "undefined template",
    input: '{{template "x"}}',
    error: 'template: t.tmpl:1:11: executing "t.tmpl" at <{{template "x"}}>: template "x" not defined',
  },
  {
    name: "errors inside a define name the define and the parse name",
    input: '{{define "a"}}\n  {{.x.y}}{{end}}{{template "a" .}}',
    data: { x: 1 },
    error: 'template: t.tmpl:2:6: executing "a" at <.x.y>: can\'t evaluate field y in type interface {}',
  },
  // Error positions and node text.
  {
    name: "column is a byte offset in the line",
    input: "日本\n語 {{.a.b}}",
    data: { a: 1 },
    error: 'template: t.tmpl:2:8: executing "t.tmpl" at <.a.b>: can\'t evaluate field b in type interface {}',
  },
  {
    name: "error calling a function quotes the command",
    input: 'x\n  {{getv "/x"}}',
    error: 'template: t.tmpl:2:4: executing "t.tmpl" at <getv "/x">: error calling getv: key does not exist: /x',
  },
  {
    name: "a panic in a function is an error calling it",
    input: "{{div 1 0}}",
    error:
      'template: t.tmpl:1:2: executing "t.tmpl" at <div 1 0>: error calling div: runtime error: integer divide by zero',
  },
  {
    name: "wrong argument count names the identifier",
    input: "{{getv}}",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <getv>: wrong number of args for getv: want at least 1 got 0',
  },
  {
    name: "non-function with arguments",
    input: "{{3 2}}",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <3>: can\'t give argument to non-function 3',
  },
  // Typed arguments.
  { name: "int parameter takes an int literal", input: "{{double 21}}", output: "42" },
  { name: "int parameter takes an integral float literal", input: "{{double 2.0}}", output: "4" },
  {
    name: "int parameter rejects a JSON number",
    input: "{{double .n}}",
    data: { n: 2 },
    error: 'template: t.tmpl:1:9: executing "t.tmpl" at <.n>: wrong type for value; expected int; got float64',
  },
  {
    name: "int parameter rejects a string literal",
    input: '{{double "1"}}',
    error: 'template: t.tmpl:1:9: executing "t.tmpl" at <"1">: expected integer; found "1"',
  },
  {
    name: "int parameter rejects a fractional literal",
    input: "{{double 1.5}}",
    error: 'template: t.tmpl:1:9: executing "t.tmpl" at <1.5>: expected integer; found 1.5',
  },
  {
    name: "int parameter rejects a missing value",
    input: "{{double .x}}",
    data: {},
    error: 'template: t.tmpl:1:9: executing "t.tmpl" at <.x>: invalid value; expected int',
  },
  {
    name: "string parameter rejects a null from a map",
    input: "{{getv .x}}",
    data: { x: null },
    error: 'template: t.tmpl:1:7: executing "t.tmpl" at <.x>: wrong type for value; expected string; got interface {}',
  },
  {
    name: "[]string parameter rejects []interface {}",
    input: '{{join . ","}}',
    data: ["a"],
    error:
      'template: t.tmpl:1:7: executing "t.tmpl" at <.>: wrong type for value; expected []string; got []interface {}',
  },
  { name: "[]string parameter takes []string", input: '{{join list ","}}', output: "b,a" },
  { name: "pipelined value is the last argument", input: '{{"/nope" | getv "/x"}}', output: "/nope" },
  { name: "variadic defaults", input: '{{getv "/x" "d1" "d2"}}', output: "d1" },
  { name: "nil interface result is no value", input: "{{anything}}", output: "<no value>" },
  {
    name: "nil literal for a string parameter",
    input: "{{getv nil}}",
    error: 'template: t.tmpl:1:7: executing "t.tmpl" at <nil>: cannot assign nil to string',
  },
  // missingkey.
  {
    name: "missingkey=error on a map",
    input: "{{.x}}",
    data: {},
    missingkey: "error",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <.x>: map has no entry for key "x"',
  },
  {
    name: "missingkey=error on nil data",
    input: "{{.x}}",
    data: null,
    missingkey: "error",
    error: 'template: t.tmpl:1:2: executing "t.tmpl" at <.x>: nil data; no entry for key "x"',
  },
  {
    name: "missingkey=zero on interface maps still prints no value",
    input: "{{.x}}",
    data: {},
    missingkey: "zero",
    output: "<no value>",
  },
  { name: "missingkey=invalid is the default", input: "{{.x}}", data: {}, missingkey: "invalid", output: "<no value>" },
];

describe("executor", () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = run(c);
      if (c.error !== undefined) assert.deepEqual(got, { error: c.error });
      else assert.deepEqual(got, { output: c.output });
    });
  }
});

describe("executor: the API around execution", () => {
  it("exec errors carry phase, name, line and byte column", () => {
    const t = Template.parse("nginx.tmpl", 'a\n\n  日 {{getv "/x"}}', { funcs });
    try {
      t.execute(null);
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.phase, "exec");
      assert.equal(e.templateName, "nginx.tmpl");
      assert.equal(e.line, 3);
      assert.equal(e.column, 8);
    }
  });

  it("a template can be executed many times with different data", () => {
    const t = Template.parse("t", "{{range .}}{{.}}{{end}}{{$x := 1}}");
    assert.equal(t.execute(fromJSON([1, 2])), "12");
    assert.equal(t.execute(fromJSON(["a"])), "a");
  });

  it("custom delimiters", () => {
    const t = Template.parse("t", '<<.a>> {{.a}} <<- " x" >>', { leftDelim: "<<", rightDelim: ">>" });
    assert.equal(t.execute(fromJSON({ a: 1 })), "1 {{.a}} x");
  });

  it("user functions win over builtins of the same name", () => {
    const own: FuncMap = new Map([fn("len", { params: [T.any], result: T.string }, () => "mine")]);
    assert.equal(Template.parse("t", "{{len 1}}", { funcs: own }).execute(null), "mine");
  });

  it("an unbounded recursion reports Go's depth error instead of crashing", () => {
    const t = Template.parse("t", '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}');
    assert.throws(
      () => t.execute(null),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.message ===
          'template: t:1:25: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (100000)',
    );
  });

  it("a mutual recursion is reported where Go reports it", () => {
    const t = Template.parse(
      "t",
      '{{define "a"}}{{template "b"}}{{end}}{{define "b"}}{{template "a"}}{{end}}{{template "a"}}',
    );
    assert.throws(
      () => t.execute(null),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.message === 'template: t:1:62: executing "b" at <{{template "a"}}>: exceeded maximum template depth (100000)',
    );
  });

  it("a deep but bounded recursion through data still renders", () => {
    let data: unknown = null;
    for (let i = 0; i < 300; i++) data = { next: data };
    const t = Template.parse("t", '{{define "n"}}.{{with .next}}{{template "n" .}}{{end}}{{end}}{{template "n" .}}');
    assert.equal(t.execute(fromJSON(data)), ".".repeat(300));
  });

  it("renders one line per pair over 10,000 pairs", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => pair(`/k/${i}`, `10.0.0.${i % 255}`));
    const t = Template.parse("t", "{{range .}}server {{.Value}};\n{{end}}");
    const out = t.execute(new GoSlice(structType("memkv.KVPairs"), items));
    assert.equal(out.split("\n").length, 10_001);
  });
});
