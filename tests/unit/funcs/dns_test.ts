import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoInt, GoSlice, GoStruct, type Value } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { DnsCache, goIPString, renderWithDns } from "../../../src/funcs/dns.ts";
import { call } from "./testdata/call.ts";

const items = (v: Value) => {
  assert.ok(v instanceof GoSlice);
  return v.items;
};

describe("DNS lookups", () => {
  it("an unresolved name answers empty and is recorded as pending", () => {
    const dns = new DnsCache();
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    assert.deepEqual(items(call(funcs, "lookupIP", "localhost")), []);
    assert.deepEqual([...dns.pending], ["ip localhost"]);
  });

  it("renderWithDns resolves localhost from the system resolver and renders again", async () => {
    const dns = new DnsCache();
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    let renders = 0;
    const out = await renderWithDns(() => {
      renders++;
      return (items(call(funcs, "lookupIPV4", "localhost")) as string[]).join(",");
    }, dns);
    assert.equal(out, "127.0.0.1");
    assert.equal(renders, 2);
  });

  it("a name that does not resolve answers empty, with no error", async () => {
    const dns = new DnsCache();
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    const out = await renderWithDns(
      () => String(items(call(funcs, "lookupIP", "no-such-host.invalid")).length),
      dns,
    );
    assert.equal(out, "0");
  });

  it("a render that failed on a placeholder answer is retried after resolving", async () => {
    const dns = new DnsCache();
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    const out = await renderWithDns(() => {
      const ips = items(call(funcs, "lookupIP", "localhost"));
      if (ips.length === 0) throw new Error("index out of range");
      return String(ips[0]);
    }, dns);
    assert.equal(out, "127.0.0.1");
  });

  it("a render error with nothing pending propagates", async () => {
    await assert.rejects(
      renderWithDns(() => {
        throw new Error("boom");
      }, new DnsCache()),
      { message: "boom" },
    );
  });

  it("addresses are sorted as strings and filtered by family", () => {
    const dns = new DnsCache();
    dns.setIPs("svc", ["10.0.0.9", "::1", "10.0.0.10"]);
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    assert.deepEqual(items(call(funcs, "lookupIP", "svc")), ["10.0.0.10", "10.0.0.9", "::1"]);
    assert.deepEqual(items(call(funcs, "lookupIPV4", "svc")), ["10.0.0.10", "10.0.0.9"]);
    assert.deepEqual(items(call(funcs, "lookupIPV6", "svc")), ["::1"]);
  });

  it("lookupSRV gives records with Target, Port, Priority, Weight, sorted by their concatenation", () => {
    const dns = new DnsCache();
    dns.setSrv("etcd", "tcp", "example.com", [
      { target: "b.example.com.", port: 2379, priority: 0, weight: 0 },
      { target: "a.example.com.", port: 80, priority: 10, weight: 5 },
      { target: "a.example.com.", port: 2379, priority: 0, weight: 0 },
    ]);
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    const recs = items(call(funcs, "lookupSRV", "etcd", "tcp", "example.com"));
    const rows = recs.map((r) => {
      assert.ok(r instanceof GoStruct);
      const port = r.fields.get("Port");
      assert.ok(port instanceof GoInt && port.type.name === "uint16");
      return `${r.fields.get("Target")}:${port.value}`;
    });
    // "a.example.com.237900" < "a.example.com.80105": compared as text.
    assert.deepEqual(rows, ["a.example.com.:2379", "a.example.com.:80", "b.example.com.:2379"]);
    assert.deepEqual(dns.pending.size, 0);
  });

  it("addresses print as Go's net.IP does (IPv4-mapped IPv6 in dotted form)", () => {
    assert.equal(goIPString("::ffff:10.0.0.1"), "10.0.0.1");
    assert.equal(goIPString("2001:db8::1"), "2001:db8::1");
    assert.equal(goIPString("127.0.0.1"), "127.0.0.1");
  });

  it("an SRV lookup that fails answers an empty list", async () => {
    const dns = new DnsCache();
    const funcs = confdFuncs(new KVStore(), { env: {}, dns });
    const out = await renderWithDns(
      () => String(items(call(funcs, "lookupSRV", "etcd", "tcp", "no-such-host.invalid")).length),
      dns,
    );
    assert.equal(out, "0");
  });
});
