// check_cmd / reload_cmd templates: {{.src}} and {{.dest}}, confd's error wording,
// and a loud failure (not "<no value>") for any other field.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderCommand } from "../../../src/resource/render.ts";

const data = { src: "/etc/.app.conf123", dest: "/etc/app.conf" };

describe("renderCommand", () => {
  const cases: { name: string; cmd: string; want?: string; error?: RegExp }[] = [
    { name: "{{.src}} is the stage file", cmd: "nginx -t -c {{.src}}", want: "nginx -t -c /etc/.app.conf123" },
    { name: "{{.dest}} is the destination", cmd: "cp {{.dest}} /backup", want: "cp /etc/app.conf /backup" },
    {
      name: "a command without actions is kept verbatim",
      cmd: "systemctl reload nginx",
      want: "systemctl reload nginx",
    },
    {
      name: "a syntax error keeps confd's wording",
      cmd: "test {{.src",
      error: /^template: checkcmd:1: unclosed action/,
    },
    {
      name: "another field fails, naming it, instead of running a command with <no value> in it",
      cmd: "docker kill -s HUP $(docker ps -q --format '{{.ID}}')",
      error:
        /^template: checkcmd:1:\d+: executing "checkcmd" at <\.ID>: map has no entry for key "ID" \(only \{\{\.src\}\} and \{\{\.dest\}\} exist; write a literal \{\{ as \{\{"\{\{"\}\}\)$/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => renderCommand("checkcmd", c.cmd, data), { message: c.error });
      else assert.equal(renderCommand("checkcmd", c.cmd, data), c.want);
    });
  }
});
