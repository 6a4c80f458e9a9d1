import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DataError } from '../../core/errors.js';
import { loadModel } from '../../persist/file.js';
import type { DriftDetector } from '../../stream/drift/drift-detector.js';
import { DRIFT_DETECTORS, makeDriftDetector } from '../../stream/drift/registry.js';
import { makeStreamDetector, STREAM_DETECTORS } from '../../stream/registry.js';
import { FixedThreshold, SpotThreshold, type StreamThreshold } from '../../stream/stream-detector.js';
import { parseSetPairs } from '../set-options.js';
import { StreamLines } from '../stream-input.js';
import { detectorScorer, modelScorer, type RecordScorer } from '../stream-scorers.js';
import { UsageError } from '../usage-error.js';

interface Opts {
  detector?: string;
  model?: string;
  set: string[];
  risk?: string;
  threshold?: string;
  warmup?: string;
  value?: string;
  timestamp?: string;
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
 * result. It only reports: the stream detectors already follow a new regime on their own (a
 * rolling window or an exponential forgetting), and a model file is scored as fitted.
 */
export function streamCommand(): Command {
  return new Command('stream')
    .description('score points from standard input as they arrive (NDJSON or CSV); one JSON result per line')
    .option('--detector <name>', `learn online from scratch with a stream detector: ${STREAM_DETECTORS.join(', ')}`)
    .option('--model <file>', 'score with a model file from `vigil fit` instead')
    .option('--set <k=v>', 'stream detector option (repeatable)', repeat, [] as string[])
    .option('--risk <q>', 'EVT (SPOT) threshold with risk q per point (default 1e-4; stream detectors)')
    .option('--threshold <v>', 'a fixed threshold on the score instead (stream detectors)')
    .option('--warmup <n>', "points before any judgement (default: the detector's own)")
    .option('--value <cols>', 'value column(s), comma-separated (default: every column but the timestamp; stream detectors)')
    .option('--timestamp <col>', 'timestamp column (numbers or ISO 8601), must not decrease')
    .option('--drift <name>', `report drift of the score stream: ${DRIFT_DETECTORS.join(', ')}`)
    .option('--drift-set <k=v>', 'drift detector option (repeatable), e.g. delta=0.002', repeat, [] as string[])
    .option('--strict', 'stop with status 2 at the first bad line instead of skipping it')
    .action(async (o: Opts) => {
      const scorer = await makeScorer(o);
      if (o.driftSet.length && !o.drift) throw new UsageError('--drift-set needs --drift');
      const drift: DriftDetector | null = o.drift ? makeDriftDetector(o.drift, parseSetPairs(o.driftSet)) : null;
      const lines = new StreamLines(o.timestamp);
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
            if (o.timestamp && !lines.columns.includes(o.timestamp)) throw new DataError(`the input has no timestamp column '${o.timestamp}' (columns: ${lines.columns.join(', ')})`);
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
        return out;
      }
    });
}

async function makeScorer(o: Opts): Promise<RecordScorer> {
  if ((o.detector === undefined) === (o.model === undefined)) throw new UsageError('give --detector (learn online) or --model (a fitted model file)');
  if (o.model !== undefined) {
    const onlyDetector = (['set', 'risk', 'threshold', 'warmup', 'value'] as const).filter((k) => (k === 'set' ? o.set.length > 0 : o[k] !== undefined));
    if (onlyDetector.length) throw new UsageError(`--${onlyDetector[0]} is for stream detectors; a model file brings its own columns and threshold`);
    return modelScorer(await loadModel(o.model));
  }
  if (o.risk !== undefined && o.threshold !== undefined) throw new UsageError('give --risk or --threshold, not both');
  const threshold: StreamThreshold =
    o.threshold !== undefined ? new FixedThreshold(Number(o.threshold)) : new SpotThreshold(o.risk === undefined ? 1e-4 : Number(o.risk));
  const warmup = o.warmup === undefined ? undefined : Number(o.warmup);
  const detector = makeStreamDetector(o.detector!, parseSetPairs(o.set), { threshold, warmup });
  return detectorScorer(detector, o.value?.split(',').map((s) => s.trim()), o.timestamp);
}
