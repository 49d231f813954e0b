import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { fileExists } from "../../../src/funcs/env.ts";
import { call } from "./testdata/call.ts";

describe("getenv", () => {
  const funcs = confdFuncs(new KVStore(), { env: { SET: "value", EMPTY: "" } });
  const cases: [name: string, args: string[], want: string][] = [
    ["returns a set variable", ["SET"], "value"],
    ["ignores the default when set", ["SET", "d"], "value"],
    ["returns the default when unset", ["UNSET", "d"], "d"],
    ["treats an empty variable as unset", ["EMPTY", "d"], "d"],
    ["returns empty without a default", ["UNSET"], ""],
    ["uses only the first default", ["UNSET", "d1", "d2"], "d1"],
    ["does not see inherited object properties", ["constructor"], ""],
  ];
  for (const [name, args, want] of cases) it(name, () => assert.equal(call(funcs, "getenv", ...args), want));

  it("sees only the environment it is given (renderTemplate passes the process's)", () => {
    process.env.RECONFD_FUNCS_TEST = "from-process";
    try {
      assert.equal(call(confdFuncs(new KVStore()), "getenv", "RECONFD_FUNCS_TEST"), "");
    } finally {
      delete process.env.RECONFD_FUNCS_TEST;
    }
  });
});

describe("fileExists follows Go's os.IsNotExist", () => {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-funcs-"));
  const file = join(dir, "f");
  writeFileSync(file, "x");
  const cases: [name: string, path: string, want: boolean][] = [
    ["a file exists", file, true],
    ["a directory exists", dir, true],
    ["a missing file does not", join(dir, "missing"), false],
    ["the empty path does not", "", false],
    ["a path through a file is not 'not exist' (ENOTDIR)", join(file, "x"), true],
  ];
  for (const [name, path, want] of cases) it(name, () => assert.equal(fileExists(path), want));
});
