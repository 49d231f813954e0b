// etcd v3 benchmark against a local etcd started here: getValues latency of the
// etcdv3 backend (warm median); `reconfd -onetime` against `etcdctl get --prefix`
// (wall time, CPU time and peak RSS, medians of 5) over 10 / 1,000 / 10,000 keys; and the
// watch latency from an acknowledged put to the rendered file (200 changes).
// Run: scripts/bench etcd [watch]   (builds nothing: uses dist/reconfd; run scripts/build first;
// `watch` runs the watch latency part only)

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { EtcdV3Backend } from "../src/backends/etcd/v3_backend.ts";
import { ETCDCTL_BIN, EtcdServer } from "../tests/helpers/etcd_server.ts";

const BINARY = join(import.meta.dirname ?? ".", "..", "dist", "reconfd");
const SIZES = [10, 1_000, 10_000];
const WATCH_ONLY = process.argv.slice(2).includes("watch");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

async function putMany(url: string, entries: [string, string][]): Promise<void> {
  const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  for (let i = 0; i < entries.length; i += 100) {
    const success = entries.slice(i, i + 100).map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } }));
    const res = await fetch(`${url}/v3/kv/txn`, { method: "POST", body: JSON.stringify({ success }) });
    if (!res.ok) throw new Error(`txn: ${res.status}`);
  }
}

interface Run {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

/** Wall ms, CPU ms (user + system) and peak RSS (MB) of one run, from GNU time. */
function timed(cmd: string, args: string[], env: Record<string, string>): Run {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", cmd, ...args], { env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [secs, user, sys, kb] = String(r.stderr).trim().split("\n").pop()!.split(" ").map(Number);
  return { ms: secs * 1000, cpuMs: (user + sys) * 1000, rssMb: kb / 1024 };
}

async function main(): Promise<void> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} missing: run scripts/build first`);
  const etcd = await new EtcdServer({ enableV2: false }).start();
  const work = mkdtempSync(join(tmpdir(), "reconfd-bench-"));
  try {
    if (WATCH_ONLY) return await watchLatency(etcd, work);
    for (const n of SIZES) {
      const entries: [string, string][] = [];
      for (let i = 0; i < n; i++) {
        entries.push([`/b${n}/node${String(i).padStart(5, "0")}`, `10.0.${i >> 8}.${i & 255}:80`]);
      }
      await putMany(etcd.url, entries);
    }
    console.log(
      "| keys | getValues (warm median) | reconfd -onetime wall / CPU / RSS | etcdctl get --prefix wall / CPU / RSS |",
    );
    console.log("|---|---|---|---|");
    const backend = new EtcdV3Backend({ endpoints: [etcd.url] });
    for (const n of SIZES) {
      const lat: number[] = [];
      for (let i = 0; i < 25; i++) {
        const t = performance.now();
        await backend.getValues([`/b${n}`]);
        if (i >= 5) lat.push(performance.now() - t);
      }
      const confdir = join(work, `c${n}`);
      mkdirSync(join(confdir, "conf.d"), { recursive: true });
      mkdirSync(join(confdir, "templates"), { recursive: true });
      writeFileSync(
        join(confdir, "conf.d", "t.toml"),
        `[template]\nsrc = "t.tmpl"\ndest = "${join(work, `out${n}`)}"\nkeys = ["/b${n}"]\n`,
      );
      writeFileSync(join(confdir, "templates", "t.tmpl"), `{{range gets "/b${n}/*"}}server {{.Value}};\n{{end}}`);
      const args = ["-onetime", "-backend", "etcdv3", "-node", etcd.url, "-confdir", confdir, "-log-level", "error"];
      const env = { CONFD_CONFIG_FILE: "/nonexistent" };
      const ours = Array.from({ length: 5 }, () => timed(BINARY, args, env));
      const ctl = Array.from(
        { length: 5 },
        () => timed(ETCDCTL_BIN, [`--endpoints=${etcd.url}`, "get", "--prefix", `/b${n}`], { ETCDCTL_API: "3" }),
      );
      const fmt = (rs: Run[]) =>
        `${median(rs.map((r) => r.ms)).toFixed(0)} ms / ${median(rs.map((r) => r.cpuMs)).toFixed(0)} ms / ` +
        `${median(rs.map((r) => r.rssMb)).toFixed(0)} MB`;
      console.log(`| ${n} | ${median(lat).toFixed(1)} ms | ${fmt(ours)} | ${fmt(ctl)} |`);
    }
    await backend.close();
    await watchLatency(etcd, work);
  } finally {
    await etcd.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * put acknowledged -> rendered file, over 200 changes, with a watching reconfd. dest lies in a
 * directory of its own watched with inotify (fs.watch), so the bench learns of the rename at once
 * instead of polling on a timer; a 5 ms poll backs it up.
 */
async function watchLatency(etcd: EtcdServer, work: string): Promise<void> {
  const confdir = join(work, "watch");
  const outDir = join(work, "watch-out");
  const dest = join(outDir, "watch.out");
  mkdirSync(join(confdir, "conf.d"), { recursive: true });
  mkdirSync(join(confdir, "templates"), { recursive: true });
  mkdirSync(outDir);
  writeFileSync(join(confdir, "conf.d", "t.toml"), `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/lat"]\n`);
  writeFileSync(join(confdir, "templates", "t.tmpl"), '{{getv "/lat/v"}}\n');
  await putMany(etcd.url, [["/lat/v", "start"]]);
  const child = spawn(BINARY, ["-watch", "-backend", "etcdv3", "-node", etcd.url, "-confdir", confdir], {
    stdio: "ignore",
    env: { ...process.env, CONFD_CONFIG_FILE: "/nonexistent" },
  });
  let wake: (() => void) | undefined;
  const watcher = watch(outDir, () => wake?.());
  const read = () => existsSync(dest) ? readFileSync(dest, "utf8") : "";
  const until = async (want: string) => {
    const end = Date.now() + 10_000;
    while (read() !== want) {
      if (Date.now() > end) throw new Error(`watch never rendered ${want}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 5);
      });
    }
  };
  try {
    await until("start\n");
    const lat: number[] = [];
    const rtt: number[] = [];
    for (let i = 0; i < 200; i++) {
      const sent = performance.now();
      await putMany(etcd.url, [["/lat/v", `v${i}`]]);
      const acked = performance.now();
      rtt.push(acked - sent);
      await until(`v${i}\n`);
      lat.push(performance.now() - acked);
    }
    console.log(
      `\nwatch: put acknowledged -> file rendered, 200 changes: median ${median(lat).toFixed(1)} ms, ` +
        `p99 ${percentile(lat, 0.99).toFixed(1)} ms (the put's own round trip: median ${median(rtt).toFixed(1)} ms)`,
    );
  } finally {
    watcher.close();
    child.kill("SIGTERM");
  }
}

await main();
