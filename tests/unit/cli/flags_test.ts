// The Go flag syntax: every accepted form and every error, with Go's wording.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FlagError, type FlagSpec, type FlagValue, parseFlags } from "../../../src/cli/flags.ts";
import { CONFD_FLAGS } from "../../../src/cli/confd_flags.ts";

const SPECS: readonly FlagSpec[] = [
  { name: "backend", kind: "string" },
  { name: "onetime", kind: "bool" },
  { name: "interval", kind: "int" },
  { name: "node", kind: "list" },
  { name: "prefix", kind: "string" },
];

const ACCEPTED: { name: string; args: string[]; values: Record<string, FlagValue>; rest?: string[] }[] = [
  { name: "one dash with a separate value", args: ["-backend", "env"], values: { backend: "env" } },
  { name: "two dashes with a separate value", args: ["--backend", "env"], values: { backend: "env" } },
  { name: "one dash with =value", args: ["-backend=env"], values: { backend: "env" } },
  { name: "two dashes with =value", args: ["--backend=env"], values: { backend: "env" } },
  { name: "=value may be empty", args: ["-prefix="], values: { prefix: "" } },
  { name: "=value may contain =", args: ["-prefix=a=b"], values: { prefix: "a=b" } },
  { name: "a separate value may start with a dash", args: ["-prefix", "-x"], values: { prefix: "-x" } },
  { name: "a bare boolean is true", args: ["-onetime"], values: { onetime: true } },
  { name: "a boolean takes =false", args: ["-onetime=false"], values: { onetime: false } },
  { name: "a boolean takes Go's other spellings", args: ["--onetime=T"], values: { onetime: true } },
  { name: "a boolean takes =0", args: ["-onetime=0"], values: { onetime: false } },
  {
    name: "a boolean does not take a separate value",
    args: ["-onetime", "false", "-backend", "env"],
    values: { onetime: true },
    rest: ["false", "-backend", "env"],
  },
  { name: "an int in decimal", args: ["-interval", "30"], values: { interval: 30 } },
  { name: "an int in hex", args: ["-interval=0x1f"], values: { interval: 31 } },
  { name: "an int in octal (leading 0)", args: ["-interval=010"], values: { interval: 8 } },
  { name: "a negative int", args: ["-interval=-5"], values: { interval: -5 } },
  {
    name: "a repeatable flag accumulates",
    args: ["-node", "a", "--node=b", "-node", "c"],
    values: { node: ["a", "b", "c"] },
  },
  {
    name: "the last value of a plain flag wins",
    args: ["-backend", "etcd", "-backend", "file"],
    values: { backend: "file" },
  },
  {
    name: "parsing stops at the first non-flag",
    args: ["-onetime", "positional", "-backend", "env"],
    values: { onetime: true },
    rest: ["positional", "-backend", "env"],
  },
  { name: "a lone dash is a non-flag", args: ["-", "-onetime"], values: {}, rest: ["-", "-onetime"] },
  {
    name: "-- ends the flags and is dropped",
    args: ["-onetime", "--", "-backend"],
    values: { onetime: true },
    rest: ["-backend"],
  },
];

const REJECTED: { name: string; args: string[]; message: string }[] = [
  { name: "an unknown flag", args: ["-bakend", "env"], message: "flag provided but not defined: -bakend" },
  { name: "an unknown flag with two dashes", args: ["--nope=1"], message: "flag provided but not defined: -nope" },
  {
    name: "a non-integer interval",
    args: ["-interval", "abc"],
    message: 'invalid value "abc" for flag -interval: parse error',
  },
  { name: "a float interval", args: ["-interval=1.5"], message: 'invalid value "1.5" for flag -interval: parse error' },
  {
    name: "an interval past int64",
    args: ["-interval=9223372036854775808"],
    message: 'invalid value "9223372036854775808" for flag -interval: value out of range',
  },
  { name: "a bad boolean", args: ["-onetime=yes"], message: 'invalid boolean value "yes" for -onetime: parse error' },
  {
    name: "a value quoted as Go's %q quotes it",
    args: ['-onetime=\x01\u00a0"é'],
    message: 'invalid boolean value "\\x01\\u00a0\\"é" for -onetime: parse error',
  },
  {
    name: "an int value quoted as Go's %q quotes it",
    args: ["-interval", "1\t2"],
    message: 'invalid value "1\\t2" for flag -interval: parse error',
  },
  { name: "a missing value", args: ["-backend"], message: "flag needs an argument: -backend" },
  { name: "a missing value for a repeatable flag", args: ["-node"], message: "flag needs an argument: -node" },
  { name: "a value-less =", args: ["-interval="], message: 'invalid value "" for flag -interval: parse error' },
  { name: "two dashes before =", args: ["--=x"], message: "bad flag syntax: --=x" },
  { name: "three dashes", args: ["---backend"], message: "bad flag syntax: ---backend" },
  { name: "a dash before =", args: ["-=x"], message: "bad flag syntax: -=x" },
];

describe("Go flag syntax", () => {
  for (const c of ACCEPTED) {
    it(`accepts ${c.name}`, () => {
      const parsed = parseFlags(SPECS, c.args);
      assert.deepEqual(Object.fromEntries(parsed.values), c.values);
      assert.deepEqual(parsed.rest, c.rest ?? []);
      assert.equal(parsed.help, false);
    });
  }
  for (const c of REJECTED) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => parseFlags(SPECS, c.args), (err: unknown) => {
        assert.ok(err instanceof FlagError);
        assert.equal(err.message, c.message);
        return true;
      });
    });
  }
  for (const arg of ["-h", "-help", "--help", "--h"]) {
    it(`treats ${arg} as a request for help`, () => {
      assert.equal(parseFlags(SPECS, ["-onetime", arg, "-nope"]).help, true);
    });
  }
  it("reports a bad flag before a later -h", () => {
    assert.throws(() => parseFlags(SPECS, ["-nope", "-h"]), FlagError);
  });
  it("with interspersed, collects positionals and keeps parsing", () => {
    const parsed = parseFlags(SPECS, ["a.tmpl", "-backend", "env", "-"], { interspersed: true });
    assert.deepEqual(parsed.rest, ["a.tmpl", "-"]);
    assert.equal(parsed.values.get("backend"), "env");
  });
});

describe("confd flag table", () => {
  const names = CONFD_FLAGS.map((f) => f.name);
  const confdFlags = [
    "app-id",
    "auth-token",
    "auth-type",
    "backend",
    "basic-auth",
    "client-ca-keys",
    "client-cert",
    "client-key",
    "client-insecure",
    "confdir",
    "config-file",
    "file",
    "filter",
    "interval",
    "keep-stage-file",
    "log-level",
    "node",
    "noop",
    "onetime",
    "password",
    "path",
    "prefix",
    "role-id",
    "scheme",
    "secret-id",
    "separator",
    "srv-domain",
    "srv-record",
    "sync-only",
    "table",
    "user-id",
    "username",
    "version",
    "watch",
  ];
  for (const flag of [...confdFlags, "log-format", "diff"]) {
    it(`defines -${flag}`, () => assert.ok(names.includes(flag)));
  }
  it("defines each flag once", () => assert.equal(new Set(names).size, names.length));
  it("makes -node and -file repeatable", () => {
    for (const name of ["node", "file"]) assert.equal(CONFD_FLAGS.find((f) => f.name === name)?.kind, "list");
  });
});

describe("-- ends the flags and marks the rest as a command line", () => {
  it("keeps everything after -- (flags included) and says it came after --", () => {
    const parsed = parseFlags(CONFD_FLAGS, ["-watch", "--", "nginx", "-g", "daemon off;"]);
    assert.deepEqual(parsed.rest, ["nginx", "-g", "daemon off;"]);
    assert.equal(parsed.dashDash, true);
    assert.equal(parsed.values.get("watch"), true);
  });
  it("a plain non-flag stops parsing without the mark", () => {
    const parsed = parseFlags(CONFD_FLAGS, ["-watch", "nginx", "-g"]);
    assert.deepEqual(parsed.rest, ["nginx", "-g"]);
    assert.equal(parsed.dashDash, undefined);
  });
});
