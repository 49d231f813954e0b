// The merge: defaults < confd.toml < CONFD_* env < flags, then validation and
// the derived node list. Real files in a temp directory, real env maps.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/config/errors.ts";
import { readEnv } from "../../../src/config/env.ts";
import { loadConfig, type LoadInput } from "../../../src/config/resolve.ts";
import { SETTINGS, type SettingValue } from "../../../src/config/settings.ts";

const dir = mkdtempSync(join(tmpdir(), "reconfd-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function confFile(text: string): string {
  const path = join(dir, `confd${fileCount++}.toml`);
  writeFileSync(path, text);
  return path;
}

function load(opts: { file?: string; env?: Record<string, string>; flags?: Record<string, SettingValue> } = {}) {
  const flags = new Map<string, SettingValue>(Object.entries(opts.flags ?? {}));
  flags.set("config-file", opts.file === undefined ? join(dir, "missing.toml") : confFile(opts.file));
  const input: LoadInput = { flags, env: opts.env ?? {} };
  return loadConfig(input);
}

async function problems(opts: Parameters<typeof load>[0]): Promise<string[]> {
  try {
    await load(opts);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems.map((p) => p.message);
  }
  assert.fail("expected a ConfigError");
}

describe("config precedence", () => {
  const cases: {
    name: string;
    opts: Parameters<typeof load>[0];
    field: "backend" | "interval" | "nodes";
    want: unknown;
  }[] = [
    { name: "defaults apply with no other source", opts: {}, field: "interval", want: 600 },
    { name: "confd.toml beats defaults", opts: { file: "interval = 5" }, field: "interval", want: 5 },
    {
      name: "env beats confd.toml",
      opts: { file: "interval = 5", env: { CONFD_INTERVAL: "7" } },
      field: "interval",
      want: 7,
    },
    {
      name: "flags beat env and confd.toml",
      opts: { file: 'backend = "file"', env: { CONFD_BACKEND: "env" }, flags: { backend: "etcdv3" } },
      field: "backend",
      want: "etcdv3",
    },
    {
      name: "-node replaces confd.toml nodes instead of adding to them",
      opts: { file: 'nodes = ["http://file:1"]', flags: { node: ["http://flag:1"] } },
      field: "nodes",
      want: ["http://flag:1"],
    },
    {
      name: "CONFD_NODES is comma-separated and trimmed",
      opts: { env: { CONFD_BACKEND: "etcdv3", CONFD_NODES: "http://a:1, http://b:2," } },
      field: "nodes",
      want: ["http://a:1", "http://b:2"],
    },
    {
      name: "an empty env var counts as unset",
      opts: { file: "interval = 5", env: { CONFD_INTERVAL: "" } },
      field: "interval",
      want: 5,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => assert.deepEqual((await load(c.opts)).config[c.field], c.want));
  }
  it("records the config file that was read", async () => {
    const { config } = await load({ file: "" });
    assert.match(config.configFile, /confd\d+\.toml$/);
  });
  it("treats a missing config file as empty", async () => {
    const { config, notices } = await load();
    assert.equal(config.configFile, "");
    assert.equal(notices[0].level, "debug");
  });
  it("takes the config file path from CONFD_CONFIG_FILE", async () => {
    const path = confFile('backend = "env"');
    const { config } = await loadConfig({ flags: new Map(), env: { CONFD_CONFIG_FILE: path } });
    assert.equal(config.backend, "env");
  });
});

describe("derived settings", () => {
  const cases: { name: string; opts: Parameters<typeof load>[0]; want: string[] }[] = [
    { name: "etcd defaults to the local client port", opts: {}, want: ["http://127.0.0.1:2379"] },
    {
      name: "etcd takes ETCDCTL_PEERS when no nodes are set",
      opts: { env: { ETCDCTL_PEERS: "http://p:1,http://q:2" } },
      want: ["http://p:1", "http://q:2"],
    },
    {
      name: "etcdv2 (etcd's alias) takes ETCDCTL_PEERS too",
      opts: { env: { ETCDCTL_PEERS: "p:1" }, flags: { backend: "etcdv2" } },
      want: ["http://p:1"],
    },
    {
      name: "ETCDCTL_PEERS does not override configured nodes",
      opts: { env: { ETCDCTL_PEERS: "http://p:1" }, flags: { node: ["http://n:1"] } },
      want: ["http://n:1"],
    },
    {
      name: "etcdv3 defaults to 127.0.0.1:2379",
      opts: { flags: { backend: "etcdv3" } },
      want: ["http://127.0.0.1:2379"],
    },
    {
      name: "a node without a scheme gets http://",
      opts: { flags: { node: ["127.0.0.1:4001"] } },
      want: ["http://127.0.0.1:4001"],
    },
    {
      name: "a node without a scheme gets https:// when a CA is set",
      opts: { flags: { node: ["e:2379"], "client-ca-keys": "/ca.pem" } },
      want: ["https://e:2379"],
    },
    { name: "a node with a scheme is kept", opts: { flags: { node: ["https://e:2379"] } }, want: ["https://e:2379"] },
    { name: "env has no nodes", opts: { flags: { backend: "env" } }, want: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => assert.deepEqual((await load(c.opts)).config.nodes, c.want));
  }
  it("looks nodes up in SRV records, with the scheme for etcd", async () => {
    const looked: string[] = [];
    const { config } = await loadConfig({
      flags: new Map<string, SettingValue>([["config-file", join(dir, "none")], ["srv-domain", "example.com"]]),
      env: {},
      lookupSrv: (name) => {
        looked.push(name);
        return Promise.resolve([{ name: "e1.example.com.", port: 2379 }, { name: "::1", port: 4001 }]);
      },
    });
    assert.deepEqual(looked, ["_etcd._tcp.example.com."]);
    assert.deepEqual(config.nodes, ["http://e1.example.com:2379", "http://[::1]:4001"]);
  });
  it("fails with the record name when SRV lookup fails", async () => {
    await assert.rejects(
      loadConfig({
        flags: new Map<string, SettingValue>([["config-file", join(dir, "none")], ["srv-record", "_x._tcp.nowhere."]]),
        env: {},
        lookupSrv: () => Promise.reject(new Error("queryNs ENOTFOUND")),
      }),
      /cannot get nodes from SRV record _x\._tcp\.nowhere\.: lookup _x\._tcp\.nowhere\.( on [^:]+)?: queryNs ENOTFOUND$/,
    );
  });
  it("reads an empty backend, log level or log format as the default, as confd does", async () => {
    const { config } = await load({ file: 'backend = ""\nlog-level = ""', flags: { "log-format": "" } });
    assert.deepEqual([config.backend, config.logLevel, config.logFormat], ["etcd", "info", "text"]);
  });
  it("normalises log level aliases", async () => {
    for (const [given, want] of [["WARN", "warning"], ["Debug", "debug"], ["trace", "debug"], ["panic", "fatal"]]) {
      assert.equal((await load({ flags: { "log-level": given } })).config.logLevel, want);
    }
  });
  it("sets singleResource when -config-file is a template resource", async () => {
    const { config, notices } = await load({ file: '[template]\nsrc = "a.tmpl"\ndest = "/tmp/a"\nkeys = ["/a"]' });
    assert.match(config.singleResource, /confd\d+\.toml$/);
    assert.equal(config.configFile, "");
    assert.equal(notices[0].level, "info");
    assert.match(notices[0].msg, /is a template resource/);
  });
});

describe("config errors", () => {
  const supported = "supported backends: etcd, etcdv2, etcdv3, file, env";
  const cases: { name: string; opts: Parameters<typeof load>[0]; want: RegExp }[] = [
    {
      name: "an unsupported backend from a flag",
      opts: { flags: { backend: "consul" } },
      want: new RegExp(`^flag -backend: backend "consul" is not supported by reconfd; ${supported}$`),
    },
    {
      name: "an unknown backend from env",
      opts: { env: { CONFD_BACKEND: "mysql" } },
      want: new RegExp(`^CONFD_BACKEND: invalid backend "mysql"; ${supported}$`),
    },
    {
      name: "an unsupported backend from the file, with its line",
      opts: { file: '\nbackend = "vault"' },
      want: /confd\d+\.toml:2: key "backend": backend "vault" is not supported/,
    },
    {
      name: "a bad log level",
      opts: { flags: { "log-level": "verbose" } },
      want: /^flag -log-level: not a valid level: "verbose"; expected debug, info, warning, error or fatal$/,
    },
    {
      name: "a bad log format",
      opts: { env: { CONFD_LOG_FORMAT: "xml" } },
      want: /^CONFD_LOG_FORMAT: invalid log format "xml"; expected text or json$/,
    },
    {
      name: "a bad integer in env",
      opts: { env: { CONFD_INTERVAL: "10s" } },
      want: /^CONFD_INTERVAL: invalid value "10s": expected an integer$/,
    },
    {
      name: "a bad boolean in env",
      opts: { env: { CONFD_ONETIME: "yes" } },
      want: /^CONFD_ONETIME: invalid value "yes": expected a boolean/,
    },
    { name: "an unknown key in the file", opts: { file: "x = 1" }, want: /confd\d+\.toml:1: unknown key "x"$/ },
  ];
  for (const c of cases) {
    it(`names the source of ${c.name}`, async () => {
      const found = await problems(c.opts);
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0], c.want);
    });
  }
  it("reports problems from every source at once", async () => {
    const found = await problems({ file: "x = 1", env: { CONFD_INTERVAL: "z" }, flags: { backend: "redis" } });
    assert.equal(found.length, 3);
  });
  it("reports an unreadable config file", async () => {
    await assert.rejects(
      loadConfig({ flags: new Map([["config-file", dir]]), env: {} }),
      (err: unknown) => err instanceof ConfigError && /: cannot read config file: /.test(err.message),
    );
  });
});

describe("CONFD_* variables", () => {
  it("every setting has a variable named after a confd.toml key", () => {
    for (const s of SETTINGS) {
      assert.ok(s.toml.some((k) => `CONFD_${k.toUpperCase().replaceAll("-", "_")}` === s.env), s.env);
    }
  });
  it("keeps confd's names for the client TLS variables", () => {
    const layer = readEnv({ CONFD_CLIENT_CAKEYS: "/ca", CONFD_CLIENT_CERT: "/c", CONFD_CLIENT_KEY: "/k" }).layer;
    assert.deepEqual({ ...layer }, { clientCaKeys: "/ca", clientCert: "/c", clientKey: "/k" });
  });
  it("reads every kind of value", () => {
    const layer = readEnv({
      CONFD_SYNC_ONLY: "true",
      CONFD_KEEP_STAGE_FILE: "1",
      CONFD_INTERVAL: "0x10",
      CONFD_FILE: "a.yaml,b.yaml",
      CONFD_LOG_LEVEL: "debug",
    }).layer;
    assert.deepEqual({ ...layer }, {
      syncOnly: true,
      keepStageFile: true,
      interval: 16,
      file: ["a.yaml", "b.yaml"],
      logLevel: "debug",
    });
  });
  it("ignores unrelated variables", () => {
    assert.deepEqual({ ...readEnv({ PATH: "/bin", CONFD_NOT_A_SETTING: "x" }).layer }, {});
  });
});

describe("derived settings (wait, bootstrap, exec, interval set)", () => {
  it("parses -wait min and min:max, max defaulting to 4x min", async () => {
    assert.deepEqual((await load({ flags: { wait: "200ms" } })).config.derived.wait, { minMs: 200, maxMs: 800 });
    assert.deepEqual((await load({ file: 'wait = "1s:5s"' })).config.derived.wait, { minMs: 1000, maxMs: 5000 });
    assert.equal((await load({})).config.derived.wait, undefined);
  });

  it("reports a bad wait, timeout or signal with where it came from", async () => {
    const got = await problems({
      env: { CONFD_WAIT: "5s:1s", CONFD_EXEC_KILL_TIMEOUT: "soon" },
      flags: { "exec-reload-signal": "SIGNOPE", "bootstrap-timeout": "10" },
    });
    assert.equal(got.length, 4, got.join("\n"));
    assert.match(got.join("\n"), /CONFD_WAIT: invalid wait "5s:1s": max is shorter than min/);
    assert.match(got.join("\n"), /CONFD_EXEC_KILL_TIMEOUT: invalid duration "soon"/);
    assert.match(got.join("\n"), /flag -exec-reload-signal: unknown signal "SIGNOPE"/);
    assert.match(got.join("\n"), /flag -bootstrap-timeout: invalid duration "10"/);
  });

  it("normalizes signal names and durations", async () => {
    const { config } = await load({
      flags: { "exec-reload-signal": "hup", "exec-kill-signal": "SIGQUIT", "exec-kill-timeout": "1m30s" },
    });
    assert.equal(config.execReloadSignal, "SIGHUP");
    assert.equal(config.execKillSignal, "SIGQUIT");
    assert.equal(config.derived.execKillTimeoutMs, 90_000);
    assert.equal(config.derived.bootstrapTimeoutMs, 0);
  });

  it("knows whether the interval was set by any source", async () => {
    assert.equal((await load({})).config.derived.intervalSet, false);
    assert.equal((await load({ file: "interval = 30" })).config.derived.intervalSet, true);
    assert.equal((await load({ env: { CONFD_INTERVAL: "30" } })).config.derived.intervalSet, true);
    assert.equal((await load({ flags: { interval: 30 } })).config.derived.intervalSet, true);
  });

  it("takes the service argv from after --, and refuses it together with -exec", async () => {
    const flags = new Map<string, SettingValue>([["config-file", join(dir, "missing.toml")]]);
    const { config } = await loadConfig({ flags, env: {}, execArgv: ["nginx", "-g", "daemon off;"] });
    assert.deepEqual(config.derived.execArgv, ["nginx", "-g", "daemon off;"]);
    flags.set("exec", "nginx");
    await assert.rejects(
      loadConfig({ flags, env: {}, execArgv: ["nginx"] }),
      (err: ConfigError) => /-exec both name the service/.test(err.problems[0].message),
    );
  });

  it("refuses a supervised service with -onetime (it would never start)", async () => {
    const got = await problems({ flags: { exec: "nginx", onetime: true } });
    assert.equal(got.length, 1, got.join("\n"));
    assert.match(got[0], /^flag -exec: a supervised service .* needs watch or interval mode; -onetime exits/);
    const flags = new Map<string, SettingValue>([["config-file", join(dir, "missing.toml")], ["onetime", true]]);
    await assert.rejects(
      loadConfig({ flags, env: {}, execArgv: ["nginx"] }),
      (err: ConfigError) => /^flag -onetime: a supervised service/.test(err.problems[0].message),
    );
  });
});
