// gRPC's length-prefixed framing (1 flag byte, 4-byte big-endian length, the
// message): encoding one message, and cutting a byte stream that arrives in
// arbitrary chunks back into messages.

/** A message larger than this is refused (a broken peer must not make us allocate without bound). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** One uncompressed gRPC frame holding `message`. */
export function encodeFrame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** Collects chunks and hands out whole messages; throws on a compressed or oversized frame. */
export class FrameDecoder {
  #chunks: Uint8Array[] = [];
  #buffered = 0;

  /** Adds `chunk` and returns the messages it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.#buffered < 5) return out;
      const head = this.#peek(5);
      if (head[0] !== 0) throw new Error("gRPC: compressed message received but none was negotiated");
      const length = new DataView(head.buffer, head.byteOffset, 5).getUint32(1);
      if (length > MAX_MESSAGE_BYTES) throw new Error(`gRPC: message of ${length} bytes exceeds the limit`);
      if (this.#buffered < 5 + length) return out;
      out.push(this.#take(5 + length).subarray(5));
    }
  }

  /** True when a partial frame is buffered (a stream that ends now was cut off). */
  get pending(): boolean {
    return this.#buffered > 0;
  }

  /** The first `n` buffered bytes (joining chunks only when the first one is too short). */
  #peek(n: number): Uint8Array {
    if (this.#chunks[0].length < n) this.#chunks = [join(this.#chunks, this.#buffered)];
    return this.#chunks[0].subarray(0, n);
  }

  #take(n: number): Uint8Array {
    const first = this.#peek(n);
    const rest = this.#chunks[0].subarray(n);
    if (rest.length === 0) this.#chunks.shift();
    else this.#chunks[0] = rest;
    this.#buffered -= n;
    return first;
  }
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
