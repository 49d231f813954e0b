// The watch mirrors of the etcdv3 backend: the seeding rule and event application
// on their own, then against a real etcd: after each change a woken read is
// answered without a request to etcd and equals a fresh read at the same
// revision; a resource over two watched keys is read from etcd unless both
// mirrors stand at one revision; a compaction gap drops the mirror.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Snapshot, WatchWake } from "../../../src/backends/backend.ts";
import { EtcdV3Backend } from "../../../src/backends/etcd/v3_backend.ts";
import { canSeed, WatchMirror } from "../../../src/backends/etcd/watch_mirror.ts";
import { EtcdServer } from "../../helpers/etcd_server.ts";
import { TcpGate } from "../../helpers/tcp_gate.ts";

describe("watch mirror", () => {
  it("is seeded only by a read the watch continues from without a gap", () => {
    const cases: { name: string; read: bigint; next: bigint; coversFrom: bigint; ok: boolean }[] = [
      { name: "read at the watch's start", read: 9n, next: 10n, coversFrom: 10n, ok: true },
      { name: "read newer than what the watch delivered", read: 15n, next: 10n, coversFrom: 10n, ok: true },
      { name: "read older than delivered events", read: 8n, next: 10n, coversFrom: 5n, ok: false },
      { name: "read before the watch's first covered revision", read: 3n, next: 5n, coversFrom: 5n, ok: false },
      { name: "read after compaction recovery", read: 20n, next: 21n, coversFrom: 21n, ok: true },
    ];
    for (const c of cases) assert.equal(canSeed(c.read, c), c.ok, c.name);
  });

  it("applies a response's events in order, skips those it holds already, moves only forward", () => {
    const m = new WatchMirror(10n, new Map([["/a", "1"], ["/b", "1"]]));
    m.apply([
      { key: "/a", value: "old", revision: 9n },
      { key: "/c", value: "3", revision: 11n },
      { key: "/c", value: undefined, revision: 11n },
      { key: "/b", value: "2", revision: 11n },
      { key: "/d", value: "", revision: 12n },
    ]);
    const out = new Map<string, string>();
    m.copyInto(out);
    assert.deepEqual(Object.fromEntries(out), { "/a": "1", "/b": "2", "/d": "" });
    assert.equal(m.revision, 12n);
    m.advance(11n);
    assert.equal(m.revision, 12n);
    m.advance(30n);
    assert.equal(m.revision, 30n);
  });
});

/** Puts raw bytes through etcd's JSON gateway (independent of the code under test); a txn when several. */
async function txn(url: string, ops: ({ put: string; value: Uint8Array | string } | { del: string })[]) {
  const b64 = (v: Uint8Array | string) =>
    btoa(String.fromCharCode(...(typeof v === "string" ? new TextEncoder().encode(v) : v)));
  const success = ops.map((op) =>
    "put" in op
      ? { request_put: { key: b64(op.put), value: b64(op.value) } }
      : { request_delete_range: { key: b64(op.del) } }
  );
  const res = await fetch(`${url}/v3/kv/txn`, { method: "POST", body: JSON.stringify({ success }) });
  assert.equal(res.status, 200, await res.text());
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => timer = setTimeout(() => reject(new Error(`no ${what}`)), ms));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("etcdv3 backend watch mirrors", () => {
  const etcd = new EtcdServer({ enableV2: false });
  before(async () => {
    await etcd.start();
  });
  after(async () => {
    await etcd.destroy();
  });

  /** A backend on `url` counting its Range requests. */
  function counted(url: string): { backend: EtcdV3Backend; gets: () => number } {
    let gets = 0;
    const backend = new EtcdV3Backend({
      endpoints: [url],
      observer: { request: (op) => op === "get" && gets++ },
    });
    return { backend, gets: () => gets };
  }

  /** Waits for the change `change` makes after `since`, then reads as the runner does after a wake. */
  async function changeAndRead(
    backend: EtcdV3Backend,
    keys: string[],
    since: bigint,
    change: () => Promise<void>,
  ): Promise<{ wake: WatchWake; read: Snapshot }> {
    const ctl = new AbortController();
    const pending = backend.watch(keys, since, ctl.signal);
    await change();
    const wake = await within(pending, 5000, "wake");
    return { wake, read: await backend.getValues(keys, undefined, { wokenAt: wake.index }) };
  }

  it("answers each woken read without asking etcd, equal to a fresh read at the same revision", async () => {
    const { backend, gets } = counted(etcd.url);
    try {
      await txn(etcd.url, [{ put: "/mir/k0", value: "start" }]);
      let since = (await backend.getValues(["/mir"])).index;
      // The first wake's read goes to etcd (no mirror yet) and seeds the mirror.
      ({ read: { index: since } } = await changeAndRead(
        backend,
        ["/mir"],
        since,
        () => txn(etcd.url, [{ put: "/mir/k1", value: "1" }]),
      ));
      const seeded = gets();
      const ops: (() => Promise<void>)[] = [
        () => txn(etcd.url, [{ put: "/mir/k2", value: "ключ ✓" }]),
        () => txn(etcd.url, [{ put: "/mir/k1", value: "" }, { put: "/mir-sibling", value: "x" }]),
        () => txn(etcd.url, [{ put: "/mir/raw", value: new Uint8Array([0xff, 0x61]) }]),
        () => txn(etcd.url, [{ put: "/mir/k3/deep", value: "d" }, { del: "/mir/k0" }, { put: "/mir/k2", value: "2" }]),
        () => txn(etcd.url, [{ del: "/mir/k1" }]),
        () => txn(etcd.url, [{ put: "/mir/", value: "slash" }, { put: "/mira", value: "not under /mir" }]),
        () => etcd.del("/mir/k3", { prefix: true }),
      ];
      for (const [i, op] of ops.entries()) {
        const { read } = await changeAndRead(backend, ["/mir"], since, op);
        const fresh = await backend.getValues(["/mir"]);
        assert.deepEqual(Object.fromEntries(read.values), Object.fromEntries(fresh.values), `op ${i}`);
        assert.equal(read.index, fresh.index, `op ${i}: the mirror's revision is etcd's`);
        since = read.index;
      }
      // One Range per fresh read above, none for the woken reads.
      assert.equal(gets() - seeded, ops.length);
    } finally {
      await backend.close();
    }
  });

  it("reads two watched keys from etcd unless both mirrors stand at one revision", async () => {
    const { backend, gets } = counted(etcd.url);
    const keys = ["/two/p", "/two/q"];
    try {
      await txn(etcd.url, [{ put: "/two/p/x", value: "1" }, { put: "/two/q/x", value: "1" }]);
      let since = (await backend.getValues(keys)).index;
      // Seeds both mirrors at one revision.
      ({ read: { index: since } } = await changeAndRead(
        backend,
        keys,
        since,
        () => txn(etcd.url, [{ put: "/two/p/y", value: "2" }]),
      ));
      // Only p's watch hears of this: q's mirror cannot vouch for that revision, so etcd is asked.
      const before = gets();
      let r = await changeAndRead(backend, keys, since, () => txn(etcd.url, [{ put: "/two/p/y", value: "3" }]));
      assert.equal(gets() - before, keys.length, "read from etcd (one Range per key)");
      assert.equal(r.read.values.get("/two/p/y"), "3");
      since = r.read.index;
      // Both mirrors recent enough for the caller, but at different revisions (q changed since):
      // their union may be half of a transaction, so etcd is asked.
      const q = await changeAndRead(backend, ["/two/q"], since, () => txn(etcd.url, [{ put: "/two/q/x", value: "2" }]));
      const beforeMixed = gets();
      const mixed = await backend.getValues(keys, undefined, { wokenAt: since });
      assert.equal(gets() - beforeMixed, keys.length, "mirrors at different revisions: read from etcd");
      assert.equal(mixed.values.get("/two/q/x"), "2");
      since = q.read.index;
      // One transaction over both: whether the mirrors answer (both replies in) or etcd does (q's
      // reply still on its way), the read is that transaction's state, never half of it.
      r = await changeAndRead(
        backend,
        keys,
        since,
        () => txn(etcd.url, [{ put: "/two/p/y", value: "4" }, { del: "/two/q/x" }]),
      );
      const fresh = await backend.getValues(keys);
      assert.deepEqual(Object.fromEntries(r.read.values), { "/two/p/x": "1", "/two/p/y": "4" });
      assert.deepEqual(Object.fromEntries(fresh.values), Object.fromEntries(r.read.values));
      assert.equal(r.read.index, fresh.index);
    } finally {
      await backend.close();
    }
  });

  it("drops a mirror the watch could not keep up (compacted while cut off): the next read asks etcd", async () => {
    const gate = await new TcpGate(etcd.url).start();
    const { backend, gets } = counted(gate.url());
    try {
      await txn(etcd.url, [{ put: "/gap/a", value: "1" }, { put: "/gap/b", value: "1" }]);
      let since = (await backend.getValues(["/gap"])).index;
      ({ read: { index: since } } = await changeAndRead(
        backend,
        ["/gap"],
        since,
        () => txn(etcd.url, [{ put: "/gap/a", value: "2" }]),
      ));
      // Cut off, /gap/b changes and etcd compacts that change away.
      gate.cut();
      await txn(etcd.url, [{ put: "/gap/b", value: "2" }]);
      // Compacting at a revision keeps that revision: one more, elsewhere, and compact at it.
      await txn(etcd.url, [{ put: "/elsewhere", value: "x" }]);
      await etcd.ctl(["compact", String(await etcd.revision())]);
      gate.open();
      // The watch resumes past the gap; the feed says "re-read" (no key list).
      const ctl = new AbortController();
      const resync = await within(backend.watch(["/gap"], since, ctl.signal), 10_000, "resync");
      assert.equal(resync.changed, undefined);
      // A change after the gap, read after its wake: a kept mirror would still say b=1.
      const before = gets();
      const { read } = await changeAndRead(
        backend,
        ["/gap"],
        resync.index,
        () => txn(etcd.url, [{ put: "/gap/a", value: "3" }]),
      );
      assert.deepEqual(Object.fromEntries(read.values), { "/gap/a": "3", "/gap/b": "2" });
      assert.equal(gets() - before, 1, "read from etcd");
    } finally {
      await backend.close();
      await gate.close();
    }
  });
});
