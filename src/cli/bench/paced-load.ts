/**
 * A paced batched load for `vigil bench serve`, run as a process of its own: 1,000-point requests
 * over 1,000 series at a fixed rate, so the ingest-to-score latency can be timed under a load the
 * scorer keeps up with (wrk only knows "as fast as possible"). Prints one JSON line: what it sent,
 * what was acknowledged, and how late it fell behind its schedule.
 *
 * Usage: node paced-load.js <url> <key> <stream id> <points per second> <seconds>
 */
const [url, key, stream, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const BATCH = 1000;
/**
 * Connections, each with its own eighth of the series and one request at a time: a series' times
 * then never go back, and a slow commit delays only its own connection's next request.
 */
const LANES = 8;
const SERIES = 1000;
const PER_LANE = SERIES / LANES;
const STEPS = BATCH / PER_LANE;

const T0 = Date.UTC(2026, 11, 1);
const perLane = Math.max(1, Math.round((rate * seconds) / BATCH / LANES));
const gapMs = (1000 * BATCH * LANES) / rate;
let acked = 0;
let failed = 0;
let behindMs = 0;

function body(lane: number, n: number): string {
  const points = new Array(BATCH);
  for (let step = 0; step < STEPS; step++) {
    const t = T0 + (n * STEPS + step) * 1000;
    for (let j = 0; j < PER_LANE; j++) {
      const series = lane * PER_LANE + j;
      // A spike now and then, so the scorer has anomalies to flag.
      points[step * PER_LANE + j] = { t, key: `s${series}`, value: Math.sin(n / 10 + series) + ((n * STEPS + step) % 500 === 499 && j === 7 ? 9 : 0) };
    }
  }
  return JSON.stringify({ points });
}

async function send(lane: number, n: number): Promise<void> {
  try {
    const res = await fetch(`${url}/v1/streams/${stream}/points`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body(lane, n),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    if (res.status === 202) acked += BATCH;
    else failed++;
  } catch {
    failed++;
  }
}

const start = performance.now();
await Promise.all(
  Array.from({ length: LANES }, async (_, lane) => {
    for (let n = 0; n < perLane; n++) {
      // The lanes' requests interleave evenly over the gap.
      const wait = start + n * gapMs + (lane * gapMs) / LANES - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else behindMs = Math.max(behindMs, -wait);
      await send(lane, n);
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
process.stdout.write(JSON.stringify({ sent: perLane * LANES * BATCH, acked, failed, pointsPerSecond: acked / elapsed, behindMs: Math.round(behindMs) }) + '\n');
