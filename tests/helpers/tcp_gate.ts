// A TCP forwarder on a free loopback port in front of a real server, which a test
// can cut (every connection dropped, new ones closed at once) and open again: a
// network outage seen by one client only, while the test goes on using the server.

import { createConnection, createServer, type Server, type Socket } from "node:net";

export class TcpGate {
  readonly #target: { host: string; port: number };
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #open = true;
  port = 0;

  constructor(targetUrl: string) {
    const u = new URL(targetUrl);
    this.#target = { host: u.hostname, port: Number(u.port) };
  }

  /** The gate's URL with the target's scheme (http://127.0.0.1:<port>). */
  url(scheme = "http"): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((client) => {
      if (!this.#open) return client.destroy();
      const upstream = createConnection(this.#target);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
    return this;
  }

  /** Drops every connection; new ones are closed at once until open(). */
  cut(): void {
    this.#open = false;
    for (const s of this.#sockets) s.destroy();
  }

  open(): void {
    this.#open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server ? this.#server.close(() => resolve()) : resolve());
  }
}
