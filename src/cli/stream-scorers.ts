/**
 * What `vigil stream` scores one record with: a stream detector learning from scratch, or a model
 * file from `vigil fit`. Both answer per record; a problem with the record is a DataError naming
 * its line, a problem with the whole input (a CSV header lacking a column) is thrown by
 * `checkHeader`.
 */
import { DataError } from '../core/errors.js';
import { isMissing, parseNumber, parseTimestamp, toFrame, type RawRow } from '../data/index.js';
import type { Model } from '../model/model.js';
import type { StreamDetector } from '../stream/stream-detector.js';
import { numberField, type StreamRecord } from './stream-input.js';

export interface Verdict {
  score: number;
  anomaly: boolean;
  /** NaN while a stream detector warms up. */
  threshold: number;
  warm: boolean;
}

export interface RecordScorer {
  checkHeader(header: readonly string[]): void;
  score(rec: StreamRecord, lineNo: number): Promise<Verdict>;
}

/** A stream detector over the `valueColumns` (default: every field but the timestamp, from the first record). */
export function detectorScorer(detector: StreamDetector, valueColumns: string[] | undefined, timestamp?: string): RecordScorer {
  let cols = valueColumns ?? null;
  return {
    checkHeader(header) {
      const missing = (cols ?? []).filter((c) => !header.includes(c));
      if (missing.length) throw new DataError(`the input has no column ${missing.map((c) => `'${c}'`).join(', ')} (columns: ${header.join(', ')})`);
    },
    async score(rec, lineNo) {
      cols ??= Object.keys(rec).filter((k) => k !== timestamp);
      const x = new Float64Array(cols.length);
      for (let j = 0; j < cols.length; j++) x[j] = numberField(rec, cols[j]!, lineNo);
      return detector.update(x.length === 1 ? x[0]! : x);
    },
  };
}

/** A tabular model: the record's fields named as the model's training columns; anomaly = score above its cutoff. */
export function modelScorer(model: Model): RecordScorer {
  const cols = model.columns;
  return {
    checkHeader(header) {
      const missing = cols.filter((c) => !header.includes(c.name)).map((c) => `'${c.name}'`);
      if (missing.length) throw new DataError(`the input lacks column ${missing.join(', ')} that the model was trained on (columns: ${header.join(', ')})`);
    },
    async score(rec, lineNo) {
      const row: RawRow = cols.map((c) => {
        const v = rec[c.name];
        if (v === undefined) throw new DataError(`line ${lineNo}: missing column '${c.name}' that the model was trained on`);
        if (v !== null && typeof v === 'object') throw new DataError(`line ${lineNo}: column '${c.name}' is ${JSON.stringify(v)}, not a value`);
        const s = v === null ? null : String(v);
        if (s !== null && !isMissing(s)) {
          const ok = c.kind === 'numeric' ? parseNumber(s) !== undefined : c.kind === 'timestamp' ? parseTimestamp(s) !== undefined : true;
          if (!ok) throw new DataError(`line ${lineNo}: column '${c.name}' is ${JSON.stringify(v)}, not a ${c.kind === 'numeric' ? 'number' : 'time'}`);
        }
        return s;
      });
      const score = (await model.score(toFrame(cols, [row], lineNo)))[0]!;
      return { score, anomaly: score > model.cutoff, threshold: model.cutoff, warm: true };
    },
  };
}
