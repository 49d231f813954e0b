// Parts of the etcdv3 backend that need no etcd: gRPC framing over arbitrary
// chunk boundaries, and createBackend's checks of the TLS settings.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBackend } from "../../../src/backends/create.ts";
import { encodeFrame, FrameDecoder } from "../../../src/backends/etcd/grpc_frame.ts";
import { defaultConfig } from "../../../src/config/settings.ts";

describe("gRPC framing", () => {
  const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70_000).fill(7)];
  const stream = new Uint8Array(messages.reduce((n, m) => n + 5 + m.length, 0));
  let at = 0;
  for (const m of messages) {
    stream.set(encodeFrame(m), at);
    at += 5 + m.length;
  }

  for (const size of [1, 4, 5, 6, 1000, stream.length]) {
    it(`decodes messages split into ${size}-byte chunks`, () => {
      const d = new FrameDecoder();
      const got: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...d.push(stream.subarray(i, i + size)));
      assert.deepEqual(got, messages);
      assert.equal(d.pending, false);
    });
  }

  it("refuses a compressed frame", () => {
    assert.throws(() => new FrameDecoder().push(new Uint8Array([1, 0, 0, 0, 0])), /compressed/);
  });
});

describe("createBackend etcdv3", () => {
  const config = { ...defaultConfig(), backend: "etcdv3" as const, nodes: ["http://127.0.0.1:2379"] };

  it("creates the backend without connecting", async () => {
    const b = await createBackend(config);
    assert.equal(b.name, "etcdv3");
    assert.deepEqual(b.sources, ["http://127.0.0.1:2379"]);
    await b.close();
  });

  it("an unreadable CA file is an error naming the flag and file", async () => {
    await assert.rejects(
      createBackend({ ...config, clientCaKeys: "/nonexistent/ca.pem" }),
      /cannot read -client-ca-keys file "\/nonexistent\/ca\.pem": ENOENT/,
    );
  });

  it("a client certificate without its key is an error", async () => {
    await assert.rejects(
      createBackend({ ...config, clientCert: "/x/cert.pem" }),
      /-client-cert and -client-key must be given together/,
    );
  });
});
