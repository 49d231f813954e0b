// The compiled binary on `-backend etcd` (etcd's v2 keys API) against real
// etcd: onetime reads of nested and awkward keys, confd's missing-key error;
// watch mode where changes made during a slow reload_cmd, a TTL key expiring
// and a recursive directory delete all end in a file equal to etcd's final
// state; "event index cleared" while the process is stopped (SIGSTOP); etcd
// stopped and restarted (idle CPU while down); no v2 API; basic auth; TLS.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import { EtcdServer } from "../helpers/etcd_server.ts";
import { makeCerts } from "../helpers/openssl_certs.ts";
import { Daemon, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";

function content(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** A confdir with one resource over `keys`, rendering `tmpl` into `<sandbox>/<name>.out`. */
function setup(sb: Sandbox, name: string, keys: string[], tmpl: string, extra = ""): string {
  const dest = sb.path(`${name}.out`);
  sb.resource({
    name: `${name}.toml`,
    toml: `[template]\nsrc = "${name}.tmpl"\ndest = "${dest}"\nkeys = ${JSON.stringify(keys)}\n${extra}`,
    tmplName: `${name}.tmpl`,
    tmpl,
  });
  return dest;
}

/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

describe("reconfd -backend etcd (v2 keys API)", () => {
  const e = new EtcdServer();
  before(async () => {
    await e.start();
  });
  after(async () => {
    await e.destroy();
  });

  it("onetime: nested directories, spaces, unicode and empty values render", async () => {
    await e.v2Put("/o1/app/name", "web");
    await e.v2Put("/o1/app/sub/deep/port", "8080");
    await e.v2Put("/o1/app/with space", "ü ✓");
    await e.v2Put("/o1/app/empty", "");
    const sb = new Sandbox();
    const dest = setup(
      sb,
      "o1",
      ["/o1/app"],
      '{{getv "/o1/app/name"}} {{getv "/o1/app/sub/deep/port"}} [{{getv "/o1/app/with space"}}] [{{getv "/o1/app/empty"}}]\n' +
        '{{range ls "/o1/app"}}{{.}},{{end}}\n',
    );
    const r = await runReconfd(["-onetime", "-backend", "etcdv2", "-node", e.endpoint, "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(content(dest), "web 8080 [ü ✓] []\nempty,name,sub,with space,\n");
    assert.match(r.stderr, /INFO Backend set to etcdv2\n/);
  });

  it("onetime: a missing key fails its resource with confd's message, exit 1", async () => {
    await e.v2Put("/o2/present", "x");
    const sb = new Sandbox();
    setup(sb, "o2", ["/o2/present", "/o2/nokey"], '{{getv "/o2/present"}}\n');
    const r = await runReconfd(["-onetime", "-node", e.url, "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR 100: Key not found \(\/o2\/nokey\) \[\d+\]\n/);
  });

  it("watch: changes during a slow reload_cmd, a TTL expiry and a directory delete end in etcd's final state", async () => {
    await e.v2Put("/w/up/a", "10.0.0.1");
    await e.v2Put("/w/up/b", "10.0.0.2");
    await e.v2Put("/w/dir/x/host", "10.1.0.1");
    await e.v2Put("/w/dir/y/host", "10.1.0.2");
    const sb = new Sandbox();
    const reloads = sb.path("reloads");
    const dest = setup(
      sb,
      "w",
      ["/w/up", "/w/dir"],
      '{{range gets "/w/up/*"}}{{base .Key}}={{.Value}}\n{{end}}{{range gets "/w/dir/*/host"}}{{.Value}}\n{{end}}',
      `reload_cmd = "echo r >> ${reloads}; sleep 1"\n`,
    );
    const d = new Daemon(["-watch", "-node", e.url, "-confdir", sb.confdir]);
    try {
      const want = (s: string) => waitFor(() => content(dest) === s, 15_000, () => `${content(dest)}\n${d.stderr}`);
      await want("a=10.0.0.1\nb=10.0.0.2\n10.1.0.1\n10.1.0.2\n");
      // Wait for the first reload to end, then start another and change everything while it sleeps.
      await waitFor(() => (content(reloads) ?? "").length === 2, 5000, () => d.stderr);
      await new Promise((r) => setTimeout(r, 1100));
      await e.v2Put("/w/up/a", "10.0.0.11");
      await waitFor(() => (content(reloads) ?? "").length === 4, 5000, () => d.stderr);
      await e.v2Put("/w/up/c", "10.0.0.3");
      await e.v2Put("/w/up/b", "10.0.0.22");
      await e.v2Delete("/w/up/a");
      await e.v2Put("/w/up/c", "10.0.0.33");
      await want("b=10.0.0.22\nc=10.0.0.33\n10.1.0.1\n10.1.0.2\n");
      // The TTL sidekick pattern: the key vanishes when it expires, and its line with it.
      await e.v2Put("/w/up/ttl", "10.0.0.9", { ttl: 2 });
      await want("b=10.0.0.22\nc=10.0.0.33\nttl=10.0.0.9\n10.1.0.1\n10.1.0.2\n");
      await want("b=10.0.0.22\nc=10.0.0.33\n10.1.0.1\n10.1.0.2\n");
      // A recursive directory delete is one event for the directory.
      await e.v2Delete("/w/dir/y", { recursive: true });
      await want("b=10.0.0.22\nc=10.0.0.33\n10.1.0.1\n");
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("watch: recovers from 'event index cleared' after being stopped while 1,100 writes went elsewhere", async () => {
    await e.v2Put("/c/k", "one");
    const sb = new Sandbox();
    const dest = setup(sb, "c", ["/c"], '{{getv "/c/k"}}\n');
    const d = new Daemon(["-watch", "-node", e.url, "-confdir", sb.confdir]);
    const pid = d.child.pid ?? 0;
    try {
      await waitFor(() => content(dest) === "one\n", 10_000, () => d.stderr);
      await new Promise((r) => setTimeout(r, 300));
      process.kill(pid, "SIGSTOP");
      try {
        await e.v2Put("/c/k", "two"); // answers the parked poll; the next poll asks from here + 1
        let next = 0;
        await Promise.all(Array.from({ length: 16 }, async () => {
          while (next < 1100) await e.v2Put(`/c-noise/n${next++ % 10}`, "x");
        }));
        await e.v2Put("/c/k", "three");
      } finally {
        process.kill(pid, "SIGCONT");
      }
      await waitFor(() => content(dest) === "three\n", 10_000, () => `${content(dest)}\n${d.stderr}`);
      assert.match(d.stderr, /INFO Watch on \/c fell behind etcd's event history \(index \d+ cleared\)/);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });

  it("watch: etcd stopped (idle CPU, one line per retry round) and restarted: catches up", async () => {
    await e.v2Put("/r/k", "before");
    const sb = new Sandbox();
    const dest = setup(sb, "r", ["/r"], '{{getv "/r/k"}}\n');
    const d = new Daemon(["-watch", "-node", e.url, "-confdir", sb.confdir]);
    try {
      await waitFor(() => content(dest) === "before\n", 10_000, () => d.stderr);
      await e.stop();
      await new Promise((r) => setTimeout(r, 1000));
      const pid = d.child.pid ?? 0;
      const ticks = cpuTicks(pid);
      const lines = d.stderr.split("\n").length;
      await new Promise((r) => setTimeout(r, 3000));
      const used = cpuTicks(pid) - ticks;
      // 3 s down: a few backoff rounds (0.5, 1, 2 s ...), each one line; CPU near zero (100 ticks = 1 s).
      assert.ok(used <= 15, `used ${used} ticks in 3 s while etcd was down`);
      const added = d.stderr.split("\n").slice(lines - 1).filter((l) => l.includes("Watch error:"));
      assert.ok(added.length >= 1 && added.length <= 4, d.stderr);
      await e.start();
      await e.v2Put("/r/k", "after");
      await waitFor(() => content(dest) === "after\n", 20_000, () => d.stderr);
      assert.match(d.stderr, /INFO Watch on \/r resumed at http:\/\/127\.0\.0\.1:\d+ from index \d+/);
    } finally {
      assert.equal(await d.stop("SIGTERM"), 0);
    }
  });
});

describe("reconfd -backend etcd: other servers", () => {
  it("an etcd without the v2 API is one FATAL line pointing at -backend etcdv3", async () => {
    const e = new EtcdServer({ enableV2: false });
    await e.start();
    try {
      const sb = new Sandbox();
      setup(sb, "n", ["/n"], "x\n");
      const r = await runReconfd(["-watch", "-node", e.url, "-confdir", sb.confdir]);
      assert.equal(r.code, 1);
      const fatal = r.stderr.split("\n").filter((l) => / (FATAL|ERROR) /.test(l));
      assert.equal(fatal.length, 1, r.stderr);
      assert.match(fatal[0], /FATAL etcd at http:\/\/127\.0\.0\.1:\d+ does not serve the v2 keys API .*--enable-v2/);
      assert.match(fatal[0], /use -backend etcdv3$/);
    } finally {
      await e.destroy();
    }
  });

  it("basic auth: -basic-auth -username -password read; a wrong password is a clear error without it", async () => {
    const e = new EtcdServer();
    await e.start();
    try {
      const root = async (path: string, method: string, body?: unknown) => {
        const r = await fetch(`${e.url}${path}`, {
          method,
          headers: { authorization: `Basic ${btoa("root:rootpw")}` },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        await r.body?.cancel().catch(() => {});
        assert.ok(r.ok, `${method} ${path}: ${r.status}`);
      };
      await e.v2Put("/a/k", "authed");
      await root("/v2/auth/users/root", "PUT", { user: "root", password: "rootpw" });
      await root("/v2/auth/enable", "PUT");
      await root("/v2/auth/roles/guest", "PUT", { role: "guest", revoke: { kv: { read: ["/*"], write: ["/*"] } } });
      const sb = new Sandbox();
      const dest = setup(sb, "a", ["/a"], '{{getv "/a/k"}}\n');
      const args = ["-onetime", "-node", e.url, "-confdir", sb.confdir, "-basic-auth", "-username", "root"];
      const ok = await runReconfd([...args, "-password", "rootpw"]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(content(dest), "authed\n");
      const bad = await runReconfd([...args, "-password", "S3cret-Wr0ng"]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /ERROR 110: The request requires user authentication \(Insufficient credentials\)/);
      assert.match(bad.stderr, /etcd refused user "root"; check -basic-auth, -username and -password/);
      assert.ok(!bad.stderr.includes("S3cret-Wr0ng"));
    } finally {
      await e.destroy();
    }
  });

  it("TLS: -client-ca-keys, -client-cert and -client-key against an etcd that requires client certificates", async () => {
    const certs = makeCerts();
    const tls = {
      ca: certs.ca,
      cert: certs.serverCert,
      key: certs.serverKey,
      clientCertAuth: true,
      clientCert: certs.clientCert,
      clientKey: certs.clientKey,
    };
    const e = new EtcdServer({ tls });
    await e.start();
    try {
      await new Promise<void>((resolve, reject) =>
        execFile(
          "curl",
          ["-sf", "--cacert", certs.ca, "--cert", certs.clientCert, "--key", certs.clientKey]
            .concat(["-XPUT", `${e.url}/v2/keys/t/k`, "-d", "value=over-tls"]),
          (err) => (err ? reject(err) : resolve()),
        )
      );
      const sb = new Sandbox();
      const dest = setup(sb, "t", ["/t"], '{{getv "/t/k"}}\n');
      const r = await runReconfd([
        "-onetime",
        "-confdir",
        sb.confdir,
        "-node",
        e.endpoint, // bare host:port: https because a CA is given
        "-client-ca-keys",
        certs.ca,
        "-client-cert",
        certs.clientCert,
        "-client-key",
        certs.clientKey,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(content(dest), "over-tls\n");
    } finally {
      await e.destroy();
      certs.remove();
    }
  });
});
