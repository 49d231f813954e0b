// Serves a fetch-style handler (Request -> Response) with node:http, which Bun,
// Deno and the compiled binary all provide. node:http is imported when a server
// starts, so runs without one never load it. Only GET and HEAD carry meaning
// here: request bodies are never read.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ListenAddress } from "./address.ts";

export type FetchHandler = (req: Request) => Response | Promise<Response>;

export interface HttpListener {
  /** The bound address (the real port when 0 was asked). */
  address: ListenAddress;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Words for the listen errors an operator can fix. */
function listenError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "EADDRINUSE":
      return "address already in use";
    case "EACCES":
      return "permission denied (ports below 1024 need privileges)";
    case "EADDRNOTAVAIL":
      return "no such address on this machine";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    default:
      return err.message;
  }
}

async function respond(handler: FetchHandler, origin: string, req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? "/";
  let response: Response;
  if (!path.startsWith("/")) {
    response = new Response("400 bad request\n", { status: 400 });
  } else {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers.set(k, v);
    }
    try {
      response = await handler(new Request(origin + path, { method: req.method, headers }));
    } catch {
      response = new Response("500 internal server error\n", { status: 500 });
    }
  }
  const body = new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  // A HEAD response has no body (Hono drops it): its length is not known, so none is sent.
  if (req.method === "HEAD") return void res.end();
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}

/** Listens on `addr`; rejects with an Error saying why it could not. */
export async function listenHttp(handler: FetchHandler, addr: ListenAddress): Promise<HttpListener> {
  const { createServer } = await import("node:http");
  // Requests are routed by path alone; the origin only makes the URL whole (the Host header is not trusted).
  const origin = `http://${addr.host.includes(":") ? `[${addr.host}]` : addr.host}:${addr.port}`;
  const server: Server = createServer((req, res) => {
    respond(handler, origin, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => reject(new Error(listenError(err), { cause: err })));
    server.listen(addr.port, addr.host, () => resolve());
  });
  const bound = server.address();
  const port = bound !== null && typeof bound === "object" ? bound.port : addr.port;
  return {
    address: { host: addr.host, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
