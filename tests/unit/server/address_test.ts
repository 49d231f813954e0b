// -status-addr parsing: host:port forms, loopback for an empty host, clear errors.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatListenAddress, parseListenAddress } from "../../../src/server/address.ts";

describe("parseListenAddress", () => {
  const good: { name: string; input: string; host: string; port: number; shown: string }[] = [
    { name: "an IPv4 address", input: "127.0.0.1:9090", host: "127.0.0.1", port: 9090, shown: "127.0.0.1:9090" },
    { name: "all interfaces", input: "0.0.0.0:9090", host: "0.0.0.0", port: 9090, shown: "0.0.0.0:9090" },
    { name: "an empty host binds loopback", input: ":9090", host: "127.0.0.1", port: 9090, shown: "127.0.0.1:9090" },
    { name: "a host name", input: "localhost:80", host: "localhost", port: 80, shown: "localhost:80" },
    { name: "IPv6 in brackets", input: "[::1]:9090", host: "::1", port: 9090, shown: "[::1]:9090" },
    { name: "port 0 (a free one)", input: "127.0.0.1:0", host: "127.0.0.1", port: 0, shown: "127.0.0.1:0" },
  ];
  for (const c of good) {
    it(c.name, () => {
      const a = parseListenAddress(c.input);
      assert.deepEqual({ ...a }, { host: c.host, port: c.port });
      assert.equal(formatListenAddress(a), c.shown);
    });
  }

  const bad: { name: string; input: string; error: RegExp }[] = [
    { name: "no port", input: "9090", error: /invalid -status-addr "9090": no port \(want host:port/ },
    { name: "a port out of range", input: "127.0.0.1:70000", error: /port "70000" is not 0-65535/ },
    { name: "a named port", input: "127.0.0.1:http", error: /port "http" is not 0-65535/ },
    { name: "an empty port", input: "127.0.0.1:", error: /port "" is not 0-65535/ },
    { name: "IPv6 without brackets", input: "::1:9090", error: /IPv6 address must be written in brackets/ },
    { name: "an unclosed bracket", input: "[::1:9090", error: /unclosed \[/ },
    { name: "a URL", input: "http://127.0.0.1:9090", error: /"http:\/\/127\.0\.0\.1:9090": a URL, not an address/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => assert.throws(() => parseListenAddress(c.input), c.error));
  }
});
