// A tiny DNS server on 127.0.0.1 (UDP) that answers SRV questions from a table
// and says NXDOMAIN to everything else, so SRV discovery is tested through the
// real node:dns resolver rather than a stand-in function.

import { createSocket } from "node:dgram";
import { Buffer } from "node:buffer";

export interface SrvRecord {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

const TYPE_SRV = 33;
const CLASS_IN = 1;

/** A domain name in DNS wire form: length-prefixed labels, then a zero byte. */
function wireName(name: string): Buffer {
  const labels = name.replace(/\.$/, "").split(".").filter((l) => l !== "");
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

/** Reads the question's name (no compression in questions) and where the question ends. */
function readQuestion(msg: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (msg[i] !== 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]).toString());
    i += msg[i] + 1;
  }
  return { name: labels.join(".").toLowerCase(), end: i + 5 };
}

function answer(record: SrvRecord): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(record.priority, 0);
  fixed.writeUInt16BE(record.weight, 2);
  fixed.writeUInt16BE(record.port, 4);
  const rdata = Buffer.concat([fixed, wireName(record.target)]);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  head.writeUInt16BE(TYPE_SRV, 2);
  head.writeUInt16BE(CLASS_IN, 4);
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

/** Starts the server; resolves to its `127.0.0.1:port` and a close function. */
export function startDnsServer(zone: Record<string, SrvRecord[]>): Promise<{ address: string; close: () => void }> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, from) => {
    const question = readQuestion(msg);
    const records = zone[question.name.replace(/\.$/, "")];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(records ? 0x8180 : 0x8183, 2); // response, recursion available; rcode 0 or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records?.length ?? 0, 6);
    const reply = Buffer.concat([header, msg.subarray(12, question.end), ...(records ?? []).map(answer)]);
    socket.send(reply, from.port, from.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      resolve({ address: `127.0.0.1:${port}`, close: () => socket.close() });
    });
  });
}
