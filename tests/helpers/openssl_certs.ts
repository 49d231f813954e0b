// Test certificates made with the openssl command line: a CA, a server
// certificate for 127.0.0.1/localhost (serverAuth and clientAuth, as etcd's
// gateway needs) and a client certificate, all PEM files in a temp directory.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: verifying the server with it fails. */
  otherCa: string;
  remove(): void;
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

/** Makes a fresh CA, server and client certificate (RSA 2048, valid 2 days). */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "reconfd-certs-"));
  const p = (name: string) => join(dir, name);
  const selfSigned = (name: string, cn: string) =>
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p(`${name}.key`), "-out", p(`${name}.pem`)]
      .concat(["-days", "2", "-subj", `/CN=${cn}`]));
  selfSigned("ca", "reconfd test CA");
  selfSigned("other-ca", "unrelated CA");
  const signed = (name: string, cn: string, ext: string) => {
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", p(`${name}.key`), "-out", p(`${name}.csr`)]
      .concat(["-subj", `/CN=${cn}`]));
    writeFileSync(p(`${name}.ext`), ext);
    openssl(["x509", "-req", "-in", p(`${name}.csr`), "-CA", p("ca.pem"), "-CAkey", p("ca.key")]
      .concat(["-CAcreateserial", "-out", p(`${name}.pem`), "-days", "2", "-extfile", p(`${name}.ext`)]));
  };
  signed(
    "server",
    "etcd",
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n",
  );
  signed("client", "reconfd", "extendedKeyUsage=clientAuth\n");
  return {
    dir,
    ca: p("ca.pem"),
    serverCert: p("server.pem"),
    serverKey: p("server.key"),
    clientCert: p("client.pem"),
    clientKey: p("client.key"),
    otherCa: p("other-ca.pem"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
