import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { base, clean, compileMatch, dir, join, match, split } from "../../../src/kv/go_path.ts";
import { oracle } from "../funcs/testdata/oracle.ts";

describe("go_path: Go's path package", () => {
  describe("clean agrees with Go", () => {
    for (const [input, want] of oracle("clean")) {
      it(`clean ${JSON.stringify(input)} is ${JSON.stringify(want)}`, () => {
        assert.equal(clean(input as string), want);
      });
    }
  });

  describe("join agrees with Go", () => {
    for (const [elems, want] of oracle("join")) {
      it(`join ${JSON.stringify(elems)} is ${JSON.stringify(want)}`, () => {
        assert.equal(join(...(elems as string[])), want);
      });
    }
  });

  describe("base and dir agree with Go", () => {
    for (const [input, b, d] of oracle("basedir")) {
      it(`base/dir of ${JSON.stringify(input)} are ${JSON.stringify(b)}, ${JSON.stringify(d)}`, () => {
        assert.equal(base(input as string), b);
        assert.equal(dir(input as string), d);
      });
    }
  });

  describe("match agrees with Go, errors included", () => {
    for (const [pattern, name, want, err] of oracle("match")) {
      const title = err === "" ? `${want ? "matches" : "does not match"}` : `fails with "${err}"`;
      it(`${JSON.stringify(pattern)} against ${JSON.stringify(name)} ${title}`, () => {
        if (err !== "") {
          assert.throws(() => match(pattern as string, name as string), { message: err as string });
        } else {
          assert.equal(match(pattern as string, name as string), want);
        }
      });
    }
  });

  describe("compileMatch agrees with Go on every oracle case, fast paths included", () => {
    const extra: [string, string, boolean][] = [
      ["/services/web/*", "/services/web/a", true],
      ["/services/web/*", "/services/web/", true],
      ["/services/web/*", "/services/web/a/b", false],
      ["/services/web/*", "/services/webx", false],
      ["*", "abc", true],
      ["*", "/abc", false],
      ["/exact", "/exact", true],
      ["/exact", "/exact/", false],
    ];
    for (const [pattern, name, want] of extra) {
      it(`${JSON.stringify(pattern)} against ${JSON.stringify(name)}`, () => {
        assert.equal(compileMatch(pattern)(name), want);
        assert.equal(match(pattern, name), want);
      });
    }
    it("all oracle cases", () => {
      for (const [pattern, name, want, err] of oracle("match")) {
        const matches = compileMatch(pattern as string);
        if (err !== "") assert.throws(() => matches(name as string), { message: err as string });
        else assert.equal(matches(name as string), want, `${pattern} ${name}`);
      }
    });
  });

  it("split keeps the trailing slash on the directory part", () => {
    assert.deepEqual(split("/a/b"), ["/a/", "b"]);
    assert.deepEqual(split("b"), ["", "b"]);
  });
});
