/**
 * What `vigil stream` scores one record with: a stream detector learning from scratch, or a model
 * file from `vigil fit`. Both answer per record; a problem with the record is a DataError naming
 * its line, a problem with the whole input (a CSV header lacking a column) is thrown by
 * `checkHeader`.
 */
import { DataError } from '../core/errors.js';
import { TOO_LARGE, isMissing, overflows, parseNumber, parseTimestamp, toFrame, type RawRow } from '../data/index.js';
import type { Model } from '../model/model.js';
import type { KeyedStreams } from '../stream/keyed.js';
import type { PointStream } from '../stream/learning.js';
import type { StreamDetector } from '../stream/stream-detector.js';
import { numberField, seriesKey, type StreamRecord } from './stream-input.js';

export interface Verdict {
  score: number;
  anomaly: boolean;
  /** NaN while a stream detector warms up. */
  threshold: number;
  warm: boolean;
  /** More fields for the result line (series streams: generation, events, drift). */
  extra?: Record<string, unknown>;
}

export interface RecordScorer {
  checkHeader(header: readonly string[]): void;
  score(rec: StreamRecord, lineNo: number): Promise<Verdict>;
}

/** Which fields of a record are what: value columns (default: every field but timestamp and id, from the first record). */
export interface RecordLayout {
  values?: readonly string[];
  timestamp?: string;
  seriesId?: string;
}

/** A stream detector per series over the value columns. */
export function detectorScorer(detectors: KeyedStreams<StreamDetector>, layout: RecordLayout): RecordScorer {
  const read = pointReader(layout);
  return {
    checkHeader: read.checkHeader,
    async score(rec, lineNo) {
      const { id, x } = read.point(rec, lineNo);
      const r = keyed(lineNo, () => detectors.get(id)).update(x.length === 1 ? x[0]! : x);
      return layout.seriesId === undefined ? r : { ...r, extra: { [layout.seriesId]: id } };
    },
  };
}

/** A series stream per series (a saved series model, or a series detector learning from scratch). */
export function seriesScorer(streams: KeyedStreams<PointStream>, layout: RecordLayout): RecordScorer {
  const read = pointReader(layout);
  return {
    checkHeader: read.checkHeader,
    async score(rec, lineNo) {
      const { id, x } = read.point(rec, lineNo);
      const r = await keyed(lineNo, () => streams.get(id)).update(x);
      const extra: Record<string, unknown> = {};
      if (layout.seriesId !== undefined) extra[layout.seriesId] = id;
      Object.assign(extra, { warm: r.warm, drift: r.drift, generation: r.generation, events: r.events });
      return { score: r.score, anomaly: r.anomaly, threshold: r.threshold, warm: r.warm, extra };
    },
  };
}

/** A series' stream; a DataError (too many series, an id the model lacks) names the line. */
function keyed<S>(lineNo: number, get: () => S): S {
  try {
    return get();
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`line ${lineNo}: ${e.message}`);
    throw e;
  }
}

function pointReader(layout: RecordLayout): {
  checkHeader(header: readonly string[]): void;
  point(rec: StreamRecord, lineNo: number): { id: string | null; x: Float64Array };
} {
  let cols = layout.values ?? null;
  return {
    checkHeader(header) {
      const missing = [...(cols ?? []), ...(layout.seriesId === undefined ? [] : [layout.seriesId])].filter((c) => !header.includes(c));
      if (missing.length) throw new DataError(`the input has no column ${missing.map((c) => `'${c}'`).join(', ')} (columns: ${header.join(', ')})`);
    },
    point(rec, lineNo) {
      const id = layout.seriesId === undefined ? null : seriesKey(rec, layout.seriesId, lineNo);
      cols ??= Object.keys(rec).filter((k) => k !== layout.timestamp && k !== layout.seriesId);
      const x = new Float64Array(cols.length);
      for (let j = 0; j < cols.length; j++) x[j] = numberField(rec, cols[j]!, lineNo);
      return { id, x };
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
        if (c.kind === 'numeric' && overflows(v)) throw new DataError(`line ${lineNo}: column '${c.name}' is ${TOO_LARGE}`);
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
