// Lexer tests: token streams for Go's lexical forms (delimiters, trim markers, comments,
// numbers, strings, keywords) and the lexer's error items, as Go 1.19's lex.go produces them.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Item, ItemType, Lexer } from "../../../src/template/lex.ts";

const names = new Map<number, string>(Object.entries(ItemType).map(([k, v]) => [v, k]));

/** Lexes input into "Type:val" strings, ending at EOF or the error item. */
function lex(input: string, left = "", right = ""): string[] {
  const l = new Lexer("test", input, { leftDelim: left, rightDelim: right });
  const out: string[] = [];
  for (;;) {
    const i: Item = l.nextItem();
    out.push(`${names.get(i.typ)}:${i.val}`);
    if (i.typ === ItemType.EOF || i.typ === ItemType.Error) return out;
  }
}

interface LexCase {
  name: string;
  input: string;
  items: string[];
  left?: string;
  right?: string;
}

const L = "LeftDelim:{{";
const R = "RightDelim:}}";
const EOF = "EOF:";
const SP = "Space: ";

const cases: LexCase[] = [
  { name: "empty input is just EOF", input: "", items: [EOF] },
  { name: "text outside actions is one item", input: "now is the time", items: ["Text:now is the time", EOF] },
  { name: "a lone right delimiter in text is text", input: "a }} b", items: ["Text:a }} b", EOF] },
  {
    name: "text with comment drops the comment",
    input: "hello-{{/* this is a comment */}}-world",
    items: ["Text:hello-", "Text:-world", EOF],
  },
  { name: "empty action", input: "{{}}", items: [L, R, EOF] },
  { name: "for a field", input: "{{.x.y}}", items: [L, "Field:.x", "Field:.y", R, EOF] },
  { name: "dot alone", input: "{{.}}", items: [L, "Dot:.", R, EOF] },
  {
    name: "variables and declaration",
    input: "{{$x := $}}",
    items: [L, "Variable:$x", SP, "Declare::=", SP, "Variable:$", R, EOF],
  },
  { name: "assignment", input: "{{$x = 1}}", items: [L, "Variable:$x", SP, "Assign:=", SP, "Number:1", R, EOF] },
  {
    name: "range with two variables uses a comma char",
    input: "{{range $i, $e := .}}",
    items: [L, "Range:range", SP, "Variable:$i", "Char:,", SP, "Variable:$e", SP, "Declare::=", SP, "Dot:.", R, EOF],
  },
  {
    name: "pipe and parens",
    input: "{{(1)|f}}",
    items: [L, "LeftParen:(", "Number:1", "RightParen:)", "Pipe:|", "Identifier:f", R, EOF],
  },
  {
    name: "keywords",
    input: "{{if else end with define template block nil break continue}}",
    items: [
      L,
      "If:if",
      SP,
      "Else:else",
      SP,
      "End:end",
      SP,
      "With:with",
      SP,
      "Define:define",
      SP,
      "Template:template",
      SP,
      "Block:block",
      SP,
      "Nil:nil",
      SP,
      "Break:break",
      SP,
      "Continue:continue",
      R,
      EOF,
    ],
  },
  { name: "booleans", input: "{{true false}}", items: [L, "Bool:true", SP, "Bool:false", R, EOF] },
  {
    name: "numbers of every base and shape",
    input: "{{1 02 0x14 0o7 0b1 1_000 -7.2i 1e3 0x1p-2 .5}}",
    items: [
      L,
      "Number:1",
      SP,
      "Number:02",
      SP,
      "Number:0x14",
      SP,
      "Number:0o7",
      SP,
      "Number:0b1",
      SP,
      "Number:1_000",
      SP,
      "Number:-7.2i",
      SP,
      "Number:1e3",
      SP,
      "Number:0x1p-2",
      SP,
      "Number:.5",
      R,
      EOF,
    ],
  },
  { name: "complex constant", input: "{{1+2i}}", items: [L, "Complex:1+2i", R, EOF] },
  {
    name: "quoted and raw strings keep their quotes",
    input: '{{"a\\"b" `c\nd`}}',
    items: [L, 'String:"a\\"b"', SP, "RawString:`c\nd`", R, EOF],
  },
  {
    name: "character constant",
    input: "{{'a' '\\n'}}",
    items: [L, "CharConstant:'a'", SP, "CharConstant:'\\n'", R, EOF],
  },
  { name: "unicode identifier", input: "{{ünïcode}}", items: [L, "Identifier:ünïcode", R, EOF] },
  {
    name: "trim markers remove ASCII space on both sides",
    input: "a \n\t{{- 3 -}} \r\nb",
    items: ["Text:a", L, "Number:3", R, "Text:b", EOF],
  },
  {
    name: "trim markers keep NBSP",
    input: "a\u00a0{{- 3 -}}\u00a0b",
    items: ["Text:a\u00a0", L, "Number:3", R, "Text:\u00a0b", EOF],
  },
  { name: "minus without space is a negative number", input: "{{-3}}", items: [L, "Number:-3", R, EOF] },
  { name: "trimmed comment", input: "x {{- /* c */ -}} y", items: ["Text:x", "Text:y", EOF] },
  {
    name: "custom delimiters",
    input: "<<.x>> {{.y}}",
    left: "<<",
    right: ">>",
    items: ["LeftDelim:<<", "Field:.x", "RightDelim:>>", "Text: {{.y}}", EOF],
  },
  {
    name: "newlines are spaces inside actions",
    input: "{{1\n2}}",
    items: [L, "Number:1", "Space:\n", "Number:2", R, EOF],
  },
  // Errors.
  { name: "unclosed action", input: "{{.x", items: [L, "Field:.x", "Error:unclosed action"] },
  { name: "unclosed action at newline is still open", input: "{{\n", items: [L, "Space:\n", "Error:unclosed action"] },
  { name: "unclosed left paren", input: "{{(3}}", items: [L, "LeftParen:(", "Number:3", "Error:unclosed left paren"] },
  {
    name: "unexpected right paren",
    input: "{{3)}}",
    items: [L, "Number:3", "RightParen:)", "Error:unexpected right paren U+0029 ')'"],
  },
  { name: "unterminated quoted string", input: '{{"a\n"}}', items: [L, "Error:unterminated quoted string"] },
  { name: "unterminated raw string", input: "{{`abc}}", items: [L, "Error:unterminated raw quoted string"] },
  { name: "unterminated character constant", input: "{{'a}}", items: [L, "Error:unterminated character constant"] },
  { name: "bad number", input: "{{3k}}", items: [L, 'Error:bad number syntax: "3k"'] },
  { name: "number with trailing trim dash", input: "{{3-}}", items: [L, 'Error:bad number syntax: "3-"'] },
  { name: "bad character after identifier", input: "{{a#}}", items: [L, "Error:bad character U+0023 '#'"] },
  { name: "unrecognized character", input: "{{\u0001}}", items: [L, "Error:unrecognized character in action: U+0001"] },
  { name: "colon without equals", input: "{{:x}}", items: [L, "Error:expected :="] },
  { name: "unclosed comment", input: "{{/* x", items: ["Error:unclosed comment"] },
  {
    name: "comment not followed by delimiter",
    input: "{{/* x */ y}}",
    items: ["Error:comment ends before closing delimiter"],
  },
];

describe("lexer", () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(lex(c.input, c.left, c.right), c.items);
    });
  }

  it("records the line of each item, counting newlines in text, actions and trim markers", () => {
    const l = new Lexer("test", "a\nb{{1\n2}}\n{{- 3}}");
    const lines: string[] = [];
    for (let i = l.nextItem(); i.typ !== ItemType.EOF; i = l.nextItem()) lines.push(`${i.val.trim()}@${i.line}`);
    assert.deepEqual(lines, ["a\nb@1", "{{@2", "1@2", "@2", "2@3", "}}@3", "{{@4", "3@4", "}}@4"]);
  });

  it("positions are offsets of the item start", () => {
    const l = new Lexer("test", "ab{{ .x }}");
    const pos: number[] = [];
    for (let i = l.nextItem(); i.typ !== ItemType.EOF; i = l.nextItem()) pos.push(i.pos);
    assert.deepEqual(pos, [0, 2, 4, 5, 7, 8]);
  });

  it("break and continue lex as identifiers when functions of those names exist", () => {
    const l = new Lexer("test", "{{break}}", { breakOK: false });
    l.nextItem();
    assert.equal(l.nextItem().typ, ItemType.Identifier);
  });
});
