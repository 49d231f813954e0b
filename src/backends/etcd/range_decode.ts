// A lean codec for the one hot call, KV.Range (its request is encoded here too,
// so a read never loads protobuf-es's descriptors). A -onetime run over 10,000
// keys decodes it once, cold, where protobuf-es's generic reflection decoder
// costs ~60 ms before the JIT warms up (8 ms warm). Only what a read needs is
// kept (header revision, more, each key and value as views of the reply);
// every other field is skipped by its wire type.

/** The parts of etcdserverpb.RangeResponse a read uses. */
export interface RangeReply {
  /** header.revision: the store revision the range was read at. */
  revision: bigint;
  /** More keys in the range than `limit` returned. */
  more: boolean;
  /** Keys and values, views into the reply's bytes. */
  kvs: KeyValueView[];
}

/** A key and its value as views into the reply. */
export interface KeyValueView {
  key: Uint8Array<ArrayBufferLike>;
  value: Uint8Array<ArrayBufferLike>;
}

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

class Reader {
  pos: number;
  constructor(readonly buf: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }

  /** A varint that fits a JS number (tags, lengths, booleans). */
  uint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error("protobuf: truncated varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error("protobuf: varint too long");
    }
  }

  /** A varint as int64 (revisions). */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error("protobuf: truncated varint");
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
      if (shift > 63n) throw new Error("protobuf: varint too long");
    }
  }

  /** The bounds [start, end) of a length-delimited field's payload. */
  bytes(): [number, number] {
    const n = this.uint();
    const start = this.pos;
    if (start + n > this.end) throw new Error("protobuf: truncated field");
    this.pos = start + n;
    return [start, start + n];
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.uint();
    else if (wireType === LEN) this.bytes();
    else if (wireType === FIXED64) this.pos += 8;
    else if (wireType === FIXED32) this.pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new Error("protobuf: truncated field");
  }
}

/** Decodes a RangeResponse's revision, more flag, keys and values. */
export function decodeRangeReply(buf: Uint8Array): RangeReply {
  const reply: RangeReply = { revision: 0n, more: false, kvs: [] };
  const r = new Reader(buf, 0, buf.length);
  while (r.pos < r.end) {
    const tag = r.uint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === LEN) reply.revision = headerRevision(buf, r.bytes());
    else if (field === 2 && wire === LEN) reply.kvs.push(keyValue(buf, r.bytes()));
    else if (field === 3 && wire === VARINT) reply.more = r.uint() !== 0;
    else r.skip(wire);
  }
  return reply;
}

function headerRevision(buf: Uint8Array, [start, end]: [number, number]): bigint {
  const r = new Reader(buf, start, end);
  let revision = 0n;
  while (r.pos < r.end) {
    const tag = r.uint();
    if (tag === (3 << 3 | VARINT)) revision = r.int64();
    else r.skip(tag & 7);
  }
  return revision;
}

const EMPTY = new Uint8Array(0);

function keyValue(buf: Uint8Array, [start, end]: [number, number]): KeyValueView {
  const r = new Reader(buf, start, end);
  let key: Uint8Array<ArrayBufferLike> = EMPTY;
  let value: Uint8Array<ArrayBufferLike> = EMPTY;
  while (r.pos < r.end) {
    const tag = r.uint();
    if (tag === (1 << 3 | LEN)) {
      const [s, e] = r.bytes();
      key = buf.subarray(s, e);
    } else if (tag === (5 << 3 | LEN)) {
      const [s, e] = r.bytes();
      value = buf.subarray(s, e);
    } else r.skip(tag & 7);
  }
  return { key, value };
}

/** The RangeRequest fields a read sends (proto3: zero values are not sent). */
export interface RangeRequestFields {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  /** 0n: no limit. */
  limit?: bigint;
  /** 0n: the current revision. */
  revision?: bigint;
  countOnly?: boolean;
}

/**
 * Encodes a RangeRequest (key = 1, range_end = 2, limit = 3, revision = 4, count_only = 9) without
 * protobuf-es, so a -onetime read never builds its descriptors (~20 ms cold).
 */
export function encodeRangeRequest(req: RangeRequestFields): Uint8Array {
  const out: number[] = [];
  const varint = (v: bigint) => {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
  };
  const bytesField = (field: number, b: Uint8Array | undefined) => {
    if (b === undefined || b.length === 0) return;
    out.push((field << 3) | LEN);
    varint(BigInt(b.length));
    for (const x of b) out.push(x);
  };
  bytesField(1, req.key);
  bytesField(2, req.rangeEnd);
  if (req.limit) {
    out.push((3 << 3) | VARINT);
    varint(req.limit);
  }
  if (req.revision) {
    out.push((4 << 3) | VARINT);
    varint(req.revision);
  }
  if (req.countOnly) out.push((9 << 3) | VARINT, 1);
  return Uint8Array.from(out);
}
