// The etcdv3 backend against a real etcd: prefix reads at one revision (nested
// keys, odd names, empty values, pages), and the shared watch stream (wakes on
// puts, deletes and lease expiry, ignores sibling keys, survives compaction and
// a restart, one stream for many keys).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WatchWake } from "../../../src/backends/backend.ts";
import { bytesToString, prefixEnd, subtreeEnd } from "../../../src/backends/etcd/bytes.ts";
import { EtcdV3Backend } from "../../../src/backends/etcd/v3_backend.ts";
import { decodeGoBytes } from "../../../src/template/go_bytes.ts";
import { EtcdServer } from "../../helpers/etcd_server.ts";

/** Writes many keys through etcd's JSON gateway, `batch` puts per transaction (independent of the code under test). */
async function putMany(url: string, entries: [string, string][], batch = 100): Promise<void> {
  const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  for (let i = 0; i < entries.length; i += batch) {
    const success = entries.slice(i, i + batch).map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } }));
    const res = await fetch(`${url}/v3/kv/txn`, { method: "POST", body: JSON.stringify({ success }) });
    assert.equal(res.status, 200, await res.text());
  }
}

/** Resolves with the wake, or "timeout" when none came within `ms`. */
async function wakeWithin(p: Promise<WatchWake>, ms: number): Promise<WatchWake | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), ms));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("etcd v3 bytes", () => {
  it("prefixEnd increments the last byte below 0xff and drops the 0xff after it", () => {
    assert.deepEqual(prefixEnd(new Uint8Array([0x2f, 0x61])), new Uint8Array([0x2f, 0x62]));
    assert.deepEqual(prefixEnd(new Uint8Array([0x61, 0xff, 0xff])), new Uint8Array([0x62]));
    assert.deepEqual(prefixEnd(new Uint8Array([0xff])), new Uint8Array([0]));
  });
  it('subtreeEnd ends the range at the prefix end of key + "/" (once when the key ends in /)', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.deepEqual(subtreeEnd(enc("/db/host")), enc("/db/host0"));
    assert.deepEqual(subtreeEnd(enc("/inventory/")), enc("/inventory0"));
    assert.deepEqual(subtreeEnd(enc("/")), enc("0"));
  });
  it("bytesToString keeps valid UTF-8 (a BOM too) and passes invalid bytes through as Go does", () => {
    assert.equal(bytesToString(new TextEncoder().encode("\ufeffé ✓")), "\ufeffé ✓");
    const bad = new Uint8Array([0x61, 0xff, 0xc3]);
    assert.equal(bytesToString(bad), decodeGoBytes(bad));
  });
});

describe("etcdv3 backend", () => {
  const etcd = new EtcdServer({ enableV2: false });
  let backend: EtcdV3Backend;
  before(async () => {
    await etcd.start();
    backend = new EtcdV3Backend({ endpoints: [etcd.url] });
  });
  after(async () => {
    await backend?.close();
    await etcd.destroy();
  });

  it("reads prefixes at one revision: nested keys, spaces, unicode, a trailing /, empty values", async () => {
    await etcd.put("/app/db/host", "10.0.0.1");
    await etcd.put("/app/db/port", "5432");
    await etcd.put("/app/db/hostname", "not under /app/db/host");
    await etcd.put("/app/db/host-2", "not under /app/db/host either");
    await etcd.put("/app/deep/a/b/c", "deep");
    await etcd.put("/app/with space/ключ", "значение ✓");
    await etcd.put("/app/empty", "");
    await etcd.put("/inventory/", "slash");
    await etcd.put("/inventory/x", "1");
    await etcd.put("/inventoryother", "no");
    const snap = await backend.getValues(["/app/db/host", "/app/deep", "/app/with space", "/app/empty", "/inventory/"]);
    assert.deepEqual(Object.fromEntries([...snap.values].sort()), {
      "/app/db/host": "10.0.0.1",
      "/app/deep/a/b/c": "deep",
      "/app/empty": "",
      "/app/with space/ключ": "значение ✓",
      "/inventory/": "slash",
      "/inventory/x": "1",
    });
    assert.equal(snap.index, await etcd.revision());
  });

  it("a missing key is absent, not an error", async () => {
    const snap = await backend.getValues(["/no/such/key", "/app/db/port"]);
    assert.deepEqual([...snap.values], [["/app/db/port", "5432"]]);
  });

  it("reads 10,000 keys under one prefix, in pages at one revision", async () => {
    const entries: [string, string][] = [];
    for (let i = 0; i < 10_000; i++) entries.push([`/big/${String(i).padStart(5, "0")}`, `v${i}`]);
    await putMany(etcd.url, entries);
    const rev = await etcd.revision();
    const paged = new EtcdV3Backend({ endpoints: [etcd.url], pageLimit: 3000 });
    try {
      for (const b of [backend, paged]) {
        const snap = await b.getValues(["/big"]);
        assert.equal(snap.values.size, 10_000);
        assert.equal(snap.values.get("/big/09999"), "v9999");
        assert.equal(snap.index, rev);
      }
    } finally {
      await paged.close();
    }
  });

  it("watch wakes on a put made between read and watch, then on deletes; a sibling key does not wake it", async () => {
    await etcd.put("/w/a", "1");
    const snap = await backend.getValues(["/w/a"]);
    await etcd.put("/w/a/x", "2");
    const ctl = new AbortController();
    const w1 = await wakeWithin(backend.watch(["/w/a"], snap.index, ctl.signal), 5000);
    assert.notEqual(w1, "timeout");
    assert.deepEqual((w1 as WatchWake).changed, ["/w/a/x"]);

    const snap2 = await backend.getValues(["/w/a"]);
    const sibling = backend.watch(["/w/a"], snap2.index, ctl.signal);
    await etcd.put("/w/abc", "sibling");
    await etcd.put("/w/a-b", "sibling inside the watched range");
    assert.equal(await wakeWithin(sibling, 300), "timeout");
    await etcd.del("/w/a", { prefix: true });
    const w2 = await wakeWithin(sibling, 5000);
    assert.notEqual(w2, "timeout");
    assert.deepEqual((w2 as WatchWake).changed, ["/w/a", "/w/a/x"]);
    assert.ok((w2 as WatchWake).index > snap2.index);
    ctl.abort();
  });

  it("a key whose lease expires wakes the watch (the TTL pattern)", async () => {
    const lease = /lease ([0-9a-f]+) granted/.exec(await etcd.ctl(["lease", "grant", "1"]))?.[1];
    assert.ok(lease);
    await etcd.put("/ttl/node1", "up", { lease });
    const snap = await backend.getValues(["/ttl"]);
    assert.equal(snap.values.get("/ttl/node1"), "up");
    const ctl = new AbortController();
    const w = await wakeWithin(backend.watch(["/ttl"], snap.index, ctl.signal), 8000);
    assert.notEqual(w, "timeout");
    assert.deepEqual((w as WatchWake).changed, ["/ttl/node1"]);
    assert.equal((await backend.getValues(["/ttl"])).values.size, 0);
  });

  it("a caller from before an existing watch began is woken at once to re-read", async () => {
    await etcd.put("/old/k", "1");
    const early = await backend.getValues(["/old"]);
    await etcd.put("/old/k", "2");
    const late = await backend.getValues(["/old"]);
    const ctl = new AbortController();
    const pending = backend.watch(["/old"], late.index, ctl.signal);
    assert.equal(await wakeWithin(pending, 200), "timeout");
    const w = await wakeWithin(backend.watch(["/old"], early.index, ctl.signal), 1000);
    assert.notEqual(w, "timeout");
    ctl.abort();
    await pending.catch(() => {});
  });

  it("a watch behind a compaction wakes without a key list (the caller re-reads)", async () => {
    await etcd.put("/c/k", "1");
    const snap = await backend.getValues(["/c"]);
    for (let i = 0; i < 3; i++) await etcd.put("/c/k", `v${i}`);
    await etcd.ctl(["compact", String(await etcd.revision())]);
    const ctl = new AbortController();
    const w = await wakeWithin(backend.watch(["/c"], snap.index, ctl.signal), 5000);
    assert.notEqual(w, "timeout");
    assert.equal((w as WatchWake).changed, undefined);
    // The watch goes on from the current revision.
    const again = await backend.getValues(["/c"]);
    const next = backend.watch(["/c"], again.index, ctl.signal);
    await etcd.put("/c/k", "after");
    const w2 = await wakeWithin(next, 5000);
    assert.deepEqual((w2 as WatchWake).changed, ["/c/k"]);
  });

  it("many keys share one watch stream", async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `/many/k${i}`);
    const snap = await backend.getValues(keys);
    const ctl = new AbortController();
    const waits = keys.map((k) => backend.watch([k], snap.index, ctl.signal).catch(() => undefined));
    await etcd.put("/many/k7", "x");
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && await etcd.metric("etcd_debugging_mvcc_watcher_total") < 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await etcd.metric("etcd_debugging_mvcc_watch_stream_total"), 1);
    assert.ok(await etcd.metric("etcd_debugging_mvcc_watcher_total") >= 50);
    assert.deepEqual((await waits[7])?.changed, ["/many/k7"]);
    ctl.abort();
    await Promise.all(waits);
  });

  it("reports reads, watch creations and events to the observer", async () => {
    const seen: string[] = [];
    const observed = new EtcdV3Backend({
      endpoints: [etcd.url],
      observer: {
        request: (op, seconds, ok) => seen.push(`${op} ${ok} ${seconds >= 0}`),
        watchEvents: (n) => seen.push(`events ${n}`),
      },
    });
    try {
      const snap = await observed.getValues(["/obs"]);
      const ctl = new AbortController();
      const wake = observed.watch(["/obs"], snap.index, ctl.signal);
      await etcd.put("/obs/k", "1");
      await wake;
      assert.deepEqual(seen, ["get true true", "watch true true", "events 1"]);
    } finally {
      await observed.close();
    }
  });

  it("resumes after etcd restarts, without losing a change", async () => {
    await etcd.put("/r/k", "1");
    const snap = await backend.getValues(["/r"]);
    const ctl = new AbortController();
    const pending = backend.watch(["/r"], snap.index, ctl.signal);
    await new Promise((r) => setTimeout(r, 200));
    await etcd.stop();
    await new Promise((r) => setTimeout(r, 300));
    await etcd.start();
    await etcd.put("/r/k", "2");
    const w = await wakeWithin(pending, 10_000);
    assert.notEqual(w, "timeout");
    assert.deepEqual((w as WatchWake).changed, ["/r/k"]);
    assert.equal((await backend.getValues(["/r"])).values.get("/r/k"), "2");
  });
});

describe("etcdv3 backend, a revision too large for one watch reply", () => {
  // etcd splits a watch reply above --max-request-bytes + 512 KiB into fragments (watches ask for them).
  const etcd = new EtcdServer({ enableV2: false, args: ["--max-request-bytes=4096"] });
  let backend: EtcdV3Backend;
  const published: number[] = [];
  before(async () => {
    await etcd.start();
    backend = new EtcdV3Backend({ endpoints: [etcd.url], observer: { watchEvents: (n) => published.push(n) } });
  });
  after(async () => {
    await backend?.close();
    await etcd.destroy();
  });

  it("arrives in fragments, gathered into one change", async () => {
    // One delete of 6,000 keys of 100+ bytes: ~700 KB of events in one revision.
    const entries: [string, string][] = [];
    for (let i = 0; i < 6000; i++) entries.push([`/frag/${"k".repeat(100)}${i}`, "v"]);
    await putMany(etcd.url, entries, 30);
    const snap = await backend.getValues(["/frag"]);
    assert.equal(snap.values.size, 6000);
    const ctl = new AbortController();
    const wake = backend.watch(["/frag"], snap.index, ctl.signal);
    await etcd.del("/frag", { prefix: true });
    const w = await wakeWithin(wake, 4000);
    assert.notEqual(w, "timeout");
    // The feed lists at most 100 keys per wake.
    assert.equal((w as WatchWake).changed?.length, 100);
    assert.equal((w as WatchWake).index, await etcd.revision());
    assert.deepEqual(published, [6000], "one change holding every fragment's events");
    assert.equal((await backend.getValues(["/frag"])).values.size, 0);
  });
});
