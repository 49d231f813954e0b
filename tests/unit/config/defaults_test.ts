// Every setting's default, side by side with confd's (HEAD flags, confd.md §3.2),
// so a default cannot drift silently. Each deliberate difference is a row with
// its reason; a setting reconfd added is listed as such. A new setting missing
// from both tables fails the test.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Config } from "../../../src/config/config.ts";
import { loadConfig } from "../../../src/config/resolve.ts";
import { defaultConfig, SETTINGS, type SettingValue } from "../../../src/config/settings.ts";

/** confd's default for each of its flags (by reconfd Config field), and reconfd's when it differs. */
const CONFD_DEFAULTS: { field: keyof Config; flag: string; confd: unknown; reconfd?: unknown; why?: string }[] = [
  { field: "appId", flag: "app-id", confd: "" },
  { field: "authToken", flag: "auth-token", confd: "" },
  { field: "authType", flag: "auth-type", confd: "" },
  { field: "backend", flag: "backend", confd: "etcd" },
  { field: "basicAuth", flag: "basic-auth", confd: false },
  { field: "clientCaKeys", flag: "client-ca-keys", confd: "" },
  { field: "clientCert", flag: "client-cert", confd: "" },
  { field: "clientKey", flag: "client-key", confd: "" },
  { field: "clientInsecure", flag: "client-insecure", confd: false },
  { field: "confdir", flag: "confdir", confd: "/etc/confd" },
  { field: "file", flag: "file", confd: [] },
  { field: "filter", flag: "filter", confd: "*" },
  { field: "interval", flag: "interval", confd: 600 },
  { field: "keepStageFile", flag: "keep-stage-file", confd: false },
  { field: "logLevel", flag: "log-level", confd: "", reconfd: "info", why: "confd's \"\" means logrus' info" },
  {
    field: "nodes",
    flag: "node",
    confd: ["http://127.0.0.1:4001"],
    reconfd: ["http://127.0.0.1:2379"],
    why: "etcd's client port since etcd 2 (confd's 4001 is the legacy port)",
  },
  { field: "noop", flag: "noop", confd: false },
  { field: "onetime", flag: "onetime", confd: false },
  { field: "password", flag: "password", confd: "" },
  { field: "path", flag: "path", confd: "" },
  { field: "prefix", flag: "prefix", confd: "" },
  { field: "roleId", flag: "role-id", confd: "" },
  { field: "scheme", flag: "scheme", confd: "http" },
  { field: "secretId", flag: "secret-id", confd: "" },
  { field: "separator", flag: "separator", confd: "" },
  { field: "srvDomain", flag: "srv-domain", confd: "" },
  { field: "srvRecord", flag: "srv-record", confd: "" },
  { field: "syncOnly", flag: "sync-only", confd: false },
  { field: "table", flag: "table", confd: "" },
  { field: "userId", flag: "user-id", confd: "" },
  { field: "username", flag: "username", confd: "" },
  { field: "watch", flag: "watch", confd: false },
];

/** Settings confd does not have, with reconfd's default. */
const RECONFD_ONLY: { field: keyof Config; flag: string; value: unknown }[] = [
  { field: "logFormat", flag: "log-format", value: "text" },
  { field: "diff", flag: "diff", value: false },
  { field: "wait", flag: "wait", value: "" },
  { field: "bootstrapTimeout", flag: "bootstrap-timeout", value: "" },
  { field: "exec", flag: "exec", value: "" },
  { field: "execReloadSignal", flag: "exec-reload-signal", value: "" },
  { field: "execKillSignal", flag: "exec-kill-signal", value: "SIGTERM" },
  { field: "execKillTimeout", flag: "exec-kill-timeout", value: "30s" },
  { field: "statusAddr", flag: "status-addr", value: "" },
];

describe("defaults against confd", () => {
  it("every setting is in one of the two tables, under its flag name", () => {
    const known = new Map([...CONFD_DEFAULTS, ...RECONFD_ONLY].map((r) => [r.field, r.flag]));
    for (const s of SETTINGS) assert.equal(known.get(s.field), s.flag, `setting ${s.field} (-${s.flag})`);
    assert.equal(known.size, SETTINGS.length);
  });

  for (const row of CONFD_DEFAULTS) {
    const want = "reconfd" in row ? row.reconfd : row.confd;
    it(`-${row.flag}: ${JSON.stringify(want)}${row.why ? ` (confd ${JSON.stringify(row.confd)}: ${row.why})` : ""}`, async () => {
      // Resolved as a run would (derived node list included), with no file, no env, no flags.
      const flags = new Map<string, SettingValue>([["config-file", "/nonexistent/confd.toml"]]);
      const { config } = await loadConfig({ flags, env: {} });
      assert.deepEqual(config[row.field], want);
    });
  }

  for (const row of RECONFD_ONLY) {
    it(`-${row.flag} (reconfd only): ${JSON.stringify(row.value)}`, () => {
      assert.deepEqual(defaultConfig()[row.field], row.value);
    });
  }

  it("etcdv3's default node is confd's 127.0.0.1:2379 (with its scheme)", async () => {
    const flags = new Map<string, SettingValue>([["config-file", "/nonexistent/confd.toml"], ["backend", "etcdv3"]]);
    assert.deepEqual((await loadConfig({ flags, env: {} })).config.nodes, ["http://127.0.0.1:2379"]);
  });
});
