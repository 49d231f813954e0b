import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sprint } from "../../../src/template/fmt/print.ts";
import { match } from "../../../src/kv/go_path.ts";
import { goUnmarshal } from "../../../src/funcs/json.ts";
import { decodeBase64Bytes } from "../../../src/funcs/encoding.ts";
import { byteLength, goSort } from "../../../src/funcs/sort.ts";
import { oracle } from "./testdata/oracle.ts";

// Seeded random cases from go_oracle.go's fuzz(): each test runs a whole section and
// lists the first mismatches, so one failure shows the inputs to look at.
function mismatches<R>(rows: R[], check: (row: R) => string | undefined): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const m = check(row);
    if (m !== undefined && out.length < 5) out.push(m);
  }
  return out;
}

function attempt<T>(f: () => T): [T | undefined, string] {
  try {
    return [f(), ""];
  } catch (e) {
    return [undefined, (e as Error).message];
  }
}

describe("seeded random inputs agree with Go", () => {
  it("path.Match on random patterns and names", () => {
    const bad = mismatches(oracle("fuzzMatch"), ([p, n, want, err]) => {
      const [got, gotErr] = attempt(() => match(p as string, n as string));
      const ok = err === "" ? gotErr === "" && got === want : gotErr === err;
      return ok
        ? undefined
        : `${JSON.stringify([p, n])}: Go ${JSON.stringify([want, err])}, ours ${JSON.stringify([got, gotErr])}`;
    });
    assert.deepEqual(bad, []);
  });

  it("encoding/json errors and values on random token soup", () => {
    const bad = mismatches(oracle("fuzzJSON"), ([s, mapText, mapErr, arrText, arrErr]) => {
      const [m, me] = attempt(() => sprint([goUnmarshal(s as string, "object")]));
      const [a, ae] = attempt(() => sprint([goUnmarshal(s as string, "array")]));
      const ok = me === mapErr && ae === arrErr && (mapErr !== "" || m === mapText) &&
        (arrErr !== "" || a === arrText);
      return ok
        ? undefined
        : `${JSON.stringify(s)}: Go ${JSON.stringify([mapErr, arrErr])}, ours ${JSON.stringify([me, ae])}`;
    });
    assert.deepEqual(bad, []);
  });

  it("base64 decoding bytes and error offsets", () => {
    const bad = mismatches(oracle("fuzzBase64"), ([s, reencoded, err]) => {
      const [bytes, gotErr] = attempt(() => decodeBase64Bytes(s as string));
      const got = bytes === undefined ? "" : btoa(String.fromCharCode(...bytes));
      const ok = gotErr === err && (err !== "" || got === reencoded);
      return ok
        ? undefined
        : `${JSON.stringify(s)}: Go ${JSON.stringify([reencoded, err])}, ours ${JSON.stringify([got, gotErr])}`;
    });
    assert.deepEqual(bad, []);
  });

  it("sort.Sort tie order on random lengths", () => {
    const bad = mismatches(oracle("fuzzSort"), ([input, want]) => {
      const xs = [...((input ?? []) as string[])];
      goSort(xs, (a, b) => byteLength(a) < byteLength(b));
      return JSON.stringify(xs) === JSON.stringify(want ?? []) ? undefined : `input of ${xs.length} strings`;
    });
    assert.deepEqual(bad, []);
  });
});
