#!/usr/bin/env node
// Writes a small multi-host metrics file to stdout: CPU and memory of three hosts every 5 minutes,
// with a daily cycle and noise, and from the fourth day on one incident (host b's CPU pinned at 99
// for an hour, 08:20 to 09:20 on day 4). Seeded per host and step, so a shorter run is the start
// of a longer one: fit on `3` days (no incident), score `4`. For the time-series examples in docs/.
// Usage: node examples/hosts.mjs [days, default 4] > hosts.csv
const days = Number(process.argv[2] ?? 4);
if (!(Number.isInteger(days) && days >= 2)) {
  console.error(`hosts: days must be a whole number >= 2, got ${process.argv[2]}`);
  process.exit(1);
}
// A hash of (host, step, draw) to [0, 1): the same values whatever the length of the run.
const uniform = (h, t, k) => {
  let x = Math.imul(h + 1, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
};
const normal = (h, t, k) => Math.sqrt(-2 * Math.log(uniform(h, t, k) + 1e-12)) * Math.cos(2 * Math.PI * uniform(h, t, k + 1));
const steps = days * 288;
const start = Date.UTC(2024, 2, 4);
const incident = { host: 'b', from: 3 * 288 + 100, to: 3 * 288 + 112 };
const lines = ['ts,host,cpu,mem'];
['a', 'b', 'c'].forEach((host, h) => {
  const base = [35, 50, 20][h];
  for (let t = 0; t < steps; t++) {
    const daily = Math.sin((2 * Math.PI * (t % 288)) / 288);
    let cpu = base + 15 * daily + 2 * normal(h, t, 0);
    if (host === incident.host && t >= incident.from && t < incident.to) cpu = 99;
    const mem = 60 + 5 * daily + normal(h, t, 2);
    lines.push(`${new Date(start + t * 300_000).toISOString()},${host},${cpu.toFixed(1)},${mem.toFixed(1)}`);
  }
});
process.stdout.write(lines.join('\n') + '\n');
