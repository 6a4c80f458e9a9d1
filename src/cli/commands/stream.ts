import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DataError } from '../../core/errors.js';
import { parseTimestamp } from '../../data/index.js';
import { makeStreamDetector, STREAM_DETECTORS } from '../../stream/registry.js';
import { FixedThreshold, SpotThreshold, type StreamThreshold } from '../../stream/stream-detector.js';
import { parseSetPairs } from '../set-options.js';
import { UsageError } from '../usage-error.js';

interface Opts {
  detector: string;
  set: string[];
  risk?: string;
  threshold?: string;
  warmup?: string;
  value?: string;
  timestamp?: string;
}

/**
 * `vigil stream`: reads NDJSON or CSV (header first) from stdin line by line and writes one JSON
 * result per point as soon as it is scored. A bad line (non-number value, timestamps out of
 * order) is a one-line error and exit status 2.
 */
export function streamCommand(): Command {
  return new Command('stream')
    .description('score points from standard input as they arrive (NDJSON or CSV); one JSON result per line')
    .requiredOption('--detector <name>', `stream detector: ${STREAM_DETECTORS.join(', ')}`)
    .option('--set <k=v>', 'detector option (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--risk <q>', 'EVT (SPOT) threshold with risk q per point (default 1e-4)')
    .option('--threshold <v>', 'a fixed threshold on the score instead')
    .option('--warmup <n>', 'points before any judgement (default: the detector\'s own)')
    .option('--value <cols>', 'value column(s), comma-separated (default: every column but the timestamp)')
    .option('--timestamp <col>', 'timestamp column (numbers or ISO 8601), must not decrease')
    .action(async (o: Opts) => {
      if (o.risk !== undefined && o.threshold !== undefined) throw new UsageError('give --risk or --threshold, not both');
      const threshold: StreamThreshold =
        o.threshold !== undefined ? new FixedThreshold(Number(o.threshold)) : new SpotThreshold(o.risk === undefined ? 1e-4 : Number(o.risk));
      const warmup = o.warmup === undefined ? undefined : Number(o.warmup);
      const detector = makeStreamDetector(o.detector, parseSetPairs(o.set), { threshold, warmup });
      const wanted = o.value?.split(',').map((s) => s.trim());

      let header: string[] | null = null;
      let ndjson: boolean | null = null;
      let valueCols: string[] | null = wanted ?? null;
      let lastT = -Infinity;
      let lineNo = 0;
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const raw of rl) {
        lineNo++;
        const line = raw.trim();
        if (line === '') continue;
        if (ndjson === null) ndjson = line.startsWith('{');
        let rec: Record<string, unknown>;
        if (ndjson) {
          try {
            rec = JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new DataError(`line ${lineNo}: not a JSON object`);
          }
          if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new DataError(`line ${lineNo}: not a JSON object`);
        } else {
          const cells = line.split(',').map((c) => c.trim());
          if (!header) {
            header = cells;
            continue;
          }
          if (cells.length !== header.length) throw new DataError(`line ${lineNo}: ${cells.length} cells, the header has ${header.length}`);
          rec = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
        }
        if (!valueCols) valueCols = Object.keys(rec).filter((k) => k !== o.timestamp);
        const x = new Float64Array(valueCols.length);
        for (let j = 0; j < valueCols.length; j++) {
          const c = valueCols[j]!;
          const v = rec[c];
          const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
          if (!Number.isFinite(n)) throw new DataError(`line ${lineNo}: column '${c}' is ${JSON.stringify(v ?? null)}, not a number`);
          x[j] = n;
        }
        let t: unknown;
        if (o.timestamp) {
          t = rec[o.timestamp];
          const tn = typeof t === 'number' ? t : typeof t === 'string' ? (/^-?[\d.]+(e-?\d+)?$/i.test(t) ? Number(t) : parseTimestamp(t)) : undefined;
          if (tn === undefined || !Number.isFinite(tn)) throw new DataError(`line ${lineNo}: timestamp '${o.timestamp}' is ${JSON.stringify(t ?? null)}, not a time`);
          if (tn < lastT) throw new DataError(`line ${lineNo}: timestamp ${JSON.stringify(t)} is before the previous one (timestamps must be sorted)`);
          lastT = tn;
        }
        const r = detector.update(x.length === 1 ? x[0]! : x);
        const out: Record<string, unknown> = {};
        if (o.timestamp) out['t'] = t;
        out['score'] = r.score;
        out['anomaly'] = r.anomaly;
        out['threshold'] = Number.isFinite(r.threshold) ? r.threshold : null;
        if (!process.stdout.write(JSON.stringify(out) + '\n')) await once(process.stdout, 'drain');
      }
    });
}
