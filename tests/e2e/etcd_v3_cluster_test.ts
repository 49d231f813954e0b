// -backend etcdv3 with a 3-member cluster through the binary: the member in
// use stops, the watch fails over to another node and the change is rendered.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type EtcdServer, startCluster } from "../helpers/etcd_server.ts";
import { Daemon, runReconfd, Sandbox, waitFor } from "./helpers/reconfd.ts";

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

describe("etcdv3 with a 3-member cluster (binary)", () => {
  let members: EtcdServer[] = [];
  before(async () => {
    members = await startCluster(3, { enableV2: false });
  });
  after(async () => {
    await Promise.all(members.map((m) => m.destroy()));
  });

  it("fails over to another member when the one in use stops, for reads and the watch", async () => {
    await members[1].put("/cl/v", "one");
    const sb = new Sandbox();
    mkdirSync(sb.path("out"));
    const dest = sb.path("out", "t.conf");
    sb.resource({
      name: "t.toml",
      toml: `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/cl"]\n`,
      tmplName: "t.tmpl",
      tmpl: '{{getv "/cl/v"}}\n',
    });
    const nodes = members.flatMap((m) => ["-node", m.url]);
    const d = new Daemon(["-watch", "-backend", "etcdv3", ...nodes, "-confdir", sb.confdir]);
    try {
      await waitFor(() => read(dest) === "one\n", 10_000, () => d.stderr);
      await members[0].stop();
      await members[1].put("/cl/v", "two");
      await waitFor(() => read(dest) === "two\n", 20_000, () => `${read(dest)}\n${d.stderr}`);
      // A one-shot read with the first node down also answers from another.
      const r = await runReconfd(["-onetime", "-backend", "etcdv3", ...nodes, "-confdir", sb.confdir]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });
});
