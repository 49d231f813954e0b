// Parts of the etcdv3 backend that need no etcd: gRPC framing over arbitrary
// chunk boundaries, the lean Range reply decoder (checked against protobuf-es),
// and createBackend's checks of the TLS settings.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBackend } from "../../../src/backends/create.ts";
import { create, toBinary } from "@bufbuild/protobuf";
import { RangeRequestSchema, RangeResponseSchema } from "../../../src/backends/etcd/gen/etcd_pb.ts";
import { encodeFrame, FrameDecoder } from "../../../src/backends/etcd/grpc_frame.ts";
import { decodeRangeReply, encodeRangeRequest } from "../../../src/backends/etcd/range_decode.ts";
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

describe("Range reply decoder", () => {
  const enc = new TextEncoder();
  it("reads revision, more, keys and values as protobuf-es encodes them, skipping the other fields", () => {
    const message = create(RangeResponseSchema, {
      header: { clusterId: 2n ** 63n + 5n, memberId: 7n, revision: 2n ** 60n + 3n, raftTerm: 9n },
      kvs: [
        {
          key: enc.encode("/a"),
          value: enc.encode("1"),
          createRevision: 4n,
          modRevision: 300n,
          version: 2n,
          lease: 77n,
        },
        { key: new Uint8Array([0x2f, 0xff, 0x00]), value: new Uint8Array(0) },
        { key: enc.encode("/big"), value: new Uint8Array(200_000).fill(0x61), modRevision: 2n ** 40n },
      ],
      more: true,
      count: 12345n,
    });
    const reply = decodeRangeReply(toBinary(RangeResponseSchema, message));
    assert.equal(reply.revision, 2n ** 60n + 3n);
    assert.equal(reply.more, true);
    assert.deepEqual(
      reply.kvs.map((kv) => [[...kv.key], kv.value.length]),
      [[[0x2f, 0x61], 1], [[0x2f, 0xff, 0x00], 0], [[...enc.encode("/big")], 200_000]],
    );
  });

  it("an empty reply is revision 0, no keys; a truncated one is an error", () => {
    assert.deepEqual(decodeRangeReply(new Uint8Array(0)), { revision: 0n, more: false, kvs: [] });
    const bytes = toBinary(RangeResponseSchema, create(RangeResponseSchema, { kvs: [{ key: enc.encode("/k") }] }));
    assert.throws(() => decodeRangeReply(bytes.subarray(0, bytes.length - 1)), /truncated/);
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

describe("RangeRequest encoding without protobuf-es", () => {
  const enc = new TextEncoder();
  const cases = [
    { key: enc.encode("/a") },
    { key: enc.encode("/services/web"), rangeEnd: enc.encode("/services/web0"), limit: 10_000n },
    { key: enc.encode("/x"), rangeEnd: enc.encode("/y"), limit: 1n, revision: 9007199254740993n },
    { key: new Uint8Array([0xff, 0x00, 0x2f]), rangeEnd: new Uint8Array([0]), countOnly: true, revision: 300n },
    { key: enc.encode("k".repeat(300)), revision: 0n, limit: 0n },
  ];
  for (const [i, c] of cases.entries()) {
    it(`encodes like protobuf-es (case ${i})`, () => {
      assert.deepEqual(encodeRangeRequest(c), toBinary(RangeRequestSchema, create(RangeRequestSchema, c)));
    });
  }
});
