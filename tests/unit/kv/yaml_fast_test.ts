// The YAML reader's fast path (plain block maps and lists, line by line) gives the
// same values as the full reader for every text it takes, and leaves the rest to it.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseSimpleYaml } from "../../../src/kv/yaml_fast.ts";
import { parseYamlV2 } from "../../../src/kv/yaml_v2.ts";

const taken: [name: string, yaml: string][] = [
  ["flat keys with comments", "# head\na: 1 # one\nb: two\n\nc: 'it''s' # q\nd: \"x y\"\n"],
  ["nested maps", "db:\n  host: h\n  port: 5432\n  opts:\n    ssl: yes\nweb:\n  port: 80\n"],
  ["a list of maps", "services:\n  - name: a\n    port: 80\n  - name: b\n    port: 81\n"],
  ["a list at the key's indent", "hosts:\n- a\n- b\nnext: 1\n"],
  ["lists in list items", "l:\n  - name: a\n    ports:\n    - 80\n    - 81\n  - name: b\n"],
  ["bare items and nulls", "l:\n  -\n    a: 1\n  -\n  - x\nempty:\nz: ~\n"],
  ["yaml.v2 scalars", "a: 0o17\nb: 10:30\nc: 1e400\nd: -7\ne: 12345678901234567890\nf: on\ng: 0x1F\n"],
  ["yaml.v2 keys", "10:30: a\n0o17: b\nyes: c\n~: d\n-5: e\n"],
  ["duplicate keys: the last wins", "a: 1\nb: 2\na: 3\nm:\n  x: 1\nm:\n  y: 2\n"],
  ["CRLF lines", "a: 1\r\nb:\r\n  c: x\r\n"],
  ["hashes and colons inside values", "url: http://x:80/a#frag\nk: a#b\nt: 12:00:00\n"],
  ["a top-level list", "- a\n- b: 1\n"],
  ["deeper first line", "  a: 1\n  b: 2\n"],
  ["empty and comment-only", "# just this\n"],
];

const left: [name: string, yaml: string][] = [
  ["a flow map", "a: {b: 1}\n"],
  ["an anchor and alias", "a: &x 1\nb: *x\n"],
  ["a tag", "a: !!str 1\n"],
  ["a block scalar", "a: |\n  x\n"],
  ["a multi-line plain scalar", "a: hello\n  world\n"],
  ["an escape in double quotes", 'a: "x\\ty"\n'],
  ["a merge key", "b: 1\n<<: {c: 2}\n"],
  ["a document marker", "---\na: 1\n"],
  ["a tab", "a:\t1\n"],
  ["a value that is a mapping", "a: b: c\n"],
  ["bad indentation", "a:\n    b: 1\n  c: 2\n"],
  ["an unclosed quote", 'a: "x\n'],
];

describe("YAML fast path", () => {
  for (const [name, yaml] of taken) {
    it(`takes ${name}, reading it as the full reader does`, () => {
      const fast = parseSimpleYaml(yaml);
      assert.notEqual(fast, undefined);
      assert.deepEqual(fast, parseYamlV2(yaml, { fastPath: false }));
    });
  }
  for (const [name, yaml] of left) {
    it(`leaves ${name} to the full reader`, () => assert.equal(parseSimpleYaml(yaml), undefined));
  }
});
