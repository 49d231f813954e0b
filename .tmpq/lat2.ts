import { EtcdV3Backend } from "../src/backends/etcd/v3_backend.ts";
import { EtcdServer } from "../tests/helpers/etcd_server.ts";
const e = await new EtcdServer({ enableV2: false }).start();
for (let i = 0; i < 11000; i += 100) {
  const success = Array.from({ length: 100 }, (_, j) => ({ request_put: { key: btoa(`/p/node${String(i + j).padStart(6, "0")}`), value: btoa("10.0.0.1:80") } }));
  await fetch(`${e.url}/v3/kv/txn`, { method: "POST", body: JSON.stringify({ success }) });
}
await e.put("/l/a", "1");
const b = new EtcdV3Backend({ endpoints: [e.url] });
for (const k of ["/l", "/p"]) {
const lat: number[] = [];
for (let i = 0; i < 40; i++) { const t = performance.now(); await b.getValues([k]); lat.push(performance.now() - t); }
const s = lat.slice(5).sort((a, b) => a - b);
console.log(k, "median", s[17].toFixed(2), "min", s[0].toFixed(2), "max", s[34].toFixed(2), lat.slice(0,8).map(x=>x.toFixed(0)).join(","));
}
await b.close();
await e.destroy();
