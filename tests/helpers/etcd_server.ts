// Real etcd for the tests: starts Debian's etcd-server (single members or a
// 3-member cluster) on free loopback ports with its own temp data dir, waits
// for /health, and stops it by PID. Also small independent writers (etcdctl for
// v3, plain HTTP for v2), so a test never writes through the code under test.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

export const ETCD_BIN = process.env.ETCD_BIN ?? "/usr/bin/etcd";
export const ETCDCTL_BIN = process.env.ETCDCTL_BIN ?? "/usr/bin/etcdctl";

/** Ports this process handed out already: the kernel may offer a released one again at once. */
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1 (bound, read, released), never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EtcdTls {
  /** CA that signed the server and client certificates (PEM file). */
  ca: string;
  /** Server certificate and key (PEM files). */
  cert: string;
  key: string;
  /** Require client certificates (--client-cert-auth). Default false. */
  clientCertAuth?: boolean;
  /** Client certificate and key etcdctl presents (health checks, writes); needed with clientCertAuth. */
  client?: { cert: string; key: string };
  /** Client certificate and key the harness's own etcdctl calls present (needed with clientCertAuth). */
  clientCert?: string;
  clientKey?: string;
}

export interface EtcdOptions {
  /** Serve the v2 keys API too (--enable-v2). Default true. */
  enableV2?: boolean;
  /** Extra etcd flags, e.g. ["--auth-token-ttl=2", "--experimental-watch-progress-notify-interval=1s"]. */
  args?: string[];
  /** Serve clients over TLS with these files. */
  tls?: EtcdTls;
}

/** One etcd member; `start()` may be called again after `stop()` (same ports, same data). */
export class EtcdServer {
  readonly name: string;
  readonly dataDir: string;
  clientPort = 0;
  peerPort = 0;
  /** `name=peerURL,...` of the whole cluster; set by startCluster for members. */
  initialCluster = "";
  child: ChildProcess | undefined;
  log = "";
  readonly #opts: EtcdOptions;
  readonly #ownsDir: boolean;

  constructor(opts: EtcdOptions = {}, name = "etcd0", dataDir?: string) {
    this.name = name;
    this.#opts = opts;
    this.#ownsDir = dataDir === undefined;
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), "reconfd-etcd-"));
  }

  get scheme(): string {
    return this.#opts.tls ? "https" : "http";
  }
  /** The client URL, e.g. http://127.0.0.1:23790. */
  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.clientPort}`;
  }
  /** host:port, as confd users write -node. */
  get endpoint(): string {
    return `127.0.0.1:${this.clientPort}`;
  }
  get peerUrl(): string {
    return `http://127.0.0.1:${this.peerPort}`;
  }

  async allocatePorts(): Promise<void> {
    if (this.clientPort === 0) this.clientPort = await freePort();
    if (this.peerPort === 0) this.peerPort = await freePort();
  }

  /** Starts etcd and waits until it answers /health (or throws with its log after `ms`). */
  async start(ms = 20_000): Promise<this> {
    await this.allocatePorts();
    const o = this.#opts;
    const args = [
      `--name=${this.name}`,
      `--data-dir=${join(this.dataDir, "data")}`,
      `--listen-client-urls=${this.url}`,
      `--advertise-client-urls=${this.url}`,
      `--listen-peer-urls=${this.peerUrl}`,
      `--initial-advertise-peer-urls=${this.peerUrl}`,
      `--initial-cluster=${this.initialCluster || `${this.name}=${this.peerUrl}`}`,
      "--initial-cluster-state=new",
      "--logger=zap",
      "--log-outputs=stderr",
      ...(o.enableV2 === false ? [] : ["--enable-v2"]),
      ...(o.tls
        ? [
          `--trusted-ca-file=${o.tls.ca}`,
          `--cert-file=${o.tls.cert}`,
          `--key-file=${o.tls.key}`,
          ...(o.tls.clientCertAuth ? ["--client-cert-auth"] : []),
        ]
        : []),
      ...(o.args ?? []),
    ];
    this.log = "";
    const child = spawn(ETCD_BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    child.stderr?.on("data", (b) => {
      // Bounded: a long test must not grow the log without end.
      this.log = (this.log + b).slice(-200_000);
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`etcd ${this.name} exited at start:\n${this.log}`);
      if (await this.healthy()) return this;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    }
    await this.stop();
    throw new Error(`etcd ${this.name} not healthy after ${ms} ms:\n${this.log}`);
  }

  /** True when GET /health answers {"health":"true"} (TLS: checked with etcdctl instead). */
  async healthy(): Promise<boolean> {
    if (this.#opts.tls) {
      const r = await run(ETCDCTL_BIN, [...this.ctlFlags(), "endpoint", "health"]).catch(() => undefined);
      return r !== undefined;
    }
    try {
      const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
      const body = await res.text();
      return res.ok && body.includes('"true"');
    } catch {
      return false;
    }
  }

  /** Stops etcd by PID (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    if (child.pid !== undefined) process.kill(child.pid, signal);
    const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops etcd and removes its data dir (when the harness made it). */
  async destroy(): Promise<void> {
    await this.stop("SIGKILL");
    if (this.#ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** etcdctl flags reaching this member (v3 API). */
  ctlFlags(extra: { user?: string } = {}): string[] {
    const t = this.#opts.tls;
    return [
      `--endpoints=${this.url}`,
      "--dial-timeout=2s",
      "--command-timeout=5s",
      ...(t ? [`--cacert=${t.ca}`] : []),
      ...(t?.client ? [`--cert=${t.client.cert}`, `--key=${t.client.key}`] : []),
      ...(t?.clientCert && t.clientKey ? [`--cert=${t.clientCert}`, `--key=${t.clientKey}`] : []),
      ...(extra.user ? [`--user=${extra.user}`] : []),
    ];
  }

  /** Runs `etcdctl` (v3) against this member; resolves with stdout, rejects with stderr. */
  ctl(args: string[], opts: { user?: string; certs?: { cert: string; key: string } } = {}): Promise<string> {
    const base = this.ctlFlags({ user: opts.user });
    const certs = opts.certs ? [`--cert=${opts.certs.cert}`, `--key=${opts.certs.key}`] : [];
    // Certificates given here replace the harness's own client certificate.
    const flags = opts.certs ? base.filter((f) => !/^--(cert|key)=/.test(f)) : base;
    return run(ETCDCTL_BIN, [...flags, ...certs, ...args]);
  }

  /** v3 put through etcdctl (value passed as an argument; "--" guards values starting with "-"). */
  async put(key: string, value: string, opts: { lease?: string; user?: string } = {}): Promise<void> {
    const lease = opts.lease ? [`--lease=${opts.lease}`] : [];
    await this.ctl(["put", ...lease, "--", key, value], { user: opts.user });
  }

  /** v3 delete of a key, or of everything under it with `prefix`. */
  async del(key: string, opts: { prefix?: boolean; user?: string } = {}): Promise<void> {
    await this.ctl(["del", ...(opts.prefix ? ["--prefix"] : []), "--", key], { user: opts.user });
  }

  /** The current v3 revision (from `etcdctl endpoint status`). */
  async revision(): Promise<bigint> {
    const out = await this.ctl(["endpoint", "status", "-w", "json"]);
    const m = /"revision":(\d+)/.exec(out);
    if (!m) throw new Error(`no revision in etcdctl output: ${out}`);
    return BigInt(m[1]);
  }

  /** v2 write: PUT /v2/keys<key> with value (and ttl seconds); dir=true makes a directory. */
  async v2Put(key: string, value: string, opts: { ttl?: number; auth?: string } = {}): Promise<void> {
    const body = new URLSearchParams({ value });
    if (opts.ttl !== undefined) body.set("ttl", String(opts.ttl));
    await this.v2Request("PUT", key, body, opts.auth);
  }

  /** v2 delete (recursive for directories). */
  async v2Delete(key: string, opts: { recursive?: boolean; auth?: string } = {}): Promise<void> {
    await this.v2Request("DELETE", key + (opts.recursive ? "?recursive=true" : ""), undefined, opts.auth);
  }

  async v2Request(method: string, keyAndQuery: string, body?: URLSearchParams, auth?: string): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = `Basic ${btoa(auth)}`;
    const path = keyAndQuery.split("/").map((s) => encodeURIComponent(s).replace(/%3F/g, "?").replace(/%3D/g, "="))
      .join("/");
    const res = await fetch(`${this.url}/v2/keys${path}`, { method, body, headers, signal: AbortSignal.timeout(5000) });
    const json = await res.json();
    if (!res.ok) throw new Error(`v2 ${method} ${keyAndQuery}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Reads one Prometheus metric's value from etcd's /metrics (sum over its label sets), or 0. */
  async metric(name: string): Promise<number> {
    const res = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5000) });
    let sum = 0;
    for (const line of (await res.text()).split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) sum += Number(line.split(" ").pop());
    }
    return sum;
  }
}

/** Starts `n` members as one cluster (all with `opts`), in parallel. */
export async function startCluster(n = 3, opts: EtcdOptions = {}): Promise<EtcdServer[]> {
  const members = Array.from({ length: n }, (_, i) => new EtcdServer(opts, `m${i}`));
  for (const m of members) await m.allocatePorts();
  const initial = members.map((m) => `${m.name}=${m.peerUrl}`).join(",");
  for (const m of members) m.initialCluster = initial;
  await Promise.all(members.map((m) => m.start(30_000)));
  return members;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, ETCDCTL_API: "3" }, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}
