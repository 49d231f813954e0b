import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Signature } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";

/** A Signature in Go's notation, to compare with confd's Go declarations. */
function goSignature(sig: Signature): string {
  const params = sig.params.map((p) => p.name);
  if (sig.variadic) params.push(`...${sig.variadic.name}`);
  const result = sig.returnsError ? `(${sig.result.name}, error)` : sig.result.name;
  return `func(${params.join(", ")}) ${result}`;
}

// confd HEAD's function map (resource/template/template_funcs.go and memkv's Store methods).
const CONFD_SIGNATURES: Record<string, string> = {
  exists: "func(string) bool",
  get: "func(string) (memkv.KVPair, error)",
  gets: "func(string) (memkv.KVPairs, error)",
  getv: "func(string, ...string) (string, error)",
  getvs: "func(string) ([]string, error)",
  ls: "func(string) []string",
  lsdir: "func(string) []string",
  base: "func(string) string",
  split: "func(string, string) []string",
  json: "func(string) (map[string]interface {}, error)",
  jsonArray: "func(string) ([]interface {}, error)",
  dir: "func(string) string",
  map: "func(...interface {}) (map[string]interface {}, error)",
  getenv: "func(string, ...string) string",
  join: "func([]string, string) string",
  datetime: "func() time.Time",
  toUpper: "func(string) string",
  toLower: "func(string) string",
  contains: "func(string, string) bool",
  replace: "func(string, string, string, int) string",
  trimSuffix: "func(string, string) string",
  lookupIP: "func(string) []string",
  lookupIPV4: "func(string) []string",
  lookupIPV6: "func(string) []string",
  lookupSRV: "func(string, string, string) []*net.SRV",
  fileExists: "func(string) bool",
  base64Encode: "func(string) string",
  base64Decode: "func(string) (string, error)",
  parseBool: "func(string) (bool, error)",
  reverse: "func(interface {}) interface {}",
  sortByLength: "func([]string) []string",
  sortKVByLength: "func([]memkv.KVPair) []memkv.KVPair",
  add: "func(int, int) int",
  sub: "func(int, int) int",
  div: "func(int, int) int",
  mod: "func(int, int) int",
  mul: "func(int, int) int",
  seq: "func(int, int) []int",
  atoi: "func(string) (int, error)",
};

describe("confdFuncs", () => {
  const funcs = confdFuncs(new KVStore(), { env: {} });

  it("has exactly confd's functions (no cget family)", () => {
    assert.deepEqual([...funcs.keys()].sort(), Object.keys(CONFD_SIGNATURES).sort());
  });

  describe("every function has confd's Go signature", () => {
    for (const [name, want] of Object.entries(CONFD_SIGNATURES)) {
      it(`${name} is ${want}`, () => {
        const f = funcs.get(name);
        assert.ok(f, name);
        assert.equal(f.name, name);
        assert.equal(goSignature(f.sig), want);
      });
    }
  });
});
