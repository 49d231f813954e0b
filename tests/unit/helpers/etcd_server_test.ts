// The etcd harness itself: a member starts on free ports, takes v2 and v3
// writes through the independent writers, restarts with its data, and stops.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { EtcdServer } from "../../helpers/etcd_server.ts";

describe("etcd test harness", () => {
  const etcd = new EtcdServer();
  after(() => etcd.destroy());

  it("starts, writes through etcdctl and v2 HTTP, and keeps data across a restart", async () => {
    await etcd.start();
    await etcd.put("/h/a", "1");
    const rev = await etcd.revision();
    assert.ok(rev >= 2n, `revision ${rev}`);
    await etcd.v2Put("/h/b", "two words");
    const got = await etcd.v2Request("GET", "/h/b") as { node: { value: string } };
    assert.equal(got.node.value, "two words");
    await etcd.stop();
    assert.equal(await etcd.healthy(), false);
    await etcd.start();
    assert.match(await etcd.ctl(["get", "/h/a"]), /\/h\/a\n1\n/);
    assert.ok((await etcd.revision()) >= rev);
  });
});
