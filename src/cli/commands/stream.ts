import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DataError } from '../../core/errors.js';
import { DEFAULT_MAX_SERIES } from '../../stream/keyed.js';
import type { DriftDetector } from '../../stream/drift/drift-detector.js';
import { DRIFT_DETECTORS, makeDriftDetector } from '../../stream/drift/registry.js';
import { STREAM_DETECTORS } from '../../stream/registry.js';
import { parseSetPairs } from '../set-options.js';
import { StreamLines } from '../stream-input.js';
import { makeScorer, type StreamFlags } from '../stream-setup.js';
import { UsageError } from '../usage-error.js';

interface Opts extends StreamFlags {
  drift?: string;
  driftSet: string[];
  strict?: boolean;
}

const repeat = (v: string, acc: string[]): string[] => [...acc, v];

/**
 * `vigil stream`: reads NDJSON or CSV (header first) from stdin line by line and writes one JSON
 * result per point as soon as it is scored: {t?, score, anomaly, threshold, drift?}.
 *
 * A bad line (malformed JSON, a non-number value, a timestamp out of order) is reported on stderr
 * as one `vigil: line N: ...; skipped` line and the stream goes on: a monitor should not die on
 * one bad line. `--strict` makes it a one-line error with exit status 2 instead. Problems with the
 * whole run (unknown model file, a CSV header lacking a column) always stop it with status 2.
 *
 * `--drift` watches the score stream (warm scores only) and adds `"drift": true|false` to each
 * result. With a stream detector or a tabular model it only reports: the stream detectors already
 * follow a new regime on their own (a rolling window or an exponential forgetting), and a tabular
 * model is scored as fitted. With a series model or a series detector (series-stream.ts) a drift
 * starts a background refit on the buffer and a swap, reported as events on the results.
 *
 * `--series-id` keeps one stream per value of that field, at most `--max-series` of them.
 */
export function streamCommand(): Command {
  return new Command('stream')
    .description('score points from standard input as they arrive (NDJSON or CSV); one JSON result per line')
    .option('--detector <name>', `learn online from scratch: a stream detector (${STREAM_DETECTORS.join(', ')}) or else a series detector (see \`vigil detectors\`)`)
    .option('--model <file>', 'score with a model file from `vigil fit` instead (tabular or series)')
    .option('--set <k=v>', 'stream detector option (repeatable)', repeat, [] as string[])
    .option('--risk <q>', 'EVT (SPOT) threshold with risk q per point (default 1e-4; stream detectors)')
    .option('--threshold <v>', 'a fixed threshold on the score instead (stream detectors)')
    .option('--warmup <n>', "points before any judgement (default: the detector's own; series detectors: points of the first fit, default 1000)")
    .option('--value <cols>', 'value column(s), comma-separated (default: every column but the timestamp; stream detectors)')
    .option('--timestamp <col>', 'timestamp column (numbers or ISO 8601), must not decrease')
    .option('--series-id <col>', 'a field keying many series: one stream per value')
    .option('--max-series <n>', `most series streamed at once (default ${DEFAULT_MAX_SERIES}); a point of one more is a bad line`)
    .option('--drift <name>', `watch the score stream for drift: ${DRIFT_DETECTORS.join(', ')} (series: refit on drift)`)
    .option('--drift-on <what>', 'series: watch the score (default) or each input value for drift: score | input')
    .option('--drift-set <k=v>', 'drift detector option (repeatable), e.g. delta=0.002', repeat, [] as string[])
    .option('--buffer <n>', 'series: recent points kept per series, what a refit learns from (default 2000)')
    .option('--refit-after <n>', 'series: points after a drift before the refit starts (default: the buffer)')
    .option('--strict', 'stop with status 2 at the first bad line instead of skipping it')
    .action(async (o: Opts) => {
      if (o.driftSet.length && !o.drift) throw new UsageError('--drift-set needs --drift');
      const driftName = o.drift;
      const makeDrift = driftName ? (): DriftDetector => makeDriftDetector(driftName, parseSetPairs(o.driftSet)) : null;
      makeDrift?.();
      const { scorer, timestamp, seriesId, series } = await makeScorer(o, makeDrift);
      // Series streams watch drift themselves (and refit); the others only report it.
      const drift: DriftDetector | null = makeDrift && !series ? makeDrift() : null;
      const lines = new StreamLines(timestamp, seriesId);
      let lineNo = 0;
      let headerChecked = false;
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const raw of rl) {
        lineNo++;
        let out: Record<string, unknown> | null;
        try {
          out = await scoreLine(raw, lineNo);
        } catch (e) {
          // Only errors about this line's data are skipped; anything else is not the line's fault.
          if (o.strict || !(e instanceof DataError)) throw e;
          process.stderr.write(`vigil: ${e.message}; skipped\n`);
          continue;
        }
        if (!out) {
          if (!headerChecked && lines.columns) {
            if (timestamp && !lines.columns.includes(timestamp)) throw new DataError(`the input has no timestamp column '${timestamp}' (columns: ${lines.columns.join(', ')})`);
            scorer.checkHeader(lines.columns);
          }
          headerChecked = lines.columns !== null;
          continue;
        }
        if (!process.stdout.write(JSON.stringify(out) + '\n')) await once(process.stdout, 'drain');
      }

      async function scoreLine(raw: string, lineNo: number): Promise<Record<string, unknown> | null> {
        const rec = lines.parse(raw, lineNo);
        if (!rec) return null;
        const time = lines.time(rec, lineNo);
        const r = await scorer.score(rec, lineNo);
        lines.commit(time);
        const out: Record<string, unknown> = {};
        if (time) out['t'] = time.t;
        out['score'] = r.score;
        out['anomaly'] = r.anomaly;
        out['threshold'] = Number.isFinite(r.threshold) ? r.threshold : null;
        if (drift) out['drift'] = r.warm && drift.update(r.score);
        Object.assign(out, r.extra);
        return out;
      }
    });
}
