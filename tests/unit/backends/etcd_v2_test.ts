// The etcd v2 backend against a real etcd (Debian's etcd-server with
// --enable-v2): reads of nested directories and awkward keys, confd's missing
// key error, one long-poll for every watcher, resume from a snapshot's index,
// expire and directory-delete events, "event index cleared" recovery, idle
// re-arming, a restarted etcd, failover, no v2 API, basic auth and TLS.
// Keys are written through the harness or plain HTTP, never through the code under test.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BackendError, type BackendObserver, type Snapshot } from "../../../src/backends/backend.ts";
import { createEtcdV2Backend, EtcdV2Backend, type EtcdV2Options } from "../../../src/backends/etcd/v2_backend.ts";
import { defaultConfig } from "../../../src/config/settings.ts";
import { EtcdServer, freePort, startCluster } from "../../helpers/etcd_server.ts";
import { makeCerts, type TestCerts } from "../../helpers/openssl_certs.ts";
import { CaptureLogger } from "../runner/capture_logger.ts";

/** PUT through plain fetch, each segment percent-encoded (keys with `?`, `=`, `#` the harness cannot write). */
async function rawPut(e: EtcdServer, key: string, value: string): Promise<void> {
  const path = key.split("/").map(encodeURIComponent).join("/");
  const res = await fetch(`${e.url}/v2/keys${path}`, {
    method: "PUT",
    body: new URLSearchParams({ value }),
    signal: AbortSignal.timeout(5000),
  });
  assert.ok(res.ok, `PUT ${key}: ${res.status} ${await res.text()}`);
  await res.body?.cancel().catch(() => {});
}

/** Writes many keys with `parallel` requests at a time. */
async function putMany(e: EtcdServer, pairs: [string, string][], parallel = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const [k, v] = pairs[next++];
      await e.v2Put(k, v);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The store's X-Etcd-Index now. */
async function storeIndex(e: EtcdServer): Promise<bigint> {
  const res = await fetch(`${e.url}/v2/keys/`, { signal: AbortSignal.timeout(5000) });
  await res.body?.cancel().catch(() => {});
  return BigInt(res.headers.get("x-etcd-index") ?? "0");
}

function backend(e: EtcdServer | string[], opts: Partial<EtcdV2Options> = {}): EtcdV2Backend {
  return new EtcdV2Backend({ endpoints: Array.isArray(e) ? e : [e.url], backoff: { initialMs: 100 }, ...opts });
}

function obj(s: Snapshot): Record<string, string> {
  return Object.fromEntries(s.values);
}

/** Resolves with the watch's wake, or fails after `ms`. */
async function wakeWithin(p: Promise<{ index: bigint; changed?: readonly string[] }>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no wake within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `p` is still pending after `ms`. */
async function stillPending(p: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol("pending");
  const r = await Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(() => r(pending), ms))]);
  return r === pending;
}

describe("etcd v2 backend on one etcd", () => {
  const e = new EtcdServer();
  before(async () => {
    await e.start();
  });
  after(async () => {
    await e.destroy();
  });

  it("reads nested directories, empty values, and keys with spaces, unicode, %, ?, #", async () => {
    await e.v2Put("/r1/app/a", "1");
    await e.v2Put("/r1/app/sub/deeper/b", "2");
    await e.v2Put("/r1/app/empty", "");
    await e.v2Request("PUT", "/r1/app/emptydir?dir=true");
    for (const k of ["/r1/app/with space", "/r1/app/ünï/日本", "/r1/app/100%", "/r1/app/q?x=1", "/r1/app/h#x"]) {
      await rawPut(e, k, `v:${k}`);
    }
    await e.v2Put("/r1/apple", "not under /r1/app");
    const b = backend(e);
    try {
      const s = await b.getValues(["/r1/app"]);
      assert.deepEqual(obj(s), {
        "/r1/app/a": "1",
        "/r1/app/sub/deeper/b": "2",
        "/r1/app/empty": "",
        "/r1/app/with space": "v:/r1/app/with space",
        "/r1/app/ünï/日本": "v:/r1/app/ünï/日本",
        "/r1/app/100%": "v:/r1/app/100%",
        "/r1/app/q?x=1": "v:/r1/app/q?x=1",
        "/r1/app/h#x": "v:/r1/app/h#x",
      });
      // Each key by itself too (a leaf read), and the key filter: /r1/app/a does not pull /r1/apple.
      const one = await b.getValues(["/r1/app/q?x=1", "/r1/app/h#x", "/r1/app/100%", "/r1/app/with space"]);
      assert.equal(one.values.size, 4);
      assert.equal(one.values.get("/r1/app/q?x=1"), "v:/r1/app/q?x=1");
      assert.ok(s.index >= 1n && s.index <= (await storeIndex(e)));
    } finally {
      await b.close();
    }
  });

  it("a missing key fails the read with confd's message", async () => {
    await e.v2Put("/r2/present", "x");
    const b = backend(e);
    try {
      await assert.rejects(b.getValues(["/r2/present", "/r2/nokey"]), (err: Error) => {
        assert.ok(err instanceof BackendError);
        assert.match(err.message, /^100: Key not found \(\/r2\/nokey\) \[\d+\]$/);
        return true;
      });
    } finally {
      await b.close();
    }
  });

  it("reads 10,000 keys under one prefix", async () => {
    const pairs: [string, string][] = Array.from(
      { length: 10_000 },
      (_, i) => [`/big/k${String(i).padStart(5, "0")}`, `value-${i}`],
    );
    await putMany(e, pairs, 64);
    const b = backend(e);
    try {
      const s = await b.getValues(["/big"]);
      assert.equal(s.values.size, 10_000);
      assert.equal(s.values.get("/big/k09999"), "value-9999");
      assert.equal(s.values.get("/big/k00000"), "value-0");
    } finally {
      await b.close();
    }
  });

  it("refuses a response larger than its cap, saying so", async () => {
    await putMany(e, Array.from({ length: 30 }, (_, i) => [`/cap/k${i}`, "x".repeat(500)]));
    const b = backend(e, { maxBodyBytes: 10_000 });
    try {
      await assert.rejects(b.getValues(["/cap"]), /response larger than 10000 bytes, refused/);
    } finally {
      await b.close();
    }
  });

  it("serves every watcher from one long-poll and wakes only the ones whose keys changed", async () => {
    await e.v2Put("/w1/a/x", "1");
    await e.v2Put("/w1/b/y", "1");
    await e.v2Put("/w1/c", "1");
    const ops: string[] = [];
    let events = 0;
    const observer: BackendObserver = {
      request: (op, seconds, ok) => ops.push(`${op} ${ok} ${seconds >= 0}`),
      watchEvents: (n) => (events += n),
    };
    const b = backend(e, { observer });
    const ac = new AbortController();
    try {
      const before = await e.metric("etcd_debugging_store_watchers");
      const s = await b.getValues(["/w1/a", "/w1/b", "/w1/c"]);
      const wa = b.watch(["/w1/a"], s.index, ac.signal);
      const wb = b.watch(["/w1/b"], s.index, ac.signal);
      const wc = b.watch(["/w1/c"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await e.metric("etcd_debugging_store_watchers")) - before, 1);
      await e.v2Put("/w1/b/y", "2");
      const wake = await wakeWithin(wb, 5000);
      assert.deepEqual(wake.changed, ["/w1/b/y"]);
      assert.ok(await stillPending(wa, 200));
      assert.ok(await stillPending(wc, 0));
      // One read per key (the loop starts from their index, no extra read), one answered poll.
      assert.deepEqual(ops.filter((o) => o.startsWith("get")), ["get true true", "get true true", "get true true"]);
      assert.deepEqual(ops.filter((o) => o.startsWith("watch")), ["watch true true"]);
      assert.equal(events, 1);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a change made after the snapshot, before watch is called, wakes at once (resume, not now)", async () => {
    await e.v2Put("/w2/k", "1");
    const b = backend(e);
    const ac = new AbortController();
    try {
      // Another resource's watch starts the loop; this one is still "processing".
      await e.v2Put("/w2/other", "1");
      const s = await b.getValues(["/w2/k"]);
      const other = b.watch(["/w2/other"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 200));
      await e.v2Put("/w2/k", "2");
      await e.v2Put("/w2/k", "3");
      await new Promise((r) => setTimeout(r, 200));
      const wake = await wakeWithin(b.watch(["/w2/k"], s.index, ac.signal), 2000);
      assert.deepEqual(wake.changed, ["/w2/k"]);
      assert.equal(obj(await b.getValues(["/w2/k"]))["/w2/k"], "3");
      assert.ok(await stillPending(other, 0));
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a TTL key that expires wakes its watcher and is gone from the next read", async () => {
    await e.v2Put("/w3/services/web/host0", "10.0.0.0");
    await e.v2Put("/w3/services/web/host1", "10.0.0.1", { ttl: 1 });
    const b = backend(e);
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/w3/services/web"]);
      assert.equal(s.values.size, 2);
      const wake = await wakeWithin(b.watch(["/w3/services/web"], s.index, ac.signal), 10_000);
      assert.deepEqual(wake.changed, ["/w3/services/web/host1"]);
      assert.deepEqual(obj(await b.getValues(["/w3/services/web"])), { "/w3/services/web/host0": "10.0.0.0" });
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a recursive directory delete (one event) wakes watchers of keys under it", async () => {
    await e.v2Put("/w4/dir/sub/a", "1");
    await e.v2Put("/w4/dir/sub/b", "2");
    await e.v2Put("/w4/keep", "1");
    const log = new CaptureLogger();
    const b = backend(e, { log });
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/w4/dir/sub/a", "/w4/keep"]);
      const w = b.watch(["/w4/dir/sub/a"], s.index, ac.signal);
      const keep = b.watch(["/w4/keep"], s.index, ac.signal);
      await e.v2Delete("/w4/dir", { recursive: true });
      const wake = await wakeWithin(w, 5000);
      assert.deepEqual(wake.changed, ["/w4/dir"]);
      assert.match(log.text(), /DEBUG Watch event: delete \/w4\/dir at index \d+/);
      assert.ok(await stillPending(keep, 200));
      await assert.rejects(b.getValues(["/w4/dir/sub/a"]), /100: Key not found/);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("recovers from 'event index cleared' (more than 1000 events elsewhere) by a resync", async () => {
    await e.v2Put("/w5/k", "1");
    const log = new CaptureLogger();
    const b = backend(e, { log });
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/w5/k"]);
      // The loop has not started: its first poll will ask for history that is gone.
      await putMany(e, Array.from({ length: 1100 }, (_, i) => [`/w5noise/n${i % 10}`, String(i)]), 16);
      const wake = await wakeWithin(b.watch(["/w5/k"], s.index, ac.signal), 5000);
      assert.equal(wake.changed, undefined, "a resync wake lists no keys: the caller re-reads");
      assert.ok(wake.index >= s.index + 1100n);
      assert.match(log.text(), /INFO Watch on \/w5\/k fell behind etcd's event history \(index \d+ cleared\)/);
      // Watching on from the re-read's index sees the next write.
      const again = await b.getValues(["/w5/k"]);
      const next = b.watch(["/w5/k"], again.index, ac.signal);
      assert.ok(await stillPending(next, 200));
      await e.v2Put("/w5/k", "2");
      assert.deepEqual((await wakeWithin(next, 5000)).changed, ["/w5/k"]);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("re-arms an idle poll from its X-Etcd-Index + 1, so a quiet key never falls behind", async () => {
    await e.v2Put("/w6/quiet", "1");
    const log = new CaptureLogger();
    const b = backend(e, { log, pollTimeoutMs: 150 });
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/w6/quiet"]);
      const w = b.watch(["/w6/quiet"], s.index, ac.signal);
      // 1,500 writes elsewhere over a few poll periods; each re-armed poll starts past them.
      for (let i = 0; i < 5; i++) {
        await putMany(e, Array.from({ length: 300 }, (_, j) => [`/w6noise/n${j % 10}`, String(j)]), 16);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(await stillPending(w, 0));
      await e.v2Put("/w6/quiet", "2");
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/w6/quiet"]);
      assert.doesNotMatch(log.text(), /fell behind/);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a key outside the polled directory re-arms the poll on a wider one, losing nothing", async () => {
    await e.v2Put("/w7/a/k", "1");
    await e.v2Put("/w7b/k", "1");
    const b = backend(e);
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/w7/a/k", "/w7b/k"]);
      const wa = b.watch(["/w7/a/k"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 200));
      await e.v2Put("/w7b/k", "2");
      // Registered after the write: the new poll starts from the same index, so it is seen.
      const wb = b.watch(["/w7b/k"], s.index, ac.signal);
      assert.deepEqual((await wakeWithin(wb, 5000)).changed, ["/w7b/k"]);
      await e.v2Put("/w7/a/k", "2");
      assert.deepEqual((await wakeWithin(wa, 5000)).changed, ["/w7/a/k"]);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a resource without keys reads nothing and its watch waits without polling", async () => {
    const ops: string[] = [];
    const b = backend(e, { observer: { request: (op) => ops.push(op) } });
    const ac = new AbortController();
    try {
      const s = await b.getValues([]);
      assert.equal(s.values.size, 0);
      assert.ok(s.index > 0n, "index 0 would make the runner's watch return at once");
      assert.ok(await stillPending(b.watch([], s.index, ac.signal), 300));
      assert.deepEqual(ops, []);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("watch rejects with the signal's reason on abort; close ends the loop", async () => {
    await e.v2Put("/w8/k", "1");
    const b = backend(e);
    const s = await b.getValues(["/w8/k"]);
    const ac = new AbortController();
    const w = b.watch(["/w8/k"], s.index, ac.signal);
    ac.abort("stop");
    await assert.rejects(w, (r) => r === "stop");
    const start = Date.now();
    await b.close();
    assert.ok(Date.now() - start < 1000);
  });
});

describe("etcd v2 backend when etcd goes away", () => {
  it("retries with backoff, one line per round, and catches up after a restart", async () => {
    const e = new EtcdServer();
    await e.start();
    const log = new CaptureLogger();
    const reconnects: string[] = [];
    const observer: BackendObserver = { reconnect: (ep) => reconnects.push(ep) };
    const b = backend(e, { log, observer, backoff: { initialMs: 200, maxMs: 800 } });
    const ac = new AbortController();
    try {
      await e.v2Put("/d/k", "1");
      const s = await b.getValues(["/d/k"]);
      const w = b.watch(["/d/k"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 200));
      await e.stop();
      await new Promise((r) => setTimeout(r, 2000));
      const rounds = log.lines.filter((l) => l.startsWith("WARNING Watch error:"));
      // 0.2 + 0.4 + 0.8 + 0.8 s ... in 2 s: a handful of rounds, not a flood.
      assert.ok(rounds.length >= 2 && rounds.length <= 6, log.text());
      assert.match(rounds[0], /connection refused|connection reset|closed/);
      assert.match(rounds[0], /; retrying in \d+\.\ds$/);
      assert.ok(reconnects.length >= 2);
      await assert.rejects(
        b.getValues(["/d/k"]),
        /: client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/,
      );
      await e.start();
      // Said as soon as etcd answers again, not at the next change.
      for (let i = 0; i < 50 && !/resumed/.test(log.text()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(log.text(), /INFO Watch on \/d\/k resumed at http:\/\/127\.0\.0\.1:\d+ from index \d+/);
      await e.v2Put("/d/k", "2");
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/d/k"]);
    } finally {
      ac.abort();
      await b.close();
      await e.destroy();
    }
  });

  it("an etcd restarted with empty data (its index went back): every watcher re-reads, and later changes come", async () => {
    const e = new EtcdServer();
    await e.start();
    const log = new CaptureLogger();
    const b = backend(e, { log, backoff: { initialMs: 100, maxMs: 400 } });
    const ac = new AbortController();
    try {
      await putMany(e, Array.from({ length: 200 }, (_, i) => [`/old/k${i % 5}`, String(i)]));
      await e.v2Put("/z/k", "old");
      const s = await b.getValues(["/z/k"]);
      const w = b.watch(["/z/k"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 200));
      await e.stop();
      rmSync(join(e.dataDir, "data"), { recursive: true, force: true });
      await e.start();
      await e.v2Put("/z/k", "new");
      const wake = await wakeWithin(w, 10_000);
      assert.equal(wake.changed, undefined);
      assert.match(log.text(), /WARNING etcd's index went back from \d+ to \d+ \(a new or restored etcd\?\)/);
      const again = await b.getValues(["/z/k"]);
      assert.deepEqual(obj(again), { "/z/k": "new" });
      assert.ok(again.index < s.index);
      // The old snapshot's index is recognised as from before the reset: re-read at once.
      assert.equal((await wakeWithin(b.watch(["/z/k"], s.index, ac.signal), 1000)).changed, undefined);
      const next = b.watch(["/z/k"], again.index, ac.signal);
      assert.ok(await stillPending(next, 200));
      await e.v2Put("/z/k", "newer");
      assert.deepEqual((await wakeWithin(next, 5000)).changed, ["/z/k"]);
    } finally {
      ac.abort();
      await b.close();
      await e.destroy();
    }
  });

  it("fails over to the next endpoint for reads and the watch", async () => {
    const e = new EtcdServer();
    await e.start();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const b = backend([dead, e.url]);
    const ac = new AbortController();
    try {
      await e.v2Put("/f/k", "1");
      const s = await b.getValues(["/f/k"]);
      assert.deepEqual(obj(s), { "/f/k": "1" });
      const w = b.watch(["/f/k"], s.index, ac.signal);
      await e.v2Put("/f/k", "2");
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/f/k"]);
    } finally {
      ac.abort();
      await b.close();
      await e.destroy();
    }
  });
});

describe("etcd v2 backend on a 3-member cluster", () => {
  it("the watch moves to another member when its member stops, and misses nothing", async () => {
    const members = await startCluster(3);
    const log = new CaptureLogger();
    const b = backend(members.map((m) => m.url), { log, backoff: { initialMs: 100, maxMs: 400 } });
    const ac = new AbortController();
    try {
      await members[0].v2Put("/cl/k", "1");
      const s = await b.getValues(["/cl/k"]);
      const w = b.watch(["/cl/k"], s.index, ac.signal);
      await new Promise((r) => setTimeout(r, 300));
      await members[0].stop();
      await members[1].v2Put("/cl/k", "2");
      assert.deepEqual((await wakeWithin(w, 10_000)).changed, ["/cl/k"]);
      const again = await b.getValues(["/cl/k"]);
      assert.deepEqual(obj(again), { "/cl/k": "2" });
      // Later changes keep coming through the member that answered.
      const next = b.watch(["/cl/k"], again.index, ac.signal);
      await members[2].v2Put("/cl/k", "3");
      assert.deepEqual((await wakeWithin(next, 10_000)).changed, ["/cl/k"]);
    } finally {
      ac.abort();
      await b.close();
      await Promise.all(members.map((m) => m.destroy()));
    }
  });
});

describe("etcd v2 backend against a server without the v2 API", () => {
  it("says so in one line and points at -backend etcdv3", async () => {
    const e = new EtcdServer({ enableV2: false });
    await e.start();
    try {
      const config = { ...defaultConfig(), onetime: true, nodes: [e.url] };
      await assert.rejects(createEtcdV2Backend(config), (err: Error) => {
        assert.ok(err instanceof BackendError);
        assert.match(err.message, /does not serve the v2 keys API/);
        assert.match(err.message, /--enable-v2/);
        assert.match(err.message, /use -backend etcdv3$/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
      const b = backend(e);
      await assert.rejects(b.getValues(["/x"]), /does not serve the v2 keys API/);
      await b.close();
    } finally {
      await e.destroy();
    }
  });
});

describe("etcd v2 backend with basic auth", () => {
  const e = new EtcdServer();
  const root = (path: string, method: string, body?: unknown, auth = "root:rootpw") =>
    fetch(`${e.url}${path}`, {
      method,
      headers: { authorization: `Basic ${btoa(auth)}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    }).then(async (r) => {
      await r.body?.cancel().catch(() => {});
      assert.ok(r.ok, `${method} ${path}: ${r.status}`);
    });
  before(async () => {
    await e.start();
    await e.v2Put("/auth/k", "secret-value");
    await root("/v2/auth/users/root", "PUT", { user: "root", password: "rootpw" });
    await root("/v2/auth/enable", "PUT");
    await root("/v2/auth/roles/guest", "PUT", { role: "guest", revoke: { kv: { read: ["/*"], write: ["/*"] } } });
  });
  after(async () => {
    await e.destroy();
  });

  it("reads and watches with -basic-auth -username -password", async () => {
    const config = {
      ...defaultConfig(),
      nodes: [e.url],
      basicAuth: true,
      username: "root",
      password: "rootpw",
    };
    const b = await createEtcdV2Backend(config);
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/auth"]);
      assert.deepEqual(obj(s), { "/auth/k": "secret-value" });
      const w = b.watch(["/auth"], s.index, ac.signal);
      await e.v2Put("/auth/k", "v2", { auth: "root:rootpw" });
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/auth/k"]);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a user allowed only some directories: watching keys across them says which directory it needs", async () => {
    await root("/v2/auth/roles/app-reader", "PUT", { role: "app-reader", permissions: { kv: { read: ["/auth/*"] } } });
    await root("/v2/auth/users/app", "PUT", { user: "app", password: "apppw", roles: ["app-reader"] });
    await e.v2Put("/other/k", "x", { auth: "root:rootpw" });
    const log = new CaptureLogger();
    const b = backend(e, { auth: { username: "app", password: "apppw" }, log, backoff: { initialMs: 100 } });
    const ac = new AbortController();
    try {
      // Inside its directory: reads and watches work.
      const s = await b.getValues(["/auth/k"]);
      const w = b.watch(["/auth/k"], s.index, ac.signal);
      await e.v2Put("/auth/k", "by-root", { auth: "root:rootpw" });
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/auth/k"]);
      await assert.rejects(b.getValues(["/other/k"]), /110: The request requires user authentication/);
      // A second key elsewhere widens the poll to "/", which the user may not read.
      void b.watch(["/other/k"], s.index, ac.signal).catch(() => {});
      for (let i = 0; i < 50 && !/Watch error/.test(log.text()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(
        log.text(),
        /WARNING Watch error: 110: .*etcd refused user "app".* \(the watch reads \/, the deepest directory holding every watched key\); retrying in/,
      );
      assert.doesNotMatch(log.text(), /apppw/);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("a wrong password is a clear error that does not show the password", async () => {
    const password = "Wr0ng-Pa55word";
    const b = await createEtcdV2Backend({
      ...defaultConfig(),
      nodes: [e.url],
      basicAuth: true,
      username: "root",
      password,
    });
    try {
      await assert.rejects(b.getValues(["/auth"]), (err: Error) => {
        assert.match(err.message, /^110: The request requires user authentication \(Insufficient credentials\)/);
        assert.match(err.message, /etcd refused user "root"; check -basic-auth, -username and -password/);
        assert.ok(!err.message.includes(password));
        return true;
      });
    } finally {
      await b.close();
    }
    const anon = backend(e);
    await assert.rejects(anon.getValues(["/auth"]), /anonymous requests \(no -basic-auth\)/);
    await anon.close();
  });
});

describe("etcd v2 backend over TLS", () => {
  let certs: TestCerts;
  let e: EtcdServer;
  /** A v2 PUT with curl over mTLS (the harness writes plain HTTP only). */
  const curlPut = (key: string, value: string) =>
    new Promise<void>((resolve, reject) => {
      execFile(
        "curl",
        ["-sf", "--cacert", certs.ca, "--cert", certs.clientCert, "--key", certs.clientKey]
          .concat(["-XPUT", `${e.url}/v2/keys${key}`, "-d", `value=${value}`]),
        { timeout: 10_000 },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  before(async () => {
    certs = makeCerts();
    e = new EtcdServer({
      tls: {
        ca: certs.ca,
        cert: certs.serverCert,
        key: certs.serverKey,
        clientCertAuth: true,
        clientCert: certs.clientCert,
        clientKey: certs.clientKey,
      },
    });
    await e.start();
    await curlPut("/tls/k", "1");
  });
  after(async () => {
    await e.destroy();
    certs.remove();
  });
  const tlsConfig = () => ({
    ...defaultConfig(),
    nodes: [e.url],
    clientCaKeys: certs.ca,
    clientCert: certs.clientCert,
    clientKey: certs.clientKey,
  });

  it("reads and watches with a CA and a client certificate", async () => {
    const b = await createEtcdV2Backend(tlsConfig());
    const ac = new AbortController();
    try {
      const s = await b.getValues(["/tls"]);
      assert.deepEqual(obj(s), { "/tls/k": "1" });
      const w = b.watch(["/tls"], s.index, ac.signal);
      await curlPut("/tls/k", "2");
      assert.deepEqual((await wakeWithin(w, 5000)).changed, ["/tls/k"]);
    } finally {
      ac.abort();
      await b.close();
    }
  });

  it("refuses a server its CA did not sign, unless -client-insecure", async () => {
    const wrong = await createEtcdV2Backend({ ...tlsConfig(), clientCaKeys: certs.otherCa });
    await assert.rejects(wrong.getValues(["/tls"]), /unavailable or misconfigured; error #0: tls: /);
    await wrong.close();
    const log = new CaptureLogger();
    const insecure = await createEtcdV2Backend({ ...tlsConfig(), clientCaKeys: certs.otherCa, clientInsecure: true }, {
      log,
    });
    assert.deepEqual(obj(await insecure.getValues(["/tls"])), { "/tls/k": "2" });
    await insecure.close();
    assert.deepEqual(log.lines, ["WARNING TLS Client config running insecure mode. Skip server CA verification."]);
  });

  it("without a client certificate the server refuses the handshake", async () => {
    const b = await createEtcdV2Backend({ ...tlsConfig(), clientCert: "", clientKey: "" });
    await assert.rejects(b.getValues(["/tls"]), /unavailable or misconfigured; error #0: tls: /);
    await b.close();
  });

  it("names a missing certificate file and the flag", async () => {
    await assert.rejects(
      createEtcdV2Backend({ ...tlsConfig(), clientCert: "/nonexistent/c.pem" }),
      /: cannot read -client-cert file \/nonexistent\/c\.pem: /,
    );
  });
});
