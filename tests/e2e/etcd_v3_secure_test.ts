// -backend etcdv3 through the binary over TLS (a CA and certificates made here
// with openssl; etcd requiring client certificates) and with etcd's token auth
// (a 2 s token TTL: a watch outlives several expiries and a reconnect; a wrong
// password is one clear error that never shows the password).

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { EtcdServer } from "../helpers/etcd_server.ts";
import { makeCerts, type TestCerts } from "../helpers/openssl_certs.ts";
import { Daemon, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** A sandbox with one resource rendering `{{getv key}}` to out/t.conf. */
function setup(key: string, prefix: string): { sb: Sandbox; dest: string } {
  const sb = new Sandbox();
  mkdirSync(sb.path("out"));
  const dest = sb.path("out", "t.conf");
  const toml = `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["${prefix}"]\n`;
  sb.resource({ name: "t.toml", toml, tmplName: "t.tmpl", tmpl: `{{getv "${key}"}}\n` });
  return { sb, dest };
}

describe("etcdv3 over TLS with client certificates (binary)", () => {
  let pki: TestCerts;
  let etcd: EtcdServer;
  let certs: { cert: string; key: string };
  before(async () => {
    pki = makeCerts();
    certs = { cert: pki.clientCert, key: pki.clientKey };
    etcd = new EtcdServer({
      enableV2: false,
      tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey, clientCertAuth: true, client: certs },
    });
    await etcd.start();
    await etcd.ctl(["put", "/tls/k", "one"], { certs });
  });
  after(async () => {
    await etcd?.destroy();
    pki.remove();
  });

  it("reads and watches with -client-ca-keys, -client-cert and -client-key", async () => {
    const { sb, dest } = setup("/tls/k", "/tls");
    const tls = ["-client-ca-keys", pki.ca, "-client-cert", pki.clientCert, "-client-key", pki.clientKey];
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, ...tls, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "one\n", 10_000, () => d.stderr);
      await etcd.ctl(["put", "/tls/k", "two"], { certs });
      await waitFor(() => read(dest) === "two\n", 10_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  it("-client-insecure skips verification of the server certificate", async () => {
    const { sb, dest } = setup("/tls/k", "/tls");
    const tls = ["-client-insecure", "-client-cert", pki.clientCert, "-client-key", pki.clientKey];
    const r = await runReconfd(["-onetime", "-backend", "etcdv3", "-node", etcd.url, ...tls, "-confdir", sb.confdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(read(dest), "two\n");
  });

  it("a wrong CA and a missing client certificate are clear errors", async () => {
    const { sb } = setup("/tls/k", "/tls");
    const base = ["-onetime", "-backend", "etcdv3", "-node", etcd.url, "-confdir", sb.confdir];
    const wrongCa = await runReconfd([
      ...base,
      "-client-ca-keys",
      pki.otherCa,
      "-client-cert",
      pki.clientCert,
      "-client-key",
      pki.clientKey,
    ]);
    assert.equal(wrongCa.code, 1);
    assert.match(wrongCa.stderr, /ERROR connection to https:\/\/127\.0\.0\.1:\d+ failed: .*(certificate|verify)/i);
    const noCert = await runReconfd([...base, "-client-ca-keys", pki.ca]);
    assert.equal(noCert.code, 1);
    assert.match(
      noCert.stderr,
      /ERROR connection to https:\/\/127\.0\.0\.1:\d+ failed: .*may require a client certificate/,
    );
    const missing = await runReconfd([...base, "-client-ca-keys", sb.path("nope.pem")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read -client-ca-keys file ".*nope\.pem": ENOENT/);
  });
});

describe("etcdv3 with token auth (binary)", () => {
  const etcd = new EtcdServer({ enableV2: false, args: ["--auth-token-ttl=2"] });
  const root = { user: "root:rootpw" };
  const password = "alice-pw-do-not-log";
  before(async () => {
    await etcd.start();
    await etcd.ctl(["user", "add", "root:rootpw"]);
    await etcd.ctl(["role", "add", "reader"]);
    await etcd.ctl(["role", "grant-permission", "reader", "--prefix=true", "read", "/cfg"]);
    await etcd.ctl(["user", "add", `alice:${password}`]);
    await etcd.ctl(["user", "grant-role", "alice", "reader"]);
    await etcd.ctl(["auth", "enable"], root);
    await etcd.put("/cfg/a", "1", root);
  });
  after(() => etcd.destroy());

  it("a watch outlives several token expiries and a reconnect", async () => {
    const { sb, dest } = setup("/cfg/a", "/cfg");
    const auth = ["-basic-auth", "-username", "alice", "-password", password];
    const d = new Daemon(["-watch", "-backend", "etcdv3", "-node", etcd.url, ...auth, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "1\n", 10_000, () => d.stderr);
      await new Promise((r) => setTimeout(r, 5000));
      await etcd.put("/cfg/a", "2", root);
      await waitFor(() => read(dest) === "2\n", 10_000, () => d.stderr);
      // The stream breaks after the token expired: re-created with a fresh token, nothing lost.
      await etcd.stop();
      await new Promise((r) => setTimeout(r, 3000));
      await etcd.start();
      await etcd.put("/cfg/a", "3", root);
      await waitFor(() => read(dest) === "3\n", 30_000, () => d.stderr);
    } finally {
      assert.equal(await d.stop(), 0);
    }
    assert.doesNotMatch(d.stderr, new RegExp(password));
  });

  it("a wrong password is one clear error without the password", async () => {
    const { sb } = setup("/cfg/a", "/cfg");
    const auth = ["-basic-auth", "-username", "alice", "-password", "wrong-secret"];
    const r = await runReconfd(["-onetime", "-backend", "etcdv3", "-node", etcd.url, ...auth, "-confdir", sb.confdir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR etcd authentication failed for user "alice": .*invalid user ID or password/);
    assert.doesNotMatch(r.stderr, /wrong-secret/);
  });
});
