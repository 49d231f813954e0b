import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoError } from "../../../src/template/value.ts";
import { goBase64Decode, goBase64Encode } from "../../../src/funcs/encoding.ts";
import { oracle } from "./testdata/oracle.ts";

describe("base64 agrees with Go's StdEncoding", () => {
  for (const [s, want] of oracle("base64Encode")) {
    it(`encodes ${JSON.stringify(s)} as ${JSON.stringify(want)}`, () =>
      assert.equal(goBase64Encode(s as string), want));
  }
  for (const [s, want, err] of oracle("base64Decode")) {
    it(`decodes ${JSON.stringify(s)} ${err === "" ? `to ${JSON.stringify(want)}` : `with "${err}"`}`, () => {
      if (err === "") assert.equal(goBase64Decode(s as string), want);
      else assert.throws(() => goBase64Decode(s as string), (e) => e instanceof GoError && e.message === err);
    });
  }
  it("round-trips UTF-8 text", () => assert.equal(goBase64Decode(goBase64Encode("zürich ✓ 𝄞")), "zürich ✓ 𝄞"));
});
