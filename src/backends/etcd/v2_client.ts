// The v2 keys API over a list of endpoints: a recursive read of one key, one
// long-poll of a watch, the store's current index. Requests go to the endpoint
// that last answered; one that cannot be reached (or answers 5xx) hands the
// request to the next, once around the list, after which the request fails with
// every endpoint's reason, in the words of confd's etcd client.

import type { BackendObserver } from "../backend.ts";
import { ConnectionError, displayEndpoint, type HttpResponse, type HttpTransport } from "./v2_transport.ts";
import {
  absoluteKey,
  apiError,
  keysPath,
  parseEtcdJson,
  parseJson,
  responseNode,
  V2_EVENT_INDEX_CLEARED,
  V2_UNAUTHORIZED,
  V2ApiError,
  type V2Event,
  type V2Node,
  watchEvent,
} from "./v2_keys.ts";

export interface V2ClientOptions {
  /** Endpoint URLs (`http://host:port`, `https://...`); at least one. */
  endpoints: readonly string[];
  transport: HttpTransport;
  /** Counts requests and endpoint changes. Default none. */
  observer?: BackendObserver;
  /** Shown in authentication errors (never the password). Default none. */
  username?: string;
  /** Time until response headers, in ms. Default 10,000. */
  headersTimeoutMs?: number;
  /** Time for a read's body, in ms. Default 60,000. */
  readTimeoutMs?: number;
  /** A long-poll with no event for this long is ended by the client and re-armed, in ms. Default 60,000. */
  pollTimeoutMs?: number;
}

/** What a recursive GET returned: the node tree and the store index it was read at. */
export interface V2Read {
  key: string;
  node: V2Node;
  index: bigint;
}

/** How one long-poll ended. */
export type V2PollResult =
  /** A change at or after waitIndex. */
  | { kind: "event"; event: V2Event; endpoint: string }
  /** No event within the poll timeout; nothing changed under the key up to `etcdIndex`. */
  | { kind: "idle"; etcdIndex: bigint | undefined; endpoint: string }
  /** The poll ended without an event (a server-side cut): watch again from the same index. */
  | { kind: "empty"; endpoint: string }
  /** errorCode 401: the history from waitIndex is gone; `index` is the store's current index. */
  | { kind: "cleared"; index: bigint; endpoint: string };

/** The endpoint serves no /v2/keys (etcd 3.4/3.5 without --enable-v2, 3.6 and later). */
export class NoV2ApiError extends Error {
  constructor(endpoint: string) {
    super(
      `etcd at ${endpoint} does not serve the v2 keys API (GET /v2/keys answered 404 page not found): ` +
        `etcd 3.4 and 3.5 serve it only when started with --enable-v2, etcd 3.6 not at all; ` +
        `for keys written with the v3 API (etcdctl put), use -backend etcdv3`,
    );
    this.name = "NoV2ApiError";
  }
}

/** No endpoint could be reached; the message lists each one's reason, as confd's client did. */
export class UnreachableError extends Error {
  readonly reasons: readonly ConnectionError[];
  constructor(reasons: readonly ConnectionError[]) {
    super(
      "client: etcd cluster is unavailable or misconfigured; " +
        reasons.map((r, i) => `error #${i}: ${r.message}`).join("; "),
    );
    this.name = "UnreachableError";
    this.reasons = reasons;
  }
}

export class V2Client {
  readonly endpoints: readonly string[];
  readonly #transport: HttpTransport;
  readonly #observer: BackendObserver | undefined;
  readonly #username: string | undefined;
  readonly #headersTimeoutMs: number;
  readonly #readTimeoutMs: number;
  readonly #pollTimeoutMs: number;
  /** Index into endpoints of the one that last answered. */
  #current = 0;

  constructor(opts: V2ClientOptions) {
    if (opts.endpoints.length === 0) throw new Error("etcd: no endpoints configured");
    this.endpoints = [...opts.endpoints];
    this.#transport = opts.transport;
    this.#observer = opts.observer;
    this.#username = opts.username;
    this.#headersTimeoutMs = opts.headersTimeoutMs ?? 10_000;
    this.#readTimeoutMs = opts.readTimeoutMs ?? 60_000;
    this.#pollTimeoutMs = opts.pollTimeoutMs ?? 60_000;
  }

  /** The endpoint requests go to first (for log lines). */
  get current(): string {
    return displayEndpoint(this.endpoints[this.#current]);
  }

  /**
   * `GET /v2/keys<key>?recursive=true&sorted=true&quorum=true`, as confd 0.16 reads. A key that does
   * not exist rejects with V2ApiError 100 (`100: Key not found (/x) [59]`).
   */
  async read(key: string, signal?: AbortSignal): Promise<V2Read> {
    const abs = absoluteKey(key);
    const res = await this.#request("get", `${keysPath(abs)}?recursive=true&sorted=true&quorum=true`, {
      signal,
      bodyTimeoutMs: this.#readTimeoutMs,
    });
    const what = `etcd ${res.endpoint}: GET ${abs}`;
    const json = parseJson(res.body, what);
    const err = apiError(res.status, json);
    if (err) throw this.#explain(err);
    if (res.status !== 200) throw new Error(`${what}: unexpected HTTP status ${res.status}`);
    if (res.etcdIndex === undefined) throw new Error(`${what}: response has no X-Etcd-Index header`);
    return { key: abs, node: responseNode(json, what), index: res.etcdIndex };
  }

  /** One long-poll: `GET /v2/keys<key>?wait=true&recursive=true&waitIndex=N`. */
  async poll(key: string, waitIndex: bigint, signal: AbortSignal): Promise<V2PollResult> {
    const abs = absoluteKey(key);
    const res = await this.#request("watch", `${keysPath(abs)}?wait=true&recursive=true&waitIndex=${waitIndex}`, {
      signal,
      bodyTimeoutMs: this.#pollTimeoutMs,
      idleOk: true,
    });
    const endpoint = res.endpoint;
    if (res.idle) return { kind: "idle", etcdIndex: res.etcdIndex, endpoint };
    if (res.body.trim() === "") return { kind: "empty", endpoint };
    let json: unknown;
    try {
      json = parseEtcdJson(res.body);
    } catch {
      // A response cut short (a full watcher buffer on the server): watch again.
      if (res.status === 200) return { kind: "empty", endpoint };
      throw new Error(`etcd ${endpoint}: watch ${abs}: HTTP ${res.status}, response is not JSON`);
    }
    const err = apiError(res.status, json);
    if (err?.errorCode === V2_EVENT_INDEX_CLEARED) {
      const index = res.etcdIndex ?? err.index;
      if (index !== undefined) return { kind: "cleared", index, endpoint };
      return { kind: "cleared", index: await this.currentIndex(abs, signal), endpoint };
    }
    if (err) throw this.#explain(err);
    const event = watchEvent(json);
    return event ? { kind: "event", event, endpoint } : { kind: "empty", endpoint };
  }

  /**
   * The store's current index: `X-Etcd-Index` of a HEAD of `key` (no body, however large the
   * directory; a missing key answers it too). A refusal is asked again with GET, for etcd's reason.
   */
  async currentIndex(key: string, signal?: AbortSignal): Promise<bigint> {
    const abs = absoluteKey(key);
    const path = keysPath(abs);
    let res = await this.#request("get", path, { signal, bodyTimeoutMs: this.#readTimeoutMs, method: "HEAD" });
    const what = `etcd ${res.endpoint}: GET ${abs}`;
    if (res.status !== 200 && res.status !== 404) {
      res = await this.#request("get", path, { signal, bodyTimeoutMs: this.#readTimeoutMs });
      const err = res.body === "" ? undefined : apiError(res.status, parseJson(res.body, what));
      if (err) throw this.#explain(err);
      if (res.status !== 200 && res.status !== 404) throw new Error(`${what}: unexpected HTTP status ${res.status}`);
    }
    if (res.etcdIndex === undefined) throw new Error(`${what}: response has no X-Etcd-Index header`);
    return res.etcdIndex;
  }

  /**
   * Sends one GET, trying each endpoint at most once, starting with the one that last answered.
   * Rejects with signal.reason on abort, NoV2ApiError, or UnreachableError with every reason.
   */
  async #request(
    op: "get" | "watch",
    path: string,
    opts: { signal?: AbortSignal; bodyTimeoutMs: number; idleOk?: boolean; method?: "GET" | "HEAD" },
  ): Promise<HttpResponse & { endpoint: string }> {
    const reasons: ConnectionError[] = [];
    const first = this.#current;
    for (let tried = 0; tried < this.endpoints.length; tried++) {
      const i = (first + tried) % this.endpoints.length;
      const endpoint = this.endpoints[i];
      const shown = displayEndpoint(endpoint);
      const start = performance.now();
      let res: HttpResponse;
      try {
        res = await this.#send(endpoint, path, opts);
      } catch (err) {
        this.#observer?.request?.(op, (performance.now() - start) / 1000, false);
        if (opts.signal?.aborted || !(err instanceof ConnectionError)) throw err;
        reasons.push(err);
        this.#moveFrom(i);
        continue;
      }
      const ok = res.status < 500;
      this.#observer?.request?.(op, (performance.now() - start) / 1000, ok && res.status !== 404);
      if (res.status === 404 && !res.contentType.includes("json")) throw new NoV2ApiError(shown);
      if (!ok) {
        // A member without a leader, or one that timed out a quorum read: another may answer.
        reasons.push(new ConnectionError(shown, `${shown}: HTTP ${res.status}${statusDetail(res)}`));
        this.#moveFrom(i);
        continue;
      }
      this.#current = i;
      return { ...res, endpoint: shown };
    }
    throw new UnreachableError(reasons);
  }

  /** One GET to one endpoint, sent again once when a kept-alive socket turned out to be closed. */
  async #send(
    endpoint: string,
    path: string,
    opts: { signal?: AbortSignal; bodyTimeoutMs: number; idleOk?: boolean; method?: "GET" | "HEAD" },
  ): Promise<HttpResponse> {
    const request = { headersTimeoutMs: this.#headersTimeoutMs, ...opts };
    try {
      return await this.#transport.get(endpoint, path, request);
    } catch (err) {
      if (!(err instanceof ConnectionError) || !err.reset || opts.signal?.aborted) throw err;
      return await this.#transport.get(endpoint, path, request);
    }
  }

  /** Moves requests away from endpoint `i` (when it is the current one). */
  #moveFrom(i: number): void {
    if (this.endpoints.length === 1 || this.#current !== i) {
      this.#observer?.reconnect?.(displayEndpoint(this.endpoints[i]));
      return;
    }
    this.#current = (i + 1) % this.endpoints.length;
    this.#observer?.reconnect?.(displayEndpoint(this.endpoints[this.#current]));
  }

  /** Adds what the user can do to an authentication error (never the password). */
  #explain(err: V2ApiError): V2ApiError {
    if (err.errorCode !== V2_UNAUTHORIZED) return err;
    const who = this.#username !== undefined ? `user "${this.#username}"` : "anonymous requests (no -basic-auth)";
    err.message += `: etcd refused ${who}; check -basic-auth, -username and -password, and the user's v2 role`;
    return err;
  }
}

/** The v2 error code and message of a 5xx body, when it has one (never values: errors hold none). */
function statusDetail(res: HttpResponse): string {
  try {
    const err = apiError(res.status, parseEtcdJson(res.body));
    return err ? ` (${err.message})` : "";
  } catch {
    return "";
  }
}
