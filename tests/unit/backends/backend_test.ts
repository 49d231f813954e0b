// Helpers of the backend contract: sleep with an abort signal, including waits longer
// than a timer can hold (a large -interval).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sleep } from "../../../src/backends/backend.ts";

describe("sleep", () => {
  it("resolves after a short wait", async () => {
    const start = Date.now();
    await sleep(20);
    assert.ok(Date.now() - start >= 15);
  });

  it("waits out more than 2^31-1 ms instead of firing at once", async () => {
    const ctl = new AbortController();
    let settled = false;
    const wait = sleep(3_000_000_000, ctl.signal).then(
      () => (settled = true),
      (e) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false);
    ctl.abort(new Error("stop"));
    assert.equal(((await wait) as Error).message, "stop");
  });

  it("rejects at once when already aborted", async () => {
    const ctl = new AbortController();
    ctl.abort(new Error("gone"));
    await assert.rejects(sleep(1000, ctl.signal), /gone/);
  });
});
