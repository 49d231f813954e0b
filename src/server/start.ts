// The status server's entry point, imported by the runner only when
// -status-addr is set: subscribes a StatusState to the runner's events, then
// serves the app on the address. A bad address or a port in use is an Error
// for the runner to report (exit 1) before bootstrap begins.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import type { RunEvents } from "../runner/events.ts";
import { formatListenAddress, parseListenAddress } from "./address.ts";
import { createStatusApp } from "./app.ts";
import { listenHttp } from "./node_http.ts";
import { type BuildInfo, stateOptions, StatusState } from "./state.ts";

export interface StatusServerOptions {
  config: Config;
  events: RunEvents;
  log: Logger;
  /** Aborted on shutdown: /readyz then answers 503. */
  signal: AbortSignal;
  build: BuildInfo;
}

export interface StatusServer {
  /** `host:port` actually bound. */
  address: string;
  state: StatusState;
  /** Unsubscribes and stops serving. */
  close(): Promise<void>;
}

/** Starts serving on config.statusAddr; resolves with an Error (naming the address) when it cannot. */
export async function startStatusServer(opts: StatusServerOptions): Promise<StatusServer | Error> {
  const { config, events, log, signal, build } = opts;
  let addr;
  try {
    addr = parseListenAddress(config.statusAddr);
  } catch (err) {
    return err as Error;
  }
  const state = new StatusState(stateOptions(config));
  const app = createStatusApp(state, build);
  let listener;
  try {
    listener = await listenHttp((req) => app.fetch(req), addr);
  } catch (err) {
    return new Error(`cannot start the status server on ${formatListenAddress(addr)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const unsubscribe = events.on((e) => state.apply(e));
  const onAbort = () => state.shutdown();
  if (signal.aborted) state.shutdown();
  else signal.addEventListener("abort", onAbort, { once: true });
  const address = formatListenAddress(listener.address);
  log.info(`Status server listening on http://${address}`);
  return {
    address,
    state,
    close: async () => {
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      await listener.close();
    },
  };
}
