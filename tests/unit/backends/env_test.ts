// The env backend: confd's key <-> variable mapping, prefix semantics, watch behaviour.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EnvBackend, envNameOf, keyOfEnvName } from "../../../src/backends/env.ts";

const env = {
  DATABASE_HOST: "db.local",
  DATABASE_HOSTNAME: "other",
  DATABASE_PORT: "5432",
  DATABASE_USER_NAME: "app",
  UNRELATED: "x",
};

describe("env backend", () => {
  it("maps keys to variable names and back", () => {
    assert.equal(envNameOf("/database/host"), "DATABASE_HOST");
    assert.equal(keyOfEnvName("DATABASE_USER_NAME"), "/database/user/name");
  });

  const cases: { name: string; keys: string[]; want: Record<string, string> }[] = [
    { name: "a key returns its variable", keys: ["/database/host"], want: { "/database/host": "db.local" } },
    {
      name: "a directory key returns everything under it",
      keys: ["/database"],
      want: {
        "/database/host": "db.local",
        "/database/hostname": "other",
        "/database/port": "5432",
        "/database/user/name": "app",
      },
    },
    { name: "a missing key is simply absent", keys: ["/nope"], want: {} },
    {
      name: "/database/host does not pull DATABASE_HOSTNAME",
      keys: ["/database/host", "/database/port"],
      want: { "/database/host": "db.local", "/database/port": "5432" },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const got = await new EnvBackend(env).getValues(c.keys);
      assert.deepEqual(Object.fromEntries(got.values), c.want);
    });
  }

  describe("matches variable names case-sensitively, as confd's strings.HasPrefix does", () => {
    const mixed = { app_low: "lower", App_Low: "mixed", APP_LOW: "upper", APP_low: "tail", app_only: "x" };
    for (const order of [Object.entries(mixed), Object.entries(mixed).reverse()]) {
      it(`APP_LOW only for /app/low (${order[0][0]} first)`, async () => {
        const got = await new EnvBackend(Object.fromEntries(order)).getValues(["/app/low"]);
        assert.deepEqual(Object.fromEntries(got.values), { "/app/low": "upper" });
      });
      it(`under /app the upper-case name wins over APP_low (${order[0][0]} first)`, async () => {
        const got = await new EnvBackend(Object.fromEntries(order)).getValues(["/app"]);
        assert.deepEqual(Object.fromEntries(got.values), { "/app/low": "upper" });
      });
    }
    it("a lower-case variable alone is not a key", async () => {
      const got = await new EnvBackend({ app_only: "x" }).getValues(["/app/only"]);
      assert.deepEqual(Object.fromEntries(got.values), {});
    });
  });

  it("returns at once for the first wait, then blocks until aborted", async () => {
    const b = new EnvBackend(env);
    const ac = new AbortController();
    assert.deepEqual(await b.watch(["/database"], 0n, ac.signal), { index: 1n });
    const second = b.watch(["/database"], 1n, ac.signal);
    let settled = false;
    second.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false);
    ac.abort(new Error("stop"));
    await assert.rejects(second, /stop/);
  });
});
