// Template's public face beyond parse and execute: withFuncs rebinds a parsed set to another
// function map of the same names (Go's Funcs after Parse), and refuses any other set of names.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Template } from "../../../src/template/template.ts";
import { type FuncMap, GoFuncValue, T } from "../../../src/template/value.ts";

/** A map with one function `who` returning `name`, and one `other` returning nothing of interest. */
function whoIs(name: string): FuncMap {
  return new Map([
    ["who", new GoFuncValue("who", { params: [], result: T.string }, () => name)],
    ["other", new GoFuncValue("other", { params: [], result: T.string }, () => "")],
  ]);
}

const TEXT = `{{define "inner"}}[{{who}}]{{end}}{{who}} {{template "inner"}}`;

describe("Template.withFuncs", () => {
  it("executes the same trees with the new functions, in every template of the set", () => {
    const first = Template.parse("t.tmpl", TEXT, { funcs: whoIs("first") });
    const second = first.withFuncs(whoIs("second"));
    assert.equal(second.execute(null), "second [second]");
    assert.deepEqual(second.templateNames().sort(), first.templateNames().sort());
  });

  it("leaves the template it came from bound to its own functions", () => {
    const first = Template.parse("t.tmpl", TEXT, { funcs: whoIs("first") });
    first.withFuncs(whoIs("second"));
    assert.equal(first.execute(null), "first [first]");
  });

  const refused: { name: string; funcs: FuncMap }[] = [
    { name: "a name missing", funcs: new Map([...whoIs("x")].filter(([n]) => n !== "other")) },
    { name: "a name more", funcs: new Map([...whoIs("x"), ["extra", whoIs("x").get("who") as GoFuncValue]]) },
    {
      name: "as many names, one different",
      funcs: new Map([...whoIs("x")].map(([n, f]) => [n === "other" ? "renamed" : n, f])),
    },
  ];
  for (const c of refused) {
    it(`refuses a map with ${c.name}`, () => {
      const tmpl = Template.parse("t.tmpl", TEXT, { funcs: whoIs("first") });
      assert.throws(
        () => tmpl.withFuncs(c.funcs),
        /template: t\.tmpl: withFuncs needs the function names it was parsed with/,
      );
    });
  }
});
