// The etcd v2 keys API's data: request paths for keys, the JSON of a recursive
// GET flattened into key/value pairs as confd does, watch events, v2 error
// bodies (confd's wording: `100: Key not found (/w/nokey) [59]`), and the
// longest common ancestor that one watch covers all watched keys from.

/** A node of a v2 response (`node`, `nodes[i]`, `prevNode`). */
export interface V2Node {
  key?: string;
  value?: string;
  dir?: boolean;
  nodes?: V2Node[];
  /** A decimal string (parseEtcdJson keeps indexes exact). */
  modifiedIndex?: string | number;
}

/** One change from a watch: what happened to which key at which index. */
export interface V2Event {
  action: string;
  key: string;
  /** The event's modifiedIndex (where the next watch resumes, + 1). */
  index: bigint;
  dir: boolean;
}

/** An error body of the v2 API (`{"errorCode":100,"message":"Key not found","cause":"/x","index":59}`). */
export class V2ApiError extends Error {
  readonly errorCode: number;
  readonly status: number;
  /** The store index the error was reported at. */
  readonly index: bigint | undefined;
  constructor(status: number, body: { errorCode: number; message?: unknown; cause?: unknown; index?: unknown }) {
    // etcd's client formats its errors as "code: message (cause) [index]"; confd logs that.
    super(
      `${body.errorCode}: ${String(body.message ?? "")} (${String(body.cause ?? "")}) [${String(body.index ?? 0)}]`,
    );
    this.name = "V2ApiError";
    this.errorCode = body.errorCode;
    this.status = status;
    this.index = exactIndex(body.index);
  }
}

/** v2 error codes the backend acts on. */
export const V2_KEY_NOT_FOUND = 100;
export const V2_UNAUTHORIZED = 110;
export const V2_EVENT_INDEX_CLEARED = 401;

/** A key as etcd names it: absolute (a leading `/`), no trailing `/` except the root. */
export function absoluteKey(key: string): string {
  let k = key.startsWith("/") ? key : "/" + key;
  while (k.length > 1 && k.endsWith("/")) k = k.slice(0, -1);
  return k;
}

/**
 * The request path of `key` under /v2/keys: each segment percent-encoded, so spaces, `%`, `?`,
 * `#` and non-ASCII characters reach etcd as part of the key (`/a b/c?d` -> `/v2/keys/a%20b/c%3Fd`).
 */
export function keysPath(key: string): string {
  return "/v2/keys" + absoluteKey(key).split("/").map(encodeURIComponent).join("/");
}

/**
 * Adds the leaf pairs under a GET's `node` to `out`, keys as etcd returns them (directories are
 * recursed), keeping only keys that `accept` (default: all).
 */
export function flattenNode(node: V2Node, out: Map<string, string>, accept?: (key: string) => boolean): void {
  if (node.dir) {
    for (const child of node.nodes ?? []) flattenNode(child, out, accept);
    return;
  }
  if (typeof node.key === "string" && (accept === undefined || accept(node.key))) {
    out.set(node.key, typeof node.value === "string" ? node.value : "");
  }
}

/**
 * JSON.parse, with etcd's int64 indexes (`modifiedIndex`, `createdIndex`, `index`) kept as decimal strings:
 * they must never pass through a JS number (exact only up to 2^53).
 */
export function parseEtcdJson(body: string): unknown {
  return JSON.parse(body.replace(/("(?:modifiedIndex|createdIndex|index)":\s*)(\d+)/g, '$1"$2"'));
}

/** An index as parseEtcdJson leaves it (a decimal string; a number from elsewhere), exactly. */
export function exactIndex(value: unknown): bigint | undefined {
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}

/** Parses a JSON body, describing failures without quoting it (a body may hold secret values). */
export function parseJson(body: string, what: string): unknown {
  try {
    return parseEtcdJson(body);
  } catch {
    throw new Error(`${what}: response is not JSON (${body.length} bytes)`);
  }
}

/** The `node` of a GET response, checked for shape. */
export function responseNode(json: unknown, what: string): V2Node {
  const node = (json as { node?: unknown } | null)?.node;
  if (node === null || typeof node !== "object") throw new Error(`${what}: response has no "node"`);
  return node as V2Node;
}

/** The v2 error a body holds, or undefined when it is not one. */
export function apiError(status: number, json: unknown): V2ApiError | undefined {
  const code = (json as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === "number" ? new V2ApiError(status, json as { errorCode: number }) : undefined;
}

/** The event of a watch response; undefined when the body holds none (a cut-short poll: watch again). */
export function watchEvent(json: unknown): V2Event | undefined {
  const ev = json as { action?: unknown; node?: V2Node } | null;
  const node = ev?.node;
  if (typeof ev?.action !== "string" || node === null || typeof node !== "object") return undefined;
  const index = exactIndex(node.modifiedIndex);
  if (index === undefined) return undefined;
  // The root has no key in v2 answers; a change there is a change of everything.
  const key = typeof node.key === "string" ? node.key : "/";
  return { action: ev.action, key, index, dir: node.dir === true };
}

/**
 * The deepest directory holding every key (`/a/b/c` and `/a/b/d` -> `/a/b`; `/a` and `/b` -> `/`);
 * a key that holds the others is their ancestor (`/a` and `/a/b` -> `/a`).
 */
export function commonAncestor(keys: Iterable<string>): string {
  let common: string[] | undefined;
  for (const key of keys) {
    const parts = absoluteKey(key).split("/").filter((p) => p !== "");
    if (common === undefined) {
      common = parts;
      continue;
    }
    let n = 0;
    while (n < common.length && n < parts.length && common[n] === parts[n]) n++;
    common = common.slice(0, n);
  }
  return "/" + (common ?? []).join("/");
}
