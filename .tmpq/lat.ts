import { EtcdV3Backend } from "../src/backends/etcd/v3_backend.ts";
import { EtcdServer } from "../tests/helpers/etcd_server.ts";
const e = await new EtcdServer({ enableV2: false }).start();
await e.put("/l/a", "1");
const b = new EtcdV3Backend({ endpoints: [e.url] });
const lat: number[] = [];
for (let i = 0; i < 40; i++) { const t = performance.now(); await b.getValues(["/l"]); lat.push(performance.now() - t); }
lat.sort((a, b) => a - b);
console.log("median", lat[20].toFixed(2), "min", lat[0].toFixed(2), "max", lat[39].toFixed(2));
await b.close();
await e.destroy();
