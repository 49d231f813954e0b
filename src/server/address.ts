// The -status-addr setting: `host:port`, `[v6]:port` or `:port`. An empty host
// binds loopback (127.0.0.1): status and metrics are for this machine unless the
// operator names an interface (`0.0.0.0:9090` in a container).

export interface ListenAddress {
  /** Host or IP to bind; "127.0.0.1" when the setting has none. */
  host: string;
  /** TCP port; 0 lets the system choose a free one (the log line says which). */
  port: number;
}

/** Parses `addr`; throws an Error naming the setting and what was expected. */
export function parseListenAddress(addr: string): ListenAddress {
  const fail = (why: string): never => {
    throw new Error(`invalid -status-addr ${JSON.stringify(addr)}: ${why} (want host:port, e.g. 127.0.0.1:9090)`);
  };
  if (addr.includes("://")) fail("a URL, not an address");
  const colon = addr.lastIndexOf(":");
  if (colon < 0) fail("no port");
  let host = addr.slice(0, colon);
  const portText = addr.slice(colon + 1);
  if (host.startsWith("[")) {
    if (!host.endsWith("]")) fail("unclosed [ in an IPv6 address");
    host = host.slice(1, -1);
  } else if (host.includes(":")) {
    fail("an IPv6 address must be written in brackets, e.g. [::1]:9090");
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    fail(`port ${JSON.stringify(portText)} is not 0-65535`);
  }
  if (/[\s/?#@]/.test(host)) fail(`host ${JSON.stringify(host)} is not a host name or IP address`);
  return { host: host === "" ? "127.0.0.1" : host, port: Number(portText) };
}

/** `127.0.0.1:9090` or `[::1]:9090`, for log lines and URLs. */
export function formatListenAddress(a: ListenAddress): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
