// confd.toml: case-insensitive keys, confd's odd spellings, and errors that
// name the file, the line and the key.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfigText } from "../../../src/config/file.ts";
import { topLevelKeyLines } from "../../../src/config/key_lines.ts";

const PATH = "/etc/confd/confd.toml";

function settings(text: string) {
  const result = parseConfigText(PATH, text);
  assert.equal(result.kind, "settings");
  if (result.kind !== "settings") throw new Error("unreachable");
  return result;
}

const ACCEPTED: { name: string; text: string; expect: Record<string, unknown> }[] = [
  {
    name: "documented keys",
    text: 'backend = "etcdv3"\nnodes = ["a:1", "b:2"]\ninterval = 30',
    expect: { backend: "etcdv3", nodes: ["a:1", "b:2"], interval: 30 },
  },
  {
    name: "keys in any case",
    text: 'BACKEND = "file"\nConfDir = "/x"\nClient_CaKeys = "/ca.pem"',
    expect: { backend: "file", confdir: "/x", clientCaKeys: "/ca.pem" },
  },
  {
    name: "hyphenated log-level and sync-only",
    text: 'log-level = "debug"\nsync-only = true',
    expect: { logLevel: "debug", syncOnly: true },
  },
  {
    name: "underscore spellings of hyphenated keys",
    text: 'log_level = "debug"\nsync_only = true',
    expect: { logLevel: "debug", syncOnly: true },
  },
  {
    name: "undocumented onetime and KeepStageFile",
    text: "onetime = true\nKeepStageFile = true",
    expect: { onetime: true, keepStageFile: true },
  },
  { name: "client_insecure", text: "client_insecure = true", expect: { clientInsecure: true } },
  { name: "an int64 beyond 2^53", text: "interval = 1152921504606846976", expect: { interval: 2 ** 60 } },
  { name: "integers in any TOML form", text: "interval = 0x1E", expect: { interval: 30 } },
  { name: "quoted keys", text: '"backend" = "env"', expect: { backend: "env" } },
  { name: "keys confd accepts and ignores", text: 'ConfigDir = "/a"\nTemplateDir = "/b"\nrole = "x"', expect: {} },
];

const REJECTED: { name: string; text: string; message: string }[] = [
  {
    name: "an unknown key, with its line",
    text: 'backend = "etcd"\n\nbakend = "env"',
    message: `${PATH}:3: unknown key "bakend"; did you mean "backend"?`,
  },
  {
    name: "an unknown key written in another case",
    text: "# c\nNODEZ = []",
    message: `${PATH}:2: unknown key "NODEZ"; did you mean "nodes"?`,
  },
  {
    name: "an unknown key like no known one, without a hint",
    text: "colour = 1",
    message: `${PATH}:1: unknown key "colour"`,
  },
  {
    name: "a misspelt hyphenated key, hinting the canonical spelling",
    text: 'loglevel = "debug"',
    message: `${PATH}:1: unknown key "loglevel"; did you mean "log-level"?`,
  },
  {
    name: "a table, which confd.toml never has",
    text: 'backend = "etcd"\n[extra]\nx = 1',
    message: `${PATH}:2: unknown key "extra"`,
  },
  {
    name: "a string interval",
    text: 'interval = "10"',
    message: `${PATH}:1: key "interval" must be an integer, got string "10"`,
  },
  {
    name: "a float interval",
    text: "interval = 1.5",
    message: `${PATH}:1: key "interval" must be an integer, got float 1.5`,
  },
  {
    name: "a key repeated in another case",
    text: 'backend = "file"\nBackend = "env"',
    message: `${PATH}:2: key "Backend" sets the same setting as "backend"`,
  },
  {
    name: "two spellings of one setting",
    text: 'log-level = "debug"\nlog_level = "info"',
    message: `${PATH}:2: key "log_level" sets the same setting as "log-level"`,
  },
  {
    name: "a whole float interval (TOML keeps 1.0 a float)",
    text: "interval = 1.0",
    message: `${PATH}:1: key "interval" must be an integer, got float 1.0`,
  },
  {
    name: "an exponent interval",
    text: "interval = 1e3",
    message: `${PATH}:1: key "interval" must be an integer, got float 1000.0`,
  },
  {
    name: "a string for a boolean",
    text: 'onetime = "true"',
    message: `${PATH}:1: key "onetime" must be a boolean (true or false), got string "true"`,
  },
  {
    name: "a string for nodes",
    text: 'nodes = "a:1"',
    message: `${PATH}:1: key "nodes" must be an array of strings, got string "a:1"`,
  },
  {
    name: "numbers in nodes",
    text: "\n\nnodes = [1, 2]",
    message: `${PATH}:3: key "nodes" must be an array of strings, got array`,
  },
];

describe("confd.toml", () => {
  for (const c of ACCEPTED) {
    it(`accepts ${c.name}`, () => {
      const result = settings(c.text);
      assert.deepEqual(result.problems, []);
      assert.deepEqual({ ...result.layer }, c.expect);
    });
  }
  for (const c of REJECTED) {
    it(`rejects ${c.name}`, () => {
      const result = settings(c.text);
      assert.deepEqual(result.problems.map((p) => p.message), [c.message]);
    });
  }
  it("reports every problem at once", () => {
    const result = settings('bad1 = 1\ninterval = "x"\nbad2 = 2');
    assert.equal(result.problems.length, 3);
    assert.deepEqual(result.problems.map((p) => p.line), [1, 2, 3]);
  });
  it("records where each value came from", () => {
    assert.equal(settings('\nbackend = "env"').origins.get("backend"), `${PATH}:2: key "backend"`);
  });
  it("reports a TOML syntax error with line and column", () => {
    const result = parseConfigText(PATH, 'backend = "etcd"\ninterval = = 3');
    assert.equal(result.kind, "error");
    if (result.kind !== "error") return;
    assert.match(result.problem.message, /^\/etc\/confd\/confd\.toml:2:\d+: invalid TOML: /);
    assert.equal(result.problem.line, 2);
  });
  it("recognises a template resource by its [template] table", () => {
    assert.equal(parseConfigText(PATH, '[template]\nsrc = "a.tmpl"\ndest = "/tmp/a"').kind, "resource");
  });
});

describe("finding key lines", () => {
  it("skips the content of multi-line strings", () => {
    const lines = topLevelKeyLines('a = """\nb = 1\n"""\nc = 2');
    assert.equal(lines.get("b"), undefined);
    assert.equal(lines.get("c"), 4);
  });
  it("ignores keys inside tables and comments", () => {
    const lines = topLevelKeyLines("# x = 1\n[t]\ny = 2");
    assert.deepEqual([...lines], [["t", 2]]);
  });
  it("keeps keys as written, so keys differing in case have their own lines", () => {
    assert.deepEqual([...topLevelKeyLines("backend = 1\nBackend = 2")], [["backend", 1], ["Backend", 2]]);
  });
  it("takes the first part of a dotted key", () => {
    assert.equal(topLevelKeyLines('\n"a.b".c = 1').get("a.b"), 2);
  });
});
