// One HTTP/2 connection to one gRPC server (an etcd member), with unary calls
// and bidirectional streams. node:http2 is imported lazily, on the first
// connection: loading it costs ~15 ms of start-up, which -version, render and
// the file backend must not pay.

import type * as http2 from "node:http2";
import { encodeFrame, FrameDecoder } from "./grpc_frame.ts";

/** HTTP/2 flow-control window for streams and the connection (etcd may send this much unacknowledged). */
const WINDOW_BYTES = 16 * 1024 * 1024;

/** gRPC status codes reconfd looks at. */
export const GRPC = {
  ok: 0,
  canceled: 1,
  invalidArgument: 3,
  deadlineExceeded: 4,
  permissionDenied: 7,
  outOfRange: 11,
  unavailable: 14,
  unauthenticated: 16,
} as const;

/** A call failed: `code` is the gRPC status (14 for a connection that failed or broke). */
export class GrpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GrpcError";
    this.code = code;
  }
}

export interface TlsFiles {
  /** PEM CA bundle; undefined: the system's roots. */
  ca?: string;
  /** PEM client certificate and key (mTLS). */
  cert?: string;
  key?: string;
  /** Skip verification of the server's certificate. Default false. */
  insecure?: boolean;
}

export interface CallOptions {
  /** Extra request metadata (etcd's `token`). */
  metadata?: Record<string, string>;
  /** Aborts the call (a timeout, the caller's shutdown). */
  signal?: AbortSignal;
}

/** A bidirectional stream: send messages, receive them through `onMessage`, learn its end once. */
export interface GrpcStream {
  send(message: Uint8Array): void;
  /** Cancels the call (never half-closes: etcd cancels watches on a half-close). */
  close(): void;
}

export interface StreamHandlers {
  onMessage(message: Uint8Array): void;
  /** Called once: the status the stream ended with (an error, or code 0 for a clean end). */
  onEnd(error: GrpcError): void;
}

let http2Module: Promise<typeof http2> | undefined;
function loadHttp2(): Promise<typeof http2> {
  http2Module ??= import("node:http2");
  return http2Module;
}

/** HTTP/2 RST_STREAM code CANCEL: how a gRPC client cancels a call. */
const NGHTTP2_CANCEL = 8;

/** Pings an idle connection this often, and drops it when no answer comes within PING_TIMEOUT_MS. */
const PING_INTERVAL_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;

export class GrpcConnection {
  readonly url: string;
  readonly #tls: TlsFiles;
  #session: http2.ClientHttp2Session | undefined;
  #pinger: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(url: string, tls: TlsFiles = {}) {
    this.url = url;
    this.#tls = tls;
  }

  /** Sends one request message and resolves with the one response message. */
  async unary(path: string, request: Uint8Array, opts: CallOptions = {}): Promise<Uint8Array> {
    const session = await this.#connect();
    return new Promise<Uint8Array>((resolve, reject) => {
      let reply: Uint8Array | undefined;
      const stream = this.#open(session, path, opts, {
        onMessage: (m) => reply ??= m,
        onEnd: (err) => {
          if (err.code !== GRPC.ok) reject(err);
          else if (reply === undefined) reject(new GrpcError(GRPC.unavailable, `${path}: no response message`));
          else resolve(reply);
        },
      });
      stream.end(encodeFrame(request));
    });
  }

  /** Opens a bidirectional stream; its request side stays open until close(). */
  async stream(path: string, handlers: StreamHandlers, opts: CallOptions = {}): Promise<GrpcStream> {
    const session = await this.#connect();
    const req = this.#open(session, path, opts, handlers);
    return {
      send: (m) => {
        if (!req.closed && !req.destroyed) req.write(encodeFrame(m));
      },
      close: () => {
        if (!req.destroyed) req.close(NGHTTP2_CANCEL);
      },
    };
  }

  /** Closes the connection; calls in flight end with an error. */
  close(): void {
    this.#closed = true;
    this.#drop();
  }

  async #connect(): Promise<http2.ClientHttp2Session> {
    if (this.#closed) throw new GrpcError(GRPC.canceled, "connection closed");
    const live = this.#session;
    if (live !== undefined && !live.closed && !live.destroyed) return live;
    const h2 = await loadHttp2();
    const t = this.#tls;
    const session = h2.connect(this.url, {
      // A large range reply arrives in one go instead of 64 KiB per round trip of WINDOW_UPDATEs.
      settings: { initialWindowSize: WINDOW_BYTES },
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
      ...(t.cert !== undefined && t.key !== undefined ? { cert: t.cert, key: t.key } : {}),
      rejectUnauthorized: !t.insecure,
    });
    // Without a listener an "error" event would crash the process; calls learn of it on their streams.
    session.on("connect", () => {
      try {
        session.setLocalWindowSize(WINDOW_BYTES);
      } catch {
        // A runtime without it keeps the default connection window (slower large reads only).
      }
    });
    session.on("error", () => this.#forget(session));
    session.on("close", () => this.#forget(session));
    session.on("goaway", () => this.#forget(session));
    this.#session = session;
    this.#startPings(session);
    return session;
  }

  #open(
    session: http2.ClientHttp2Session,
    path: string,
    opts: CallOptions,
    handlers: StreamHandlers,
  ): http2.ClientHttp2Stream {
    const req = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      ...opts.metadata,
    });
    const decoder = new FrameDecoder();
    let ended = false;
    let status: GrpcError | undefined;
    const end = (err: GrpcError) => {
      if (ended) return;
      ended = true;
      opts.signal?.removeEventListener("abort", onAbort);
      handlers.onEnd(err);
    };
    const onAbort = () => {
      const reason = opts.signal?.reason;
      end(new GrpcError(GRPC.canceled, `${path}: ${describeAbort(reason)}`, { cause: reason }));
      if (!req.destroyed) req.close(NGHTTP2_CANCEL);
      // Still connecting when the time was up: that connection is not worth keeping.
      if (session.connecting) this.#forget(session);
    };
    if (opts.signal?.aborted) queueMicrotask(onAbort);
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    const takeStatus = (headers: http2.IncomingHttpHeaders) => {
      const code = headers["grpc-status"];
      if (code === undefined) return;
      const message = decodeGrpcMessage(String(headers["grpc-message"] ?? ""));
      status = new GrpcError(Number(code), message || `gRPC status ${code}`);
    };
    req.on("response", (headers) => {
      const httpStatus = Number(headers[":status"]);
      takeStatus(headers);
      if (httpStatus !== 200 && status === undefined) {
        status = new GrpcError(GRPC.unavailable, `${path}: HTTP status ${httpStatus}`);
      }
    });
    req.on("trailers", takeStatus);
    req.on("data", (chunk: Uint8Array) => {
      if (ended) return;
      try {
        for (const m of decoder.push(chunk)) handlers.onMessage(m);
      } catch (err) {
        end(new GrpcError(GRPC.unavailable, `${path}: ${(err as Error).message}`));
        req.close(NGHTTP2_CANCEL);
      }
    });
    req.on("error", (err: Error) => end(connectionError(this.url, err, this.#tls.cert !== undefined)));
    req.on("close", () => {
      if (status !== undefined) end(status);
      else end(new GrpcError(GRPC.unavailable, `${path}: stream closed without a status (${this.url})`));
    });
    return req;
  }

  #startPings(session: http2.ClientHttp2Session): void {
    clearInterval(this.#pinger);
    this.#pinger = setInterval(() => {
      if (session.closed || session.destroyed) return;
      const timer = setTimeout(() => session.destroy(), PING_TIMEOUT_MS);
      try {
        session.ping((err) => {
          clearTimeout(timer);
          if (err) session.destroy();
        });
      } catch {
        clearTimeout(timer);
        session.destroy();
      }
    }, PING_INTERVAL_MS);
    // A ping must never keep the process alive by itself.
    (this.#pinger as { unref?: () => void }).unref?.();
  }

  #forget(session: http2.ClientHttp2Session): void {
    if (this.#session !== session) return;
    this.#drop();
  }

  #drop(): void {
    clearInterval(this.#pinger);
    this.#pinger = undefined;
    const s = this.#session;
    this.#session = undefined;
    if (s !== undefined && !s.destroyed) s.destroy();
  }
}

/** A socket or HTTP/2 failure as gRPC's UNAVAILABLE, naming the endpoint and the system error. */
function connectionError(url: string, err: Error, hasClientCert: boolean): GrpcError {
  // The socket's own error (connect ECONNREFUSED ...) says more than the stream's "canceled".
  const root = err.cause instanceof Error ? err.cause : err;
  const code = (root as { code?: string }).code;
  const what = code !== undefined && !root.message.includes(code) ? `${code}: ${root.message}` : root.message;
  // etcd with --client-cert-auth answers a handshake without a certificate with a bare TLS alert.
  const hint = !hasClientCert && /BAD_CERTIFICATE|CERTIFICATE_REQUIRED/.test(what)
    ? " (the server may require a client certificate: -client-cert and -client-key)"
    : "";
  return new GrpcError(GRPC.unavailable, `connection to ${url} failed: ${what}${hint}`, { cause: err });
}

function describeAbort(reason: unknown): string {
  if (reason instanceof Error && reason.name === "TimeoutError") return "timed out";
  if (reason instanceof Error) return reason.message;
  return "canceled";
}

/** grpc-message is percent-encoded (gRPC's HTTP/2 protocol spec). */
function decodeGrpcMessage(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
