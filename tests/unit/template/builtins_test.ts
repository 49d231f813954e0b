// Builtin function tests: and/or/not, comparisons by basic kind, index/slice/len with Go's
// byte semantics, call, and the print/escaper wiring. Texts checked against Go 1.19.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Template, TemplateError } from "../../../src/template/template.ts";
import {
  fromJSON,
  type FuncMap,
  GoFuncValue,
  GoSlice,
  SLICE_STRING,
  T,
  type Value,
} from "../../../src/template/value.ts";

const add = new GoFuncValue("add", { params: [T.int, T.int], result: T.int }, (a, b) => (a as bigint) + (b as bigint));
const funcs: FuncMap = new Map([
  ["strs", new GoFuncValue("strs", { params: [], result: SLICE_STRING }, () => new GoSlice(SLICE_STRING, ["x", "y"]))],
  ["adder", new GoFuncValue("adder", { params: [], result: { name: "func(int, int) int", kind: "func" } }, () => add)],
]);

interface Case {
  name: string;
  input: string;
  data?: unknown;
  want: string;
}

function render(c: Case): string {
  try {
    return Template.parse("t", c.input, { funcs }).execute(fromJSON(c.data) as Value);
  } catch (e) {
    if (e instanceof TemplateError) return `ERROR ${e.message}`;
    throw e;
  }
}

const cases: Case[] = [
  // and / or / not
  { name: "and returns the first false operand", input: "{{and 1 0 2}}", want: "0" },
  { name: "and returns the last operand when all are true", input: '{{and 1 "x" 2}}', want: "2" },
  { name: "or returns the first true operand", input: '{{or 0 "" "x" 3}}', want: "x" },
  { name: "or returns the last operand when all are false", input: '{{or 0 ""}}', want: "" },
  { name: "and short-circuits past a failing call", input: "{{and 0 (index 5 1)}}", want: "0" },
  { name: "or short-circuits past a failing call", input: "{{or 1 (len 3)}}", want: "1" },
  { name: "a pipelined value is the last operand", input: "{{0 | and 1}} {{1 | or 0}}", want: "0 1" },
  { name: "and of missing values is no value", input: "{{and .x 1}}", data: {}, want: "<no value>" },
  { name: "not returns a bool", input: '{{not 0}} {{not "a"}} {{not .x}}', data: {}, want: "true false true" },
  {
    name: "and with no arguments",
    input: "{{and}}",
    want: 'ERROR template: t:1:2: executing "t" at <and>: wrong number of args for and: want at least 1 got 0',
  },
  // comparisons
  {
    name: "eq on basic kinds",
    input: '{{eq 1 1}} {{eq "a" "b"}} {{eq true true}} {{eq 1.5 1.5}} {{eq 1i 1i}}',
    want: "true false true true true",
  },
  { name: "eq with several arguments is any-of", input: "{{eq 3 1 2 3}} {{eq 4 1 2 3}}", want: "true false" },
  {
    name: "int and uint compare mathematically",
    input: '{{eq (index "x" 0) \'x\'}} {{lt -1 (index "x" 0)}}',
    want: "true true",
  },
  {
    name: "int and float are incompatible",
    input: "{{eq .n 3}}",
    data: { n: 3 },
    want: 'ERROR template: t:1:2: executing "t" at <eq .n 3>: error calling eq: incompatible types for comparison',
  },
  {
    name: "nil and no value are equal only to nil",
    input: "{{eq nil nil}} {{eq .x 1}} {{eq 1 .x}} {{eq .x .y}}",
    data: {},
    want: "true false false true",
  },
  {
    name: "eq on maps is non-comparable",
    input: "{{eq . .}}",
    data: { a: "x" },
    want:
      'ERROR template: t:1:2: executing "t" at <eq . .>: error calling eq: non-comparable type map[a:x]: map[string]interface {}',
  },
  {
    name: "eq on a slice and a map",
    input: "{{eq .a .b}}",
    data: { a: ["s"], b: { k: "v" } },
    want:
      'ERROR template: t:1:2: executing "t" at <eq .a .b>: error calling eq: non-comparable types [s]: []interface {}, map[string]interface {}: map[k:v]',
  },
  {
    name: "eq with one argument",
    input: "{{eq 1}}",
    want: 'ERROR template: t:1:2: executing "t" at <eq 1>: error calling eq: missing argument for comparison',
  },
  { name: "lt le gt ge", input: '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.0 2.0}}', want: "true true true false" },
  { name: "strings compare bytewise", input: '{{lt "Z" "a"}} {{lt "\uFFFD" "😀"}}', want: "true true" },
  {
    name: "lt on nil is an invalid type",
    input: "{{lt nil 1}}",
    want: 'ERROR template: t:1:2: executing "t" at <lt nil 1>: error calling lt: invalid type for comparison',
  },
  {
    name: "lt on bools is an invalid type",
    input: "{{lt true false}}",
    want: 'ERROR template: t:1:2: executing "t" at <lt true false>: error calling lt: invalid type for comparison',
  },
  {
    name: "ne takes exactly two arguments",
    input: "{{ne 1 2 3}}",
    want: 'ERROR template: t:1:2: executing "t" at <ne>: wrong number of args for ne: want 2 got 3',
  },
  // index
  { name: "index a slice", input: "{{index . 1}}", data: ["a", "b"], want: "b" },
  {
    name: "index out of range",
    input: "{{index . 5}}",
    data: ["a"],
    want: 'ERROR template: t:1:2: executing "t" at <index . 5>: error calling index: index out of range: 5',
  },
  {
    name: "index at len panics in reflect",
    input: "{{index . 1}}",
    data: ["a"],
    want: 'ERROR template: t:1:2: executing "t" at <index . 1>: error calling index: reflect: slice index out of range',
  },
  {
    name: "index with a JSON number",
    input: "{{index .l .i}}",
    data: { l: ["a"], i: 0 },
    want:
      'ERROR template: t:1:2: executing "t" at <index .l .i>: error calling index: cannot index slice/array with type float64',
  },
  {
    name: "index a map, missing keys are no value",
    input: '{{index . "a"}} {{index . "z"}}',
    data: { a: 1 },
    want: "1 <no value>",
  },
  { name: "index nests", input: '{{index . "a" 1 "b"}}', data: { a: [0, { b: "deep" }] }, want: "deep" },
  { name: "index a string gives a byte", input: '{{index "日本" 0}} {{printf "%T" (index "a" 0)}}', want: "230 uint8" },
  { name: "index with no keys returns the item", input: "{{index 5}}", want: "5" },
  {
    name: "index of nil",
    input: "{{index nil 1}}",
    want: 'ERROR template: t:1:2: executing "t" at <index nil 1>: error calling index: index of untyped nil',
  },
  {
    name: "index of a number",
    input: "{{index 5 1}}",
    want: 'ERROR template: t:1:2: executing "t" at <index 5 1>: error calling index: can\'t index item of type int',
  },
  {
    name: "index a map with an int key",
    input: "{{index . 1}}",
    data: {},
    want:
      'ERROR template: t:1:2: executing "t" at <index . 1>: error calling index: value has type int; should be string',
  },
  // slice
  {
    name: "slice a slice",
    input: "{{slice . 1}} {{slice . 0 1}} {{slice .}}",
    data: [1, 2, 3],
    want: "[2 3] [1] [1 2 3]",
  },
  { name: "slice keeps the slice type", input: '{{printf "%T" (slice strs 1)}}', want: "[]string" },
  { name: "slice a string by bytes", input: '{{slice "日本語" 3 6}}', want: "本" },
  {
    name: "slice a string with three indexes",
    input: '{{slice "abc" 0 1 2}}',
    want:
      'ERROR template: t:1:2: executing "t" at <slice "abc" 0 1 2>: error calling slice: cannot 3-index slice a string',
  },
  {
    name: "slice does not unwrap indexes read from interface slots",
    input: "{{slice .l .i}}",
    data: { l: [1], i: 0 },
    want:
      'ERROR template: t:1:2: executing "t" at <slice .l .i>: error calling slice: cannot index slice/array with type interface {}',
  },
  {
    name: "slice indexes out of order",
    input: "{{slice . 2 1}}",
    data: [1, 2, 3],
    want: 'ERROR template: t:1:2: executing "t" at <slice . 2 1>: error calling slice: invalid slice index: 2 > 1',
  },
  // len
  {
    name: "len counts bytes of strings",
    input: '{{len "日本"}} {{len .}} {{len .m}}',
    data: { m: { a: 1 } },
    want: "6 1 1",
  },
  {
    name: "len of a null value",
    input: "{{len .x}}",
    data: { x: null },
    want: 'ERROR template: t:1:2: executing "t" at <len .x>: error calling len: len of nil pointer',
  },
  {
    name: "len of a missing value",
    input: "{{len .x}}",
    data: {},
    want:
      'ERROR template: t:1:2: executing "t" at <len .x>: error calling len: reflect: call of reflect.Value.Type on zero Value',
  },
  {
    name: "len of a number",
    input: "{{len 3}}",
    want: 'ERROR template: t:1:2: executing "t" at <len 3>: error calling len: len of type int',
  },
  // call
  { name: "call a function value", input: "{{call adder 2 3}}", want: "5" },
  { name: "call converts uint8 to int", input: '{{call adder (index "a" 0) 1}}', want: "98" },
  {
    name: "call with the wrong argument count",
    input: "{{call adder 1}}",
    want:
      'ERROR template: t:1:2: executing "t" at <call adder 1>: error calling call: wrong number of args: got 1 want 2',
  },
  {
    name: "call with a wrong argument type",
    input: '{{call adder 1 "x"}}',
    want:
      'ERROR template: t:1:2: executing "t" at <call adder 1 "x">: error calling call: arg 1: value has type string; should be int',
  },
  {
    name: "call of a non-function",
    input: "{{call 1}}",
    want: 'ERROR template: t:1:2: executing "t" at <call 1>: error calling call: non-function of type int',
  },
  {
    name: "call of nil",
    input: "{{call nil}}",
    want: 'ERROR template: t:1:2: executing "t" at <call nil>: error calling call: call of nil',
  },
  // printing and escapers
  { name: "print spaces operands that are not strings", input: '{{print "a" 1 2 "b"}}', want: "a1 2b" },
  { name: "println always spaces and ends a line", input: '{{println "a" 1}}', want: "a 1\n" },
  { name: "printf", input: '{{printf "%05.1f|%-3s|%q" 3.14159 "x" "y"}}', want: '003.1|x  |"y"' },
  { name: "html escapes", input: "{{html \"<a href='x'>&\"}}", want: "&lt;a href=&#39;x&#39;&gt;&amp;" },
  { name: "js escapes", input: '{{js "a\'b<"}}', want: "a\\'b\\u003C" },
  { name: "urlquery escapes", input: '{{urlquery "a b&c"}}', want: "a+b%26c" },
  {
    name: "escapers of nil give the escaped no value",
    input: "{{html nil}} {{urlquery .x}}",
    data: {},
    want: "&lt;no value&gt; %3Cno+value%3E",
  },
];

describe("builtins", () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(render(c), c.want);
    });
  }
});
