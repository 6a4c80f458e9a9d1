#!/usr/bin/env node
// Writes a small labeled CSV of card transactions to stdout: mostly ordinary purchases, a few
// fraudulent ones (large amounts at odd hours from far away). Seeded, so every run is the same.
// Usage: node examples/transactions.mjs [rows] > transactions.csv
const rows = Number(process.argv[2] ?? 2000);
let s = 42;
const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const merchants = ['grocery', 'fuel', 'online', 'restaurant', 'travel'];
const lines = ['id,amount,hour,distance_km,merchant,label'];
for (let i = 0; i < rows; i++) {
  const fraud = rand() < 0.02;
  const merchant = fraud ? (rand() < 0.7 ? 'online' : 'travel') : merchants[Math.floor(rand() * 4)];
  const amount = fraud ? 400 + 600 * rand() : Math.exp(3 + 0.6 * normal());
  const hour = fraud ? Math.floor(rand() * 5) : Math.min(23, Math.max(6, Math.round(14 + 3.5 * normal())));
  const distance = fraud ? 300 + 2000 * rand() : Math.abs(8 * normal());
  const missing = rand() < 0.01;
  lines.push(`t${i},${amount.toFixed(2)},${hour},${missing ? '' : distance.toFixed(1)},${merchant},${fraud ? 1 : 0}`);
}
process.stdout.write(lines.join('\n') + '\n');
