// The shared change feed: who wakes for which change, late callers answered
// from the bounded history, resync after lost history, abort and close.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { affects, ChangeFeed } from "../../../src/backends/change_feed.ts";

const never = new AbortController().signal;

/** Resolves true if `p` settles within `ms`. */
async function settles(p: Promise<unknown>, ms = 30): Promise<boolean> {
  return await Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);
}

describe("ChangeFeed", () => {
  it("a change is relevant to keys it lies under, above (a directory delete) or equals", () => {
    assert.equal(affects("/app/db/host", "/app/db"), true);
    assert.equal(affects("/app", "/app/db"), true);
    assert.equal(affects("/app/db", "/app/db"), true);
    assert.equal(affects("/app/dbx", "/app/db"), false);
    assert.equal(affects("/other", "/app"), false);
  });

  it("from 0n a wait returns at once with the current index", async () => {
    const feed = new ChangeFeed();
    feed.advance(7n);
    assert.deepEqual(await feed.wait(["/a"], 0n, never), { index: 7n });
  });

  it("wakes only the waiters whose keys changed, with the changed keys", async () => {
    const feed = new ChangeFeed();
    feed.advance(10n);
    const a = feed.wait(["/a"], 10n, never);
    const b = feed.wait(["/b"], 10n, never);
    feed.publish(11n, ["/a/x", "/c"]);
    assert.deepEqual(await a, { index: 11n, changed: ["/a/x"] });
    assert.equal(await settles(b), false);
    feed.publish(12n, ["/b"]);
    assert.deepEqual(await b, { index: 12n, changed: ["/b"] });
  });

  it("answers a late caller from history: a change made while it was busy is not lost", async () => {
    const feed = new ChangeFeed();
    feed.advance(5n);
    feed.publish(6n, ["/a/1"]);
    feed.publish(7n, ["/b/1"]);
    feed.publish(8n, ["/a/2"]);
    assert.deepEqual(await feed.wait(["/a"], 5n, never), { index: 8n, changed: ["/a/1", "/a/2"] });
    assert.deepEqual(await feed.wait(["/a"], 6n, never), { index: 8n, changed: ["/a/2"] });
    assert.equal(await settles(feed.wait(["/a"], 8n, never)), false);
  });

  it("a change of unknown keys wakes everyone without a key list", async () => {
    const feed = new ChangeFeed();
    feed.advance(1n);
    const w = feed.wait(["/x"], 1n, never);
    feed.publish(2n);
    assert.deepEqual(await w, { index: 2n });
  });

  it("a caller older than the kept history re-reads (wakes at once)", async () => {
    const feed = new ChangeFeed({ historyLimit: 3 });
    feed.advance(1n);
    for (let i = 2n; i <= 6n; i++) feed.publish(i, ["/other"]);
    // /a never changed, but history from 2 to 3 is gone: the feed cannot prove it.
    assert.deepEqual(await feed.wait(["/a"], 2n, never), { index: 6n });
    assert.equal(await settles(feed.wait(["/a"], 4n, never)), false);
  });

  it("resync wakes every caller from before it, and later waits from there block", async () => {
    const feed = new ChangeFeed();
    feed.advance(3n);
    const w = feed.wait(["/a"], 3n, never);
    feed.resync(50n);
    assert.deepEqual(await w, { index: 50n });
    assert.deepEqual(await feed.wait(["/a"], 10n, never), { index: 50n });
    assert.equal(await settles(feed.wait(["/a"], 50n, never)), false);
  });

  it("advance moves the index without waking anyone", async () => {
    const feed = new ChangeFeed();
    feed.advance(3n);
    const w = feed.wait(["/a"], 3n, never);
    feed.advance(9n);
    assert.equal(await settles(w), false);
    assert.equal(feed.index, 9n);
  });

  it("rejects with the abort reason and forgets the waiter; close wakes the rest", async () => {
    const feed = new ChangeFeed();
    feed.advance(1n);
    const ac = new AbortController();
    const aborted = feed.wait(["/a"], 1n, ac.signal);
    const other = feed.wait(["/b"], 1n, never);
    assert.equal(feed.waiting, 2);
    ac.abort(new Error("bye"));
    await assert.rejects(aborted, /bye/);
    assert.equal(feed.waiting, 1);
    feed.close();
    assert.deepEqual(await other, { index: 1n });
    assert.deepEqual(await feed.wait(["/b"], 1n, never), { index: 1n });
  });

  it("bounds the changed-key list of one wake", async () => {
    const feed = new ChangeFeed({ wakeKeysLimit: 5 });
    feed.advance(1n);
    feed.publish(2n, Array.from({ length: 50 }, (_, i) => `/a/${String(i).padStart(2, "0")}`));
    const wake = await feed.wait(["/a"], 1n, never);
    assert.equal(wake.changed?.length, 5);
  });

  it("a change published late at an older index is still found by a caller between the two", async () => {
    const feed = new ChangeFeed();
    feed.advance(1n);
    feed.publish(10n, ["/b"]);
    feed.publish(5n, ["/a"]);
    assert.deepEqual(await feed.wait(["/a"], 3n, never), { index: 5n, changed: ["/a"] });
    assert.deepEqual(await feed.wait(["/a", "/b"], 3n, never), { index: 10n, changed: ["/a", "/b"] });
    // A caller between the two indexes must see the newer change, published first.
    assert.deepEqual(await feed.wait(["/b"], 7n, never), { index: 10n, changed: ["/b"] });
    assert.equal(feed.index, 10n);
  });
});
