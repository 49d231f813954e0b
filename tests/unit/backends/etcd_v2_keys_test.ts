// The v2 keys API's pure parts: request paths for awkward keys, flattening of
// a recursive GET, watch events, v2 error wording, the watch's common ancestor,
// and the reconnect backoff.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  absoluteKey,
  apiError,
  commonAncestor,
  flattenNode,
  keysPath,
  parseEtcdJson,
  watchEvent,
} from "../../../src/backends/etcd/v2_keys.ts";
import { displayEndpoint } from "../../../src/backends/etcd/v2_transport.ts";

describe("keysPath encodes each segment", () => {
  const cases: [string, string][] = [
    ["/app/a", "/v2/keys/app/a"],
    ["/", "/v2/keys/"],
    ["app", "/v2/keys/app"],
    ["/app/", "/v2/keys/app"],
    ["/a b/c", "/v2/keys/a%20b/c"],
    ["/q?x=1", "/v2/keys/q%3Fx%3D1"],
    ["/h#frag", "/v2/keys/h%23frag"],
    ["/pct%41", "/v2/keys/pct%2541"],
    ["/ü/日本", "/v2/keys/%C3%BC/%E6%97%A5%E6%9C%AC"],
    ["/plus+amp&", "/v2/keys/plus%2Bamp%26"],
  ];
  for (const [key, want] of cases) it(JSON.stringify(key), () => assert.equal(keysPath(key), want));
});

describe("absoluteKey", () => {
  for (const [key, want] of [["a/b", "/a/b"], ["/a/b/", "/a/b"], ["/", "/"], ["", "/"]]) {
    it(`${JSON.stringify(key)} -> ${want}`, () => assert.equal(absoluteKey(key), want));
  }
});

describe("flattenNode", () => {
  it("recurses directories, skips empty ones, keeps empty values", () => {
    const out = new Map<string, string>();
    flattenNode({
      key: "/app",
      dir: true,
      nodes: [
        { key: "/app/a", value: "1" },
        { key: "/app/empty", value: "" },
        { key: "/app/emptydir", dir: true },
        { key: "/app/sub", dir: true, nodes: [{ key: "/app/sub/b", value: "2" }] },
      ],
    }, out);
    assert.deepEqual(Object.fromEntries(out), { "/app/a": "1", "/app/empty": "", "/app/sub/b": "2" });
  });
  it("a leaf is itself", () => {
    const out = new Map<string, string>();
    flattenNode({ key: "/x", value: "v" }, out);
    assert.deepEqual([...out], [["/x", "v"]]);
  });
});

describe("v2 errors and events", () => {
  it("formats an error body as etcd's client (and confd) does", () => {
    const err = apiError(404, { errorCode: 100, message: "Key not found", cause: "/w/nokey", index: 59 });
    assert.equal(err?.message, "100: Key not found (/w/nokey) [59]");
    assert.equal(err?.index, 59n);
    assert.equal(apiError(200, { action: "get" }), undefined);
  });
  it("reads the key and modifiedIndex of an event", () => {
    assert.deepEqual(
      watchEvent({ action: "expire", node: { key: "/s/h1", modifiedIndex: 1114, createdIndex: 1112 } }),
      { action: "expire", key: "/s/h1", index: 1114n, dir: false },
    );
    assert.deepEqual(
      watchEvent({ action: "delete", node: { key: "/s", dir: true, modifiedIndex: 9 } }),
      { action: "delete", key: "/s", index: 9n, dir: true },
    );
  });
  it("an event on a node without a key is a change at the root", () => {
    assert.deepEqual(watchEvent({ action: "set", node: { dir: true, modifiedIndex: 5 } }), {
      action: "set",
      key: "/",
      index: 5n,
      dir: true,
    });
  });
  it("an event without a node or index is none (watch again)", () => {
    for (const body of [null, {}, { action: "set" }, { action: "set", node: { key: "/a" } }]) {
      assert.equal(watchEvent(body), undefined);
    }
  });
});

describe("commonAncestor", () => {
  const cases: [string[], string][] = [
    [["/a/b/c", "/a/b/d"], "/a/b"],
    [["/a", "/a/b"], "/a"],
    [["/a/b"], "/a/b"],
    [["/a", "/b"], "/"],
    [["/ab/c", "/a/c"], "/"],
    [["/services/web", "/services/webx"], "/services"],
    [[], "/"],
  ];
  for (const [keys, want] of cases) it(`${keys.join(" ")} -> ${want}`, () => assert.equal(commonAncestor(keys), want));
});

describe("displayEndpoint", () => {
  it("never shows credentials of an endpoint URL", () => {
    assert.equal(displayEndpoint("https://user:secret@10.0.0.1:2379/"), "https://10.0.0.1:2379");
    assert.equal(displayEndpoint("http://127.0.0.1:2379"), "http://127.0.0.1:2379");
  });
});

describe("etcd's int64 indexes stay exact", () => {
  it("a modifiedIndex beyond 2^53 in a watch event keeps every digit", () => {
    const body = '{"action":"set","node":{"key":"/a","value":"1","modifiedIndex":9007199254740993,"createdIndex":7}}';
    assert.equal(watchEvent(parseEtcdJson(body))?.index, 9007199254740993n);
  });
  it("an error's index too", () => {
    const body = '{"errorCode":401,"message":"cleared","cause":"[1/2]","index":18446744073709551615}';
    assert.equal(apiError(400, parseEtcdJson(body))?.index, 18446744073709551615n);
  });
});
