// -backend etcdv3 through the compiled binary against a real etcd: reads of
// odd keys and 10,000 keys, watch with a slow reload_cmd, bursts under -wait,
// compaction while behind, etcd down (idle CPU, few log lines) and back, and
// one watch stream for 50 resources.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { EtcdServer } from "../helpers/etcd_server.ts";
import { Daemon, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";

const LIST = '{{range gets "/w/*"}}{{.Key}}={{.Value}}\n{{end}}';

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** CPU ticks (utime + stime, 1/100 s) a process has used, from /proc/PID/stat. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** Writes many keys through etcd's JSON gateway, 100 puts per transaction. */
async function putMany(url: string, entries: [string, string][]): Promise<void> {
  const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  for (let i = 0; i < entries.length; i += 100) {
    const success = entries.slice(i, i + 100).map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } }));
    const res = await fetch(`${url}/v3/kv/txn`, { method: "POST", body: JSON.stringify({ success }) });
    assert.equal(res.status, 200);
  }
}

describe("etcdv3 backend (binary)", () => {
  const etcd = new EtcdServer({ enableV2: false });
  before(() => etcd.start());
  after(() => etcd.destroy());

  /** A sandbox with one resource rendering `tmpl` over `keys` to out/<name>.conf; returns dest. */
  function setup(tmpl: string, keys: string[], extra = ""): { sb: Sandbox; dest: string } {
    const sb = new Sandbox();
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    const toml = `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ${JSON.stringify(keys)}\n${extra}`;
    sb.resource({ name: "t.toml", toml, tmplName: "t.tmpl", tmpl });
    return { sb, dest };
  }

  it("-onetime renders nested keys, spaces, unicode, a trailing /, empty values and 10,000 keys", async () => {
    await etcd.put("/o/db/host", "10.0.0.1");
    await etcd.put("/o/db/hostname", "sibling");
    await etcd.put("/o/with space/ключ", "значение ✓");
    await etcd.put("/o/empty", "");
    await etcd.put("/inventory/", "slash");
    const entries: [string, string][] = [];
    for (let i = 0; i < 10_000; i++) entries.push([`/big/${String(i).padStart(5, "0")}`, `v${i}`]);
    await putMany(etcd.url, entries);
    const tmpl = [
      '{{getv "/o/db/host"}}',
      '{{getv "/o/with space/ключ"}}',
      '[{{getv "/o/empty"}}]',
      '{{getv "/inventory"}}', // confd's store cleans the backend key /inventory/
      '{{exists "/o/db/hostname"}} {{exists "/missing"}}',
      '{{len (gets "/big/*")}} {{getv "/big/09999"}}',
      "",
    ].join("\n");
    const { sb, dest } = setup(tmpl, ["/o/db/host", "/o/with space", "/o/empty", "/inventory/", "/missing", "/big"]);
    const r = await runReconfd(["-onetime", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(read(dest), "10.0.0.1\nзначение ✓\n[]\nslash\nfalse false\n10000 v9999\n");
  });

  it("watch: puts, updates and deletes during a slow reload_cmd end in the final state", async () => {
    await etcd.put("/w/a", "1");
    const { sb, dest } = setup(LIST, ["/w"], 'reload_cmd = "sleep 1"\n');
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "/w/a=1\n", 10_000, () => d.stderr);
      await etcd.put("/w/b", "2");
      await new Promise((r) => setTimeout(r, 300));
      await etcd.put("/w/a", "updated");
      await etcd.put("/w/c", "3");
      await etcd.del("/w/b");
      await waitFor(() => read(dest) === "/w/a=updated\n/w/c=3\n", 15_000, () => `${read(dest)}\n${d.stderr}`);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  it("watch: 100 rapid updates with -wait 200ms render the final value with few reloads", async () => {
    await etcd.put("/burst/v", "start");
    const { sb, dest } = setup('{{getv "/burst/v"}}\n', ["/burst"], 'reload_cmd = "echo r >> reloads"\n');
    const args = ["-watch", "-wait", "200ms", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir];
    const d = new Daemon(args, { cwd: sb.dir });
    try {
      await waitFor(() => read(dest) === "start\n", 10_000, () => d.stderr);
      const entries: [string, string][] = [];
      for (let i = 1; i <= 100; i++) entries.push(["/burst/v", `n${i}`]);
      // One transaction per update: 100 revisions in quick succession.
      for (const e of entries) await putMany(etcd.url, [e]);
      await waitFor(() => read(dest) === "n100\n", 10_000, () => `${read(dest)}\n${d.stderr}`);
      await new Promise((r) => setTimeout(r, 500));
      const reloads = (read(sb.path("reloads")) ?? "").split("\n").filter(Boolean).length;
      assert.ok(reloads >= 1 && reloads <= 10, `reloads: ${reloads}`);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  it("watch: compaction while the watcher is behind recovers to the final state", async () => {
    await etcd.put("/cp/v", "0");
    const { sb, dest } = setup('{{getv "/cp/v"}}\n', ["/cp"], 'reload_cmd = "sleep 3"\n');
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "0\n", 10_000, () => d.stderr);
      // The initial reload_cmd runs 3 s and the watch is created after it, from the revision read at
      // start: changes and a compaction past that revision now leave the watcher behind.
      await etcd.put("/cp/v", "1");
      await etcd.put("/cp/v", "2");
      await etcd.ctl(["compact", String(await etcd.revision())]);
      await waitFor(() => read(dest) === "2\n", 15_000, () => `${read(dest)}\n${d.stderr}`);
      assert.match(d.stderr, /WARNING etcd compacted its history up to revision \d+, past the watch on "\/cp"/);
      await etcd.put("/cp/v", "3");
      await waitFor(() => read(dest) === "3\n", 15_000, () => `${read(dest)}\n${d.stderr}`);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  it("watch: etcd down costs no CPU and few log lines; after a restart the change is rendered", async () => {
    await etcd.put("/down/v", "before");
    const { sb, dest } = setup('{{getv "/down/v"}}\n', ["/down"]);
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "before\n", 10_000, () => d.stderr);
      await etcd.stop();
      await new Promise((r) => setTimeout(r, 1000));
      const pid = d.child.pid as number;
      const ticks = cpuTicks(pid);
      const lines = d.stderr.split("\n").length;
      await new Promise((r) => setTimeout(r, 4000));
      const used = cpuTicks(pid) - ticks;
      const logged = d.stderr.split("\n").length - lines;
      assert.ok(used <= 10, `CPU ticks while etcd was down for 4 s: ${used}`);
      assert.ok(logged <= 6, `log lines while etcd was down for 4 s: ${logged}\n${d.stderr}`);
      await etcd.start();
      await etcd.put("/down/v", "after");
      await waitFor(() => read(dest) === "after\n", 40_000, () => `${read(dest)}\n${d.stderr}`);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  it("watch: 50 resources share one watch stream", async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path("out"));
    for (let i = 0; i < 50; i++) {
      await Promise.resolve();
      const dest = sb.path("out", `r${i}.conf`);
      const toml = `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/fifty/k${i}"]\n`;
      sb.resource({
        name: `r${i}.toml`,
        toml,
        tmplName: "t.tmpl",
        tmpl: '{{range gets "/fifty/*"}}{{.Value}}{{end}}\n',
      });
    }
    const before = await etcd.metric("etcd_debugging_mvcc_watch_stream_total");
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(sb.path("out", "r49.conf")) !== undefined, 10_000, () => d.stderr);
      await etcd.put("/fifty/k7", "seven");
      await waitFor(() => read(sb.path("out", "r7.conf")) === "seven\n", 10_000, () => d.stderr);
      assert.equal(await etcd.metric("etcd_debugging_mvcc_watch_stream_total") - before, 1);
      assert.equal(await etcd.metric("etcd_debugging_mvcc_watcher_total"), 50);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });
});
