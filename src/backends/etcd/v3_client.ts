// etcd's v3 gRPC API over our HTTP/2 connections: several endpoints (one in
// use, the next tried on a connection error), token authentication (renewed
// when etcd calls it invalid or expired), a timeout on every call (a malformed
// token can make etcd hang), and the observer told of each request.

import type { Logger } from "../../log/logger.ts";
import { BackendError, type BackendObserver } from "../backend.ts";
import {
  GRPC,
  GrpcConnection,
  GrpcError,
  type GrpcStream,
  type StreamHandlers,
  type TlsFiles,
} from "./grpc_connection.ts";
import { decodeRangeReply, encodeRangeRequest, type RangeReply, type RangeRequestFields } from "./range_decode.ts";

export interface EtcdV3ClientOptions {
  /** Endpoint URLs with their scheme (http:// or https://). */
  endpoints: readonly string[];
  /** TLS files for https endpoints. Default: the system's roots, no client certificate. */
  tls?: TlsFiles;
  /** Credentials for etcd's token authentication. Default none. */
  auth?: { username: string; password: string };
  /** Longest wait for one unary call, ms. Default 5000. */
  timeoutMs?: number;
  observer?: BackendObserver;
  log?: Logger;
}

const PATH = {
  range: "/etcdserverpb.KV/Range",
  watch: "/etcdserverpb.Watch/Watch",
  authenticate: "/etcdserverpb.Auth/Authenticate",
} as const;

/** True when etcd rejected the token (expired, or from before a restart): authenticate again. */
export function isTokenRejected(err: unknown): boolean {
  if (!(err instanceof GrpcError)) return false;
  return err.code === GRPC.unauthenticated || /invalid auth token/.test(err.message);
}

/** True for a failure of the connection rather than of the request (another endpoint may answer). */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof GrpcError)) return false;
  return err.code === GRPC.unavailable || err.code === GRPC.deadlineExceeded ||
    (err.code === GRPC.canceled && (err.cause as Error | undefined)?.name === "TimeoutError");
}

export class EtcdV3Client {
  readonly endpoints: readonly string[];
  readonly #conns: GrpcConnection[];
  readonly #auth: { username: string; password: string } | undefined;
  readonly #timeoutMs: number;
  readonly #observer: BackendObserver | undefined;
  #current = 0;
  /** The token to send; "" when etcd has auth disabled; undefined when not asked yet. */
  #token: string | undefined;
  #authenticating: Promise<string> | undefined;

  constructor(opts: EtcdV3ClientOptions) {
    if (opts.endpoints.length === 0) throw new BackendError("etcdv3", "no etcd endpoints configured (-node)");
    this.endpoints = opts.endpoints;
    this.#conns = opts.endpoints.map((url) => new GrpcConnection(url, opts.tls));
    this.#auth = opts.auth;
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#observer = opts.observer;
  }

  /** The endpoint in use. */
  get endpoint(): string {
    return this.endpoints[this.#current];
  }

  /** Moves to the next endpoint (the one in use failed). */
  failover(): void {
    this.#observer?.reconnect?.(this.endpoint);
    this.#current = (this.#current + 1) % this.#conns.length;
  }

  /** KV.Range, on the endpoint in use or, when it cannot be reached, on the next ones. */
  async range(request: RangeRequestFields, signal?: AbortSignal): Promise<RangeReply> {
    const bytes = encodeRangeRequest(request);
    return decodeRangeReply(await this.#call("get", PATH.range, bytes, signal));
  }

  /** Opens a Watch stream on the endpoint in use, with the current token. */
  async openWatch(handlers: StreamHandlers, signal?: AbortSignal): Promise<GrpcStream> {
    const conn = this.#conns[this.#current];
    const token = await this.#ensureToken(conn, signal);
    // hasleader: a member cut off from its cluster ends the stream instead of going silent (as clientv3).
    return conn.stream(PATH.watch, handlers, { metadata: { ...tokenMetadata(token), hasleader: "true" } });
  }

  /** Forgets `token` (etcd rejected it); the next call authenticates again. */
  invalidateToken(): void {
    if (this.#token !== "") this.#token = undefined;
  }

  close(): void {
    for (const c of this.#conns) c.close();
  }

  async #call(op: "get", path: string, request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    let lastError: unknown;
    let reauthenticated = false;
    for (let tried = 0; tried < this.#conns.length;) {
      const conn = this.#conns[this.#current];
      const started = performance.now();
      try {
        const token = await this.#ensureToken(conn, signal);
        const reply = await conn.unary(path, request, {
          metadata: tokenMetadata(token),
          signal: this.#deadline(signal),
        });
        this.#observer?.request?.(op, (performance.now() - started) / 1000, true);
        return reply;
      } catch (err) {
        this.#observer?.request?.(op, (performance.now() - started) / 1000, false);
        if (signal?.aborted) throw signal.reason;
        lastError = err;
        if (isTokenRejected(err) && !reauthenticated && this.#auth !== undefined) {
          reauthenticated = true;
          this.invalidateToken();
          continue;
        }
        if (!isConnectionError(err)) throw err;
        this.failover();
        tried++;
      }
    }
    throw lastError;
  }

  /** The caller's signal combined with the per-call timeout. */
  #deadline(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  }

  /** The token to send (authenticating first when needed; concurrent callers share one request). */
  async #ensureToken(conn: GrpcConnection, signal?: AbortSignal): Promise<string> {
    if (this.#auth === undefined) return "";
    if (this.#token !== undefined) return this.#token;
    this.#authenticating ??= this.#authenticate(conn, this.#auth, signal).finally(() => {
      this.#authenticating = undefined;
    });
    return await this.#authenticating;
  }

  async #authenticate(
    conn: GrpcConnection,
    auth: { username: string; password: string },
    signal?: AbortSignal,
  ): Promise<string> {
    const started = performance.now();
    // Loaded only with -basic-auth: a plain read never builds protobuf-es's descriptors.
    const { create, fromBinary, toBinary } = await import("@bufbuild/protobuf");
    const { AuthenticateRequestSchema, AuthenticateResponseSchema } = await import("./gen/etcd_pb.ts");
    const request = toBinary(
      AuthenticateRequestSchema,
      create(AuthenticateRequestSchema, {
        name: auth.username,
        password: auth.password,
      }),
    );
    try {
      const reply = fromBinary(
        AuthenticateResponseSchema,
        await conn.unary(PATH.authenticate, request, { signal: this.#deadline(signal) }),
      );
      this.#observer?.request?.("auth", (performance.now() - started) / 1000, true);
      this.#token = reply.token;
      return reply.token;
    } catch (err) {
      this.#observer?.request?.("auth", (performance.now() - started) / 1000, false);
      // Confd sends the credentials whether or not etcd has auth on; so do we, and then send no token.
      if (err instanceof GrpcError && /authentication is not enabled/.test(err.message)) {
        this.#token = "";
        return "";
      }
      if (err instanceof GrpcError && err.code === GRPC.invalidArgument) {
        // etcd's wording ("invalid user ID or password") never holds the password itself.
        throw new BackendError("etcdv3", `etcd authentication failed for user "${auth.username}": ${err.message}`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}

function tokenMetadata(token: string): Record<string, string> {
  return token === "" ? {} : { token };
}
