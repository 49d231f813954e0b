// SRV discovery (-srv-domain, -srv-record) through the real node:dns resolver,
// pointed at a local DNS server: the record name, the node list it yields and
// the error when the name does not exist.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getServers, setServers } from "node:dns";
import { loadConfig } from "../../../src/config/resolve.ts";
import { ConfigError } from "../../../src/config/errors.ts";
import type { SettingValue } from "../../../src/config/settings.ts";
import { startDnsServer } from "./dns_fixture.ts";

const ZONE = {
  "_etcd._tcp.example.com": [
    { target: "backup.example.com", port: 4001, priority: 20, weight: 1 },
    { target: "e1.example.com", port: 2379, priority: 10, weight: 5 },
  ],
  "_etcdv3._tcp.example.com": [{ target: "v3.example.com", port: 2379, priority: 0, weight: 0 }],
  "_custom._tcp.example.org": [{ target: "c.example.org", port: 12379, priority: 0, weight: 0 }],
};

let server: { address: string; close: () => void };
let saved: string[] = [];
before(async () => {
  server = await startDnsServer(ZONE);
  saved = getServers();
  setServers([server.address]);
});
after(() => {
  setServers(saved);
  server.close();
});

function load(flags: Record<string, SettingValue>) {
  return loadConfig({
    flags: new Map(Object.entries({ "config-file": "/nonexistent/confd.toml", ...flags })),
    env: {},
  });
}

describe("SRV discovery through node:dns", () => {
  const cases: { name: string; flags: Record<string, SettingValue>; nodes: string[]; record: string }[] = [
    {
      name: "-srv-domain asks _etcd._tcp.<domain>. and gives etcd nodes the scheme, preferred first",
      flags: { "srv-domain": "example.com" },
      record: "_etcd._tcp.example.com.",
      nodes: ["http://e1.example.com:2379", "http://backup.example.com:4001"],
    },
    {
      name: "-scheme applies to SRV-discovered etcd nodes",
      flags: { "srv-domain": "example.com", scheme: "https" },
      record: "_etcd._tcp.example.com.",
      nodes: ["https://e1.example.com:2379", "https://backup.example.com:4001"],
    },
    {
      name: "the record name follows the backend (_etcdv3 for etcdv3)",
      flags: { "srv-domain": "example.com", backend: "etcdv3" },
      record: "_etcdv3._tcp.example.com.",
      nodes: ["http://v3.example.com:2379"],
    },
    {
      name: "-srv-record overrides -srv-domain, and its nodes replace -node",
      flags: { "srv-record": "_custom._tcp.example.org", "srv-domain": "example.com", node: ["http://n:1"] },
      record: "_custom._tcp.example.org",
      nodes: ["http://c.example.org:12379"],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { config, notices } = await load(c.flags);
      assert.deepEqual(config.nodes, c.nodes);
      assert.ok(notices.some((n) => n.level === "info" && n.msg === `SRV record set to ${c.record}`));
    });
  }
  it("is not used by the env backend", async () => {
    const { config } = await load({ "srv-domain": "nowhere.example", backend: "env" });
    assert.deepEqual(config.nodes, []);
  });
  it("fails with the record, the resolver and Go's reason when the name does not exist", async () => {
    await assert.rejects(load({ "srv-domain": "nowhere.example" }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(
        err.message,
        `cannot get nodes from SRV record _etcd._tcp.nowhere.example.: lookup _etcd._tcp.nowhere.example. on ${server.address}: no such host`,
      );
      return true;
    });
  });
});
