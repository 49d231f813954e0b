// HTTP/1.1 requests to one etcd endpoint over node:http / node:https, the one
// transport that takes TLS options (CA, client certificate, skip-verify) the
// same way under Bun, Deno and the compiled binary (fetch has no portable TLS
// options). Keep-alive sockets, basic auth, a deadline for the response headers
// and one for the body, a cap on the body size; a long-poll whose body does not
// come in time ends as "idle" with its headers, not as an error.

import { Buffer } from "node:buffer";
import type http from "node:http";
import type https from "node:https";

export interface TlsFiles {
  /** PEM CA bundle verifying the server (-client-ca-keys). Default: the system's roots. */
  ca?: string;
  /** PEM client certificate and key (-client-cert, -client-key). Default: none. */
  cert?: string;
  key?: string;
  /** Skip verification of the server's certificate (-client-insecure). Default false. */
  insecure?: boolean;
}

export interface TransportOptions {
  tls?: TlsFiles;
  /** HTTP basic auth (-basic-auth); never logged. Default none. */
  auth?: { username: string; password: string };
  /** Largest response body accepted, in bytes. Default 256 MiB. */
  maxBodyBytes?: number;
}

export interface RequestOptions {
  /** "HEAD" asks for the headers only. Default "GET". */
  method?: "GET" | "HEAD";
  /** Aborts the request; it then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Time allowed until the response headers, in ms (a dead or hung endpoint). */
  headersTimeoutMs: number;
  /** Time allowed after the headers until the body is complete, in ms. */
  bodyTimeoutMs: number;
  /** When the body times out: resolve with `idle: true` (a long-poll) instead of failing. Default false. */
  idleOk?: boolean;
}

export interface HttpResponse {
  status: number;
  /** `X-Etcd-Index`, when sent. */
  etcdIndex: bigint | undefined;
  contentType: string;
  /** The body as UTF-8 text ("" when idle). */
  body: string;
  /** The body did not come within bodyTimeoutMs (only with idleOk). */
  idle: boolean;
}

/**
 * The request never got an HTTP response from this endpoint (refused, reset, timed out, TLS
 * handshake failed): another endpoint may answer. `message` says why in Go's words where it can.
 */
export class ConnectionError extends Error {
  readonly endpoint: string;
  /**
   * The connection was reset or closed before any response: a kept-alive socket the server (or a
   * proxy) had closed meanwhile looks like this, so the request is worth one more try on the same
   * endpoint.
   */
  readonly reset: boolean;
  constructor(endpoint: string, message: string, options?: { cause?: unknown; reset?: boolean }) {
    super(message, options);
    this.name = "ConnectionError";
    this.endpoint = endpoint;
    this.reset = options?.reset ?? false;
  }
}

/** An endpoint URL as shown in logs and errors: scheme, host and port only (never credentials). */
export function displayEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

const DEFAULT_MAX_BODY = 256 * 1024 * 1024;

// Go's words for socket failures, so errors read as confd's did.
const NET_REASONS: Record<string, string> = {
  ECONNREFUSED: "connect: connection refused",
  ECONNRESET: "read: connection reset by peer",
  EPIPE: "write: broken pipe",
  ETIMEDOUT: "i/o timeout",
  EHOSTUNREACH: "connect: no route to host",
  ENETUNREACH: "connect: network is unreachable",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "temporary failure in name resolution",
};

interface Clients {
  http: typeof http;
  https: typeof https;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

export class HttpTransport {
  readonly #auth: string | undefined;
  readonly #maxBody: number;
  readonly #tls: https.AgentOptions;
  /**
   * node:http and node:https, loaded with the first request: a compiled binary hoists static
   * `node:` imports to its start, and every run that never talks to etcd would pay for them.
   */
  #clients: Promise<Clients> | undefined;
  #closed = false;

  constructor(opts: TransportOptions = {}) {
    this.#auth = opts.auth
      ? "Basic " + Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString("base64")
      : undefined;
    this.#maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const t = opts.tls ?? {};
    this.#tls = {
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
      ...(t.cert !== undefined ? { cert: t.cert } : {}),
      ...(t.key !== undefined ? { key: t.key } : {}),
      rejectUnauthorized: !t.insecure,
    };
  }

  #load(): Promise<Clients> {
    this.#clients ??= Promise.all([import("node:http"), import("node:https")]).then(([h, s]) => {
      const httpMod = (h.default ?? h) as typeof http;
      const httpsMod = (s.default ?? s) as typeof https;
      return {
        http: httpMod,
        https: httpsMod,
        httpAgent: new httpMod.Agent({ keepAlive: true }),
        httpsAgent: new httpsMod.Agent({ keepAlive: true, ...this.#tls }),
      };
    });
    return this.#clients;
  }

  /** GET (or HEAD) `pathAndQuery` (already encoded) from `endpoint` (`http://host:port`). */
  async get(endpoint: string, pathAndQuery: string, opts: RequestOptions): Promise<HttpResponse> {
    const clients = await this.#load();
    if (this.#closed) throw new ConnectionError(displayEndpoint(endpoint), "the etcd client is closed");
    return this.#send(clients, endpoint, pathAndQuery, opts);
  }

  #send(clients: Clients, endpoint: string, pathAndQuery: string, opts: RequestOptions): Promise<HttpResponse> {
    const shown = displayEndpoint(endpoint);
    let url: URL;
    try {
      url = new URL(pathAndQuery, endpoint);
    } catch (err) {
      return Promise.reject(new ConnectionError(shown, `invalid endpoint ${shown}`, { cause: err }));
    }
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") {
      return Promise.reject(new ConnectionError(shown, `unsupported scheme in endpoint ${shown} (http or https)`));
    }
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string> = { accept: "application/json" };
      if (this.#auth) headers.authorization = this.#auth;
      const request = (secure ? clients.https.request : clients.http.request)({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || (secure ? 443 : 80),
        path: url.pathname + url.search,
        method: opts.method ?? "GET",
        headers,
        agent: secure ? clients.httpsAgent : clients.httpAgent,
        ...(secure ? this.#tls : {}),
      });
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        fn();
      };
      const fail = (err: Error) => {
        finish(() => reject(err));
        request.destroy();
      };
      const onAbort = () => fail(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      timer = setTimeout(() => {
        fail(new ConnectionError(shown, `${shown}: no response within ${opts.headersTimeoutMs / 1000}s`));
      }, opts.headersTimeoutMs);
      request.on("error", (err) => fail(connectionError(shown, err)));
      request.on("response", (res) => {
        clearTimeout(timer);
        const head = {
          status: res.statusCode ?? 0,
          etcdIndex: parseIndex(res.headers["x-etcd-index"]),
          contentType: String(res.headers["content-type"] ?? ""),
        };
        const tooLarge = () => new Error(`${shown}: response larger than ${formatBytes(this.#maxBody)}, refused`);
        if (Number(res.headers["content-length"] ?? 0) > this.#maxBody) {
          fail(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        timer = setTimeout(() => {
          if (opts.idleOk) {
            finish(() => resolve({ ...head, body: "", idle: true }));
            request.destroy();
          } else {
            fail(
              new ConnectionError(shown, `${shown}: response body not complete within ${opts.bodyTimeoutMs / 1000}s`),
            );
          }
        }, opts.bodyTimeoutMs);
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.#maxBody) {
            fail(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          finish(() => resolve({ ...head, body: Buffer.concat(chunks).toString("utf8"), idle: false }));
        });
        res.on("error", (err) => fail(connectionError(shown, err)));
        res.on("aborted", () => fail(new ConnectionError(shown, `${shown}: connection closed mid-response`)));
      });
      request.end();
    });
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.#closed = true;
    void this.#clients?.then((c) => {
      c.httpAgent.destroy();
      c.httpsAgent.destroy();
    });
  }
}

function parseIndex(h: string | string[] | undefined): bigint | undefined {
  const s = Array.isArray(h) ? h[0] : h;
  return s !== undefined && /^\d+$/.test(s) ? BigInt(s) : undefined;
}

function connectionError(endpoint: string, err: Error): ConnectionError {
  if (err instanceof ConnectionError) return err;
  const code = (err as { code?: unknown }).code;
  const hostPort = endpoint.replace(/^[a-z]+:\/\//, "");
  let reason: string;
  if (typeof code === "string" && code in NET_REASONS) reason = `dial tcp ${hostPort}: ${NET_REASONS[code]}`;
  else if (typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(code)) {
    reason = `tls: ${err.message} (${code})`;
  } else reason = err.message + (typeof code === "string" ? ` (${code})` : "");
  const reset = code === "ECONNRESET" || code === "EPIPE" || /socket hang up/i.test(err.message);
  return new ConnectionError(endpoint, reason, { cause: err, reset });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
