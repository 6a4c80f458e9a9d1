#!/usr/bin/env node
// Patient vital signs: a seeded generator of heart rate and SpO2 at one reading a minute, with a
// circadian rhythm (lower heart rate at night), breathing-scale noise and slow wander, one
// tachycardia episode and one desaturation. The two are scored together as a 2-channel series by
// a rolling MAD detector; the channel scores say which vital sign is behind each alarm. The
// threshold is POT fitted on the scores of the first half (no events there).
// Prints the episodes it found and writes an SVG chart of both signs, the anomalies and the threshold.
// Usage (after `npm run build`): node examples/vital-signs.mjs [chart.svg] [minutes, default 1440]
import { writeFile } from 'node:fs/promises';
import { parseCsv, potThreshold, seriesFromTable, seriesRollingMad } from '../dist/index.js';
import { chartSvg, episodes } from './chart.mjs';

const out = process.argv[2] ?? './vital-signs.svg';
const minutes = Number(process.argv[3] ?? 1440);
if (!(Number.isInteger(minutes) && minutes >= 720)) {
  console.error(`vital-signs: minutes must be a whole number >= 720, got ${process.argv[3]}`);
  process.exit(1);
}

let seed = 20240601;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

// Events at fixed shares of the record, so a short run has them too.
const tachy = { start: Math.round(0.55 * minutes), length: 25 };
const desat = { start: Math.round(0.8 * minutes), length: 12 };
const bump = (t, e, ramp) => {
  if (t < e.start || t >= e.start + e.length) return 0;
  const k = t - e.start;
  return Math.min(1, (k + 1) / ramp, (e.start + e.length - t) / ramp);
};
const start = Date.UTC(2024, 5, 1, 0, 0);
const lines = ['timestamp,heart_rate,spo2'];
let hrWander = 0;
let spWander = 0;
for (let t = 0; t < minutes; t++) {
  const hour = (t / 60) % 24;
  const circadian = -6 * Math.cos((2 * Math.PI * (hour - 4)) / 24); // lowest around 4 am
  hrWander = 0.95 * hrWander + 0.6 * normal();
  spWander = 0.9 * spWander + 0.08 * normal();
  const hr = 72 + circadian + hrWander + 1.5 * normal() + 65 * bump(t, tachy, 4);
  const spo2 = Math.min(100, 97.2 + 0.3 * Math.cos((2 * Math.PI * hour) / 24) + spWander + 0.25 * normal() - 10 * bump(t, desat, 3));
  lines.push(`${new Date(start + t * 60_000).toISOString()},${hr.toFixed(1)},${spo2.toFixed(1)}`);
}

const [s] = seriesFromTable(await parseCsv(lines.join('\n')));
const detector = seriesRollingMad({ window: 60 });
await detector.fit(s.series);
const { score, channels, warmup } = await detector.score(s.series);
const calm = Math.floor(minutes / 2);
const { threshold } = potThreshold(score.subarray(warmup, calm), { q: 1e-3, level: 0.95 });
const flags = score.map((v, t) => (t >= warmup && v > threshold ? 1 : 0));
const found = episodes(flags, score, 10);
const hhmm = (t) => new Date(t).toISOString().slice(11, 16);

console.log(`${s.series.rows} minutes of ${s.channels.join(' and ')}; rolling MAD over 60 minutes; POT threshold ${threshold.toFixed(2)}`);
console.log(`planted: tachycardia at ${hhmm(s.timestamps[tachy.start])}, desaturation at ${hhmm(s.timestamps[desat.start])}`);
console.log(`${found.length} anomalous episode(s):`);
for (const e of found) {
  const per = s.channels.map((_, c) => channels.data[e.peak * s.channels.length + c]);
  const c = per.indexOf(Math.max(...per));
  const value = s.series.data[e.peak * s.channels.length + c];
  console.log(`  ${hhmm(s.timestamps[e.start])} to ${hhmm(s.timestamps[e.end])}: ${s.channels[c]} ${value.toFixed(1)} (score ${score[e.peak].toFixed(1)})`);
}
const anomalies = [];
flags.forEach((f, t) => f && anomalies.push(t));
const column = (c) => Float64Array.from({ length: s.series.rows }, (_, t) => s.series.data[t * s.channels.length + c]);
await writeFile(
  out,
  chartSvg({
    title: `Vital signs: rolling MAD on heart rate and SpO2, ${found.length} anomalous episode(s)`,
    channels: s.channels.map((name, c) => ({ name, values: column(c) })),
    score,
    threshold,
    anomalies,
    start: new Date(s.timestamps[0]).toISOString().slice(0, 16),
    end: new Date(s.timestamps[s.timestamps.length - 1]).toISOString().slice(0, 16),
  }),
);
console.log(`chart: ${out}`);
