import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DataError } from '../../core/errors.js';
import { DEFAULT_MAX_SERIES, DRIFT_DETECTORS, STREAM_DETECTORS, type ScoredPoint } from '../../stream/index.js';
import { StreamLines, type LineItem } from '../stream-input.js';
import { RecordReader } from '../stream-records.js';
import { streamSetup, type StreamFlags } from '../stream-setup.js';

interface Opts extends StreamFlags {
  strict?: boolean;
}

const repeat = (v: string, acc: string[]): string[] => [...acc, v];

/**
 * `vigil stream`: reads NDJSON or CSV (header first) from stdin line by line and writes one JSON
 * result per point as soon as it is scored: {t?, score, anomaly, threshold, drift?}. The scoring
 * is the core's StreamScorer (src/stream/scorer/), the same the service runs; this command reads
 * lines (stream-input.ts), turns records into points (stream-records.ts) and prints verdicts.
 *
 * A bad line (malformed JSON, a non-number value, a timestamp out of order) is reported on stderr
 * as one `vigil: line N: ...; skipped` line and the stream goes on: a monitor should not die on
 * one bad line. `--strict` makes it a one-line error with exit status 2 instead. Problems with the
 * whole run (a bad flag or option, a warm-up the threshold cannot calibrate on, an unknown model
 * file, a CSV header lacking a column) stop it at once with status 2, and so does an input of
 * which no line could be scored (empty, a header only, or every line bad).
 *
 * `--drift` watches the score stream (warm scores only, per series) and adds `"drift": true|false`
 * to each result. With a stream detector or a tabular model it only reports: the stream detectors
 * already follow a new regime on their own (a rolling window or an exponential forgetting), and a
 * tabular model is scored as fitted. With a series model or a series detector a drift starts a
 * refit on the buffer and a swap, reported as events on the results.
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
    .option('--warmup <n>', "points before any judgement (default: the detector's own, at least 1000 with SPOT, which needs 500 or more; series detectors: points of the first fit, default 1000)")
    .option('--value <cols>', 'value column(s), comma-separated (default: every column but the timestamp and the series id; stream detectors)')
    .option('--timestamp <col>', 'timestamp column (numbers or ISO 8601), must not decrease (default: a column named timestamp, time, date, datetime or ts, as fit finds it)')
    .option('--series-id <col>', 'a field keying many series: one stream per value')
    .option('--max-series <n>', `most series streamed at once (default ${DEFAULT_MAX_SERIES}); a point of one more is a bad line`)
    .option('--drift <name>', `watch the score stream for drift: ${DRIFT_DETECTORS.join(', ')} (series: refit on drift)`)
    .option('--drift-on <what>', 'series: watch the score (default) or each input value for drift: score | input')
    .option('--drift-set <k=v>', 'drift detector option (repeatable), e.g. delta=0.002', repeat, [] as string[])
    .option('--buffer <n>', 'series: recent points kept per series, what a refit learns from (default 2000)')
    .option('--refit-after <n>', 'series: points after a drift before the refit starts (default: the buffer)')
    .option('--strict', 'stop with status 2 at the first bad line instead of skipping it')
    .action(async (o: Opts) => {
      const { scorer, layout, series } = await streamSetup(o);
      const lines = new StreamLines();
      const records = new RecordReader(layout);
      let scored = 0;
      let firstSkip: string | null = null;

      const handle = async (item: LineItem): Promise<void> => {
        if (item.kind === 'header') return records.header(item.columns);
        let out: string;
        try {
          if (item.kind === 'bad') throw item.error;
          const rec = records.read(item.record, item.lineNo);
          let r: ScoredPoint;
          try {
            r = await scorer.push(rec.point);
          } catch (e) {
            if (e instanceof DataError) throw new DataError(`line ${item.lineNo}: ${e.message}`);
            throw e;
          }
          records.commit(rec);
          out = resultLine(r, rec.t, records.timestamp !== undefined, layout.seriesId, series, o.drift !== undefined);
        } catch (e) {
          // Only errors about this line's data are skipped; anything else is not the line's fault.
          if (o.strict || !(e instanceof DataError)) throw e;
          firstSkip ??= e.message;
          process.stderr.write(`vigil: ${e.message}; skipped\n`);
          return;
        }
        scored++;
        if (!process.stdout.write(out + '\n')) await once(process.stdout, 'drain');
      };

      let lineNo = 0;
      for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        for (const item of lines.push(raw, ++lineNo)) await handle(item);
      }
      for (const item of lines.end()) await handle(item);
      if (scored > 0) return;
      if (lines.dataLines === 0) {
        throw new DataError(lines.columns ? `the input has a header (${lines.columns.join(', ')}) but no data lines` : 'no input: standard input was empty');
      }
      const n = lines.dataLines;
      throw new DataError(`no line was scored: ${n === 1 ? 'the one data line was' : `all ${n} data lines were`} skipped (the first: ${firstSkip})`);
    });
}

/** One result line, its fields in the order `vigil stream` has always written them. */
function resultLine(r: ScoredPoint, t: unknown, hasTime: boolean, seriesId: string | undefined, series: boolean, drift: boolean): string {
  const out: Record<string, unknown> = {};
  if (hasTime) out['t'] = t;
  out['score'] = r.score;
  out['anomaly'] = r.anomaly;
  out['threshold'] = r.threshold;
  if (drift && !series) out['drift'] = r.drift ?? false;
  if (seriesId !== undefined) out[seriesId] = r.key;
  if (series) Object.assign(out, { warm: !r.warmingUp, drift: r.drift ?? false, generation: r.generation, events: r.events });
  if (r.channels) out['channels'] = r.channels;
  return JSON.stringify(out);
}
