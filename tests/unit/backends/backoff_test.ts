// The retry delays every loop shares (bootstrap, reads, etcd reconnects).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff, formatDelay } from "../../../src/backends/backoff.ts";

describe("Backoff", () => {
  it("doubles up to the cap, spread by the jitter, and starts over after reset", () => {
    const mid = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.5 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => mid.next()), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(mid.attempt, 6);
    mid.reset();
    assert.equal(mid.next(), 100);
    const low = new Backoff({ initialMs: 100, jitter: 0.2, random: () => 0 });
    assert.equal(low.next(), 80);
    const high = new Backoff({ initialMs: 100, maxMs: 150, jitter: 0.2, random: () => 0.999 });
    assert.equal(high.next(), 120);
    assert.equal(high.next(), 150);
  });

  it("defaults: 1 s doubling to 30 s", () => {
    const b = new Backoff({ random: () => 0.5 });
    assert.deepEqual(Array.from({ length: 7 }, () => b.next()), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it("prints delays as Go prints short durations", () => {
    assert.deepEqual([20, 999, 1000, 1500, 30000].map(formatDelay), ["20ms", "999ms", "1s", "1.5s", "30s"]);
  });
});
