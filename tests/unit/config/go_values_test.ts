// Go's boolean and integer spellings, shared by flags and CONFD_* variables.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseGoBool, parseGoInt } from "../../../src/config/go_values.ts";

describe("parseGoBool", () => {
  for (const t of ["1", "t", "T", "TRUE", "true", "True"]) {
    it(`reads ${t} as true`, () => assert.equal(parseGoBool(t), true));
  }
  for (const f of ["0", "f", "F", "FALSE", "false", "False"]) {
    it(`reads ${f} as false`, () => assert.equal(parseGoBool(f), false));
  }
  for (const bad of ["yes", "on", "", "tRUE", " true"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseGoBool(bad), undefined));
  }
});

describe("parseGoInt", () => {
  const cases: [string, number | string][] = [
    ["600", 600],
    ["-1", -1],
    ["+7", 7],
    ["0", 0],
    ["0x1F", 31],
    ["0b101", 5],
    ["0o17", 15],
    ["017", 15],
    ["1_000", 1000],
    ["1__0", "parse error"],
    ["_1", "parse error"],
    ["0x_ff", 255],
    ["08", "parse error"],
    ["1.0", "parse error"],
    ["", "parse error"],
    ["10s", "parse error"],
    ["9223372036854775807", 9223372036854775807],
    ["-9223372036854775808", -9223372036854775808],
    ["9223372036854775808", "value out of range"],
  ];
  for (const [text, want] of cases) {
    it(`reads ${JSON.stringify(text)} as ${want}`, () => assert.equal(parseGoInt(text), want));
  }
});
