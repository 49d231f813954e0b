import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { KeyNotFoundError, KVStore } from "../../../src/kv/store.ts";
import { BadPatternError } from "../../../src/kv/go_path.ts";

// The spec's §12 fixture: everything lives under /fx.
const FX = new KVStore(
  [
    "/fx/a",
    "/fx/b/c",
    "/fx/b64",
    "/fx/bool",
    "/fx/e/f/g",
    "/fx/empty",
    "/fx/host",
    "/fx/hostname",
    "/fx/jarr",
    "/fx/json",
    "/fx/leaf",
    "/fx/list",
    "/fx/num",
    "/fx/z1",
    "/fx/z2",
  ].map((k) => [k, k === "/fx/empty" ? "" : `v${k}`] as const),
);

// Expectations below were produced by running memkv's List/ListDir in Go on these keys.
const TREE = new KVStore(
  ["/fx/a", "/fx/b/c", "/fx/e/f/g", "/fx/leaf", "/fxy/z", "/top", "/fx/b/d/e"].map((k) => [k, "v"] as const),
);

describe("KVStore", () => {
  describe("ls and lsdir follow memkv", () => {
    const cases: [name: string, path: string, ls: string[], lsdir: string[]][] = [
      ["lists leaves and directories under a path", "/fx", ["a", "b", "e", "leaf"], ["b", "e"]],
      ["accepts a trailing slash", "/fx/", ["a", "b", "e", "leaf"], ["b", "e"]],
      ["lists a stored key's own base name", "/fx/a", ["a"], []],
      ["lists one level down", "/fx/b", ["c", "d"], ["d"]],
      ["lists a deeper leaf parent", "/fx/e/f", ["g"], []],
      ["gives nothing for a missing path", "/nope", [], []],
      ["gives nothing for the empty path", "", [], []],
      ["gives nothing for a path without a leading slash", "fx", [], []],
      ["gives nothing for a string prefix that is not a path", "/f", [], []],
      ["does not confuse /fx with /fxy", "/fxy", ["z"], []],
      ["keeps memkv's quirk for an uncleaned path (the literal is not stripped)", "/fx//b", ["fx"], []],
      // Deliberate fix: memkv gives ls "/" = [top] and lsdir "/" = [].
      ["lists top-level entries for / (deliberate fix)", "/", ["fx", "fxy", "top"], ["fx", "fxy"]],
    ];
    for (const [name, path, ls, lsdir] of cases) {
      it(`${name}: ${JSON.stringify(path)}`, () => {
        assert.deepEqual(TREE.ls(path), ls);
        assert.deepEqual(TREE.lsdir(path), lsdir);
      });
    }

    it("ls /fx gives the spec's listing", () => {
      assert.deepEqual(FX.ls("/fx"), [
        "a",
        "b",
        "b64",
        "bool",
        "e",
        "empty",
        "host",
        "hostname",
        "jarr",
        "json",
        "leaf",
        "list",
        "num",
        "z1",
        "z2",
      ]);
      assert.deepEqual(FX.lsdir("/fx"), ["b", "e"]);
    });
  });

  describe("lookups are exact", () => {
    const cases: [name: string, key: string, exists: boolean][] = [
      ["a stored key exists", "/fx/a", true],
      ["a directory does not exist", "/fx/b", false],
      ["a trailing slash is a different key", "/fx/leaf/", false],
      ["a key with an empty value exists", "/fx/empty", true],
    ];
    for (const [name, key, exists] of cases) {
      it(name, () => {
        assert.equal(FX.exists(key), exists);
        assert.equal(FX.get(key) !== undefined, exists);
      });
    }
  });

  describe("getv", () => {
    it("returns the value", () => assert.equal(FX.getv("/fx/a"), "v/fx/a"));
    it("returns an empty value rather than the default", () => assert.equal(FX.getv("/fx/empty", "d"), ""));
    it("returns the first default for a missing key", () => assert.equal(FX.getv("/no", "d1", "d2"), "d1"));
    it("throws key does not exist without a default", () => {
      assert.throws(
        () => FX.getv("/no"),
        (e) => e instanceof KeyNotFoundError && e.message === "key does not exist: /no",
      );
    });
  });

  describe("gets and getvs", () => {
    const store = new KVStore([["/test/user", "mary"], ["/test/pass", "abc"], ["/test/sub/x", "0"], [
      "/other",
      "o",
    ]]);
    it("gets sorts pairs by key", () => {
      assert.deepEqual(store.gets("/test/*"), [{ key: "/test/pass", value: "abc" }, {
        key: "/test/user",
        value: "mary",
      }]);
    });
    it("getvs sorts values by value, not by key", () => {
      assert.deepEqual(store.getvs("/test/*"), ["abc", "mary"]);
      assert.deepEqual(new KVStore([["/a", "z"], ["/b", "a"]]).getvs("/*"), ["a", "z"]);
    });
    it("* does not cross /", () => assert.deepEqual(store.getvs("/*"), ["o"]));
    it("no match gives an empty list", () => assert.deepEqual(store.gets("/nothing/*"), []));
    it("a malformed pattern throws", () => assert.throws(() => store.gets("/test/["), BadPatternError));
    it("a malformed pattern does not throw on an empty store (memkv matches per key)", () => {
      assert.deepEqual(new KVStore().gets("/test/["), []);
    });
  });

  describe("fromBackend: confd's populate step", () => {
    const cases: [name: string, values: [string, string][], prefix: string, want: [string, string][]][] = [
      ["trims the prefix and keeps a rooted path", [["/fx/b/c", "1"]], "/fx", [["/b/c", "1"]]],
      ["drops a trailing slash", [["/fx/leaf/", "1"]], "/fx", [["/leaf", "1"]]],
      ["roots a key left relative by the trim", [["/fxy", "1"]], "/fx", [["/y", "1"]]],
      ["keeps keys without the prefix, cleaned", [["/other//k", "1"]], "/fx", [["/other/k", "1"]]],
      ["with no prefix, cleans keys", [["/a/./b", "1"]], "", [["/a/b", "1"]]],
      ["the prefixed key itself becomes /", [["/fx", "root"]], "/fx", [["/", "root"]]],
      ["on collision the bytewise-last backend key wins", [["/fx/a/", "slash"], ["/fx/a", "plain"]], "/fx", [[
        "/a",
        "slash",
      ]]],
    ];
    for (const [name, values, prefix, want] of cases) {
      it(name, () => {
        const store = KVStore.fromBackend(new Map(values), prefix);
        assert.deepEqual(store.entries().map((kv) => [kv.key, kv.value]), want);
      });
    }
  });

  it("the constructor stores keys exactly as given", () => {
    const store = new KVStore([["/a/", "1"], ["b", "2"]]);
    assert.equal(store.getv("/a/"), "1");
    assert.equal(store.getv("b"), "2");
    assert.equal(store.size, 2);
  });
});
