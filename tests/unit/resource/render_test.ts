// check_cmd / reload_cmd templates: {{.src}} and {{.dest}}, confd's error wording,
// and a loud failure (not "<no value>") for any other field; the argv form; the checks made
// at load (a dest the shell would interpret, a string command without /bin/sh).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { commandErrors, renderCommand, renderCommandLine } from "../../../src/resource/render.ts";
import { shellSpecialChars } from "../../../src/resource/shell_safe.ts";

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

describe("renderCommandLine", () => {
  it("renders each element of the argv form, leaving shell syntax alone", () => {
    const odd = { src: "/x y/.a;b1", dest: "/x y/a;b" };
    assert.deepEqual(renderCommandLine("checkcmd", ["cp", "{{.src}}", "$(x) {{.dest}}"], odd), [
      "cp",
      "/x y/.a;b1",
      "$(x) /x y/a;b",
    ]);
  });

  it("names the element whose template fails", () => {
    assert.throws(() => renderCommandLine("reloadcmd", ["a", "{{.nope}}"], data), /reloadcmd\[1\]:1:\d+: executing/);
  });

  const refused: { name: string; cmd: string; d: { src: string; dest: string }; error?: RegExp }[] = [
    {
      name: "a dest with ; in a string command is refused",
      cmd: "echo {{.dest}}",
      d: { src: "/e/.a1", dest: "/e/a;reboot" },
      error:
        /^\{\{\.dest\}\} is pasted as is into a \/bin\/sh command, but dest "\/e\/a;reboot" holds characters the shell would interpret \(";"\)/,
    },
    {
      name: 'quoting in the template does not make it safe ($ and backquotes work inside "...")',
      cmd: 'test -f "{{.src}}"',
      d: { src: "/e/.$(reboot)1", dest: "/e/$(reboot)" },
      error: /\{\{\.src\}\} is pasted as is .* the stage file "\/e\/\.\$\(reboot\)1" .*\("\$" "\(" "\)"\)/,
    },
    {
      name: "a use through index counts",
      cmd: 'cat {{index . "dest"}}',
      d: { src: "/e/.a1", dest: "/e/a b" },
      error: /\{\{\.dest\}\}.*\(" "\)/,
    },
    { name: "a command using neither path runs whatever dest is", cmd: "true", d: { src: "/e/.a;1", dest: "/e/a;" } },
    {
      name: "a dest of plain characters (letters, digits, _ . / , : @ % + -) runs",
      cmd: "nginx -t -c {{.src}} # {{.dest}}",
      d: { src: "/etc/nginx/.site-1_a.b,c:d@e%f+g1", dest: "/etc/nginx/site-1_a.b,c:d@e%f+g" },
    },
    {
      name: "letters that are not ASCII are plain",
      cmd: "cat {{.dest}}",
      d: { src: "/e/.café1", dest: "/e/café" },
    },
  ];
  for (const c of refused) {
    it(c.name, () => {
      if (c.error) assert.throws(() => renderCommandLine("checkcmd", c.cmd, c.d), { message: c.error });
      else assert.equal(typeof renderCommandLine("checkcmd", c.cmd, c.d), "string");
    });
  }
});

describe("shellSpecialChars", () => {
  it("lists each character the shell would interpret once, in order", () => {
    assert.deepEqual(shellSpecialChars("/a b;c d`e'f\"g\\h*?[~#&|<>!{}=\n\t"), [
      " ",
      ";",
      "`",
      "'",
      '"',
      "\\",
      "*",
      "?",
      "[",
      "~",
      "#",
      "&",
      "|",
      "<",
      ">",
      "!",
      "{",
      "}",
      "=",
      "\n",
      "\t",
    ]);
  });
});

describe("commandErrors (at load and in reconfd check)", () => {
  it("refuses a string command when the shell is missing, naming the key; the argv form is fine", () => {
    const r = { dest: "/etc/a.conf", checkCmd: "nginx -t", reloadCmd: ["nginx", "-s", "reload"] };
    assert.deepEqual(commandErrors(r, { shell: "/nonexistent/sh" }), [
      {
        key: "check_cmd",
        message: "a string command runs with /nonexistent/sh, which does not exist here; " +
          'write it as an array (check_cmd = ["program", "arg"]), which runs without a shell',
      },
    ]);
    assert.deepEqual(commandErrors(r), []);
    // With -sync-only or -noop the commands never run: a missing shell is no error then.
    assert.deepEqual(commandErrors(r, { shell: "/nonexistent/sh", runs: false }), []);
  });

  it("checks the stage file's directory of a relative dest (the working directory is part of it)", () => {
    const errors = commandErrors({ dest: "a;b/x.conf", checkCmd: "", reloadCmd: "test -f {{.src}}" });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].key, "reload_cmd");
    assert.match(errors[0].message, /the stage file "\S+\/a;b\/\.x\.conf\d+"/);
  });

  it("the argv form is never refused for its paths", () => {
    assert.deepEqual(commandErrors({ dest: "/e/a;b c", checkCmd: ["cat", "{{.src}}"], reloadCmd: "" }), []);
  });
});
