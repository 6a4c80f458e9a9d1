#!/usr/bin/env node
// Equipment monitoring: NAB's machine temperature series (an industrial machine's sensor, 5-minute
// readings, with a known failure). A seasonal baseline is fitted on the first 15% of the readings
// and scores every reading; a POT threshold fitted on the scores of that stretch flags the rest.
// Prints the episodes it found and writes an SVG chart of the series, the anomalies and the threshold.
// Usage (after `npm run build`):
//   node examples/machine-temperature.mjs [data.csv] [chart.svg]
// data.csv defaults to ../shared/data/timeseries/nab/data/realKnownCause/machine_temperature_system_failure.csv
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { potThreshold, seasonal, seriesFromTable } from '../dist/index.js';
import { readTable } from '../dist/node.js';
import { chartSvg, episodes } from './chart.mjs';

const path = process.argv[2] ?? '../shared/data/timeseries/nab/data/realKnownCause/machine_temperature_system_failure.csv';
const out = process.argv[3] ?? './machine-temperature.svg';
if (!existsSync(path)) {
  console.error(`machine-temperature: no data file at ${path}`);
  console.error("pass the path to NAB's machine_temperature_system_failure.csv (columns timestamp,value) as the first argument");
  process.exit(1);
}

// The file repeats one hour (a clock change): drop the repeated rows rather than fail.
const [s] = seriesFromTable(await readTable(path), { dropOutOfOrder: true });
const fitSteps = Math.max(10, Math.floor(0.15 * s.series.rows));
const detector = seasonal();
await detector.fit({ rows: fitSteps, cols: 1, data: s.series.data.slice(0, fitSteps) });
const { score } = await detector.score(s.series);
// POT's initial level: the paper's 0.98, lowered on a short file so at least 12 scores are above it.
const { threshold } = potThreshold(score.subarray(0, fitSteps), { q: 1e-3, level: Math.min(0.98, 1 - 12 / fitSteps) });
const flags = score.map((v, t) => (t >= fitSteps && v > threshold ? 1 : 0));
// Readings within an hour of each other belong to one episode.
const found = episodes(flags, score, Math.round(3_600_000 / s.interval));
const iso = (t) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

console.log(`${s.series.rows} readings every ${s.interval / 60_000} min (${s.dropped} out-of-order rows dropped, ${s.filled} values filled)`);
console.log(`seasonal baseline fitted on the first ${fitSteps} readings (period ${detector.getState().params.period} steps); POT threshold ${threshold.toFixed(2)}`);
console.log(`${found.length} anomalous episode(s):`);
for (const e of found) {
  console.log(`  ${iso(s.timestamps[e.start])} to ${iso(s.timestamps[e.end])}: peak score ${score[e.peak].toFixed(1)} at ${s.series.data[e.peak].toFixed(1)} degrees`);
}
const anomalies = [];
flags.forEach((f, t) => f && anomalies.push(t));
await writeFile(
  out,
  chartSvg({
    title: `Machine temperature: seasonal baseline, ${found.length} anomalous episode(s)`,
    channels: [{ name: 'temperature', values: s.series.data }],
    score,
    threshold,
    anomalies,
    start: iso(s.timestamps[0]),
    end: iso(s.timestamps[s.timestamps.length - 1]),
  }),
);
console.log(`chart: ${out}`);
