/**
 * Pairing a scores file (from `vigil score`) with the labels of the scored data. A scores file
 * keyed by an id column (`score --id`) is joined on that id; one keyed by `row` is joined on the
 * row number; only a file without either pairs by position. Anything that does not pair one to
 * one (an id missing on either side, a duplicate, differing row counts) is refused, naming the
 * first offender: a silent mispairing gives a ROC of 0.5 and looks like a bad detector.
 */
import { DataError } from '../core/errors.js';
import { columnIndex, openTable, parseLabels, toFrame } from '../data/index.js';

export interface Paired {
  labels: Uint8Array;
  scores: Float64Array;
  predicted?: Uint8Array;
  /** How the rows were paired: the id column, 'row' numbers, or by position. */
  joinedOn: { kind: 'id'; column: string } | { kind: 'row' } | { kind: 'position' };
}

interface ScoresFile {
  /** The first column's name when it is a key (an id column or `row`), else null. */
  key: string | null;
  keys: string[];
  scores: Float64Array;
  predicted?: Uint8Array;
}

export async function pairScores(o: { data: string; label: string; scores: string; id?: string; delimiter?: string }): Promise<Paired> {
  const s = await readScoresFile(o.scores);
  if (s.key === null && o.id !== undefined) throw new DataError(`${o.scores} has no id column to join on --id '${o.id}' (its first column is 'score')`);
  // `row` is what score writes without --id, unless the data has a column of that name.
  const idColumn = (header: readonly string[]): string | undefined =>
    s.key === null ? undefined : o.id ?? (s.key === 'row' && !header.includes('row') ? undefined : s.key);
  const d = await readLabelsAndIds(o.data, o.label, idColumn, s.key, o.scores, o.delimiter);
  const n = d.labels.length;
  if (s.key === null) {
    if (n !== s.scores.length) throw new DataError(`${o.data} has ${n} rows but ${o.scores} has ${s.scores.length} scores (and no id column to join on)`);
    return { labels: d.labels, scores: s.scores, predicted: s.predicted, joinedOn: { kind: 'position' } };
  }
  const dataId = d.idColumn;
  const byRow = dataId === undefined;
  const dataKeys = d.ids ?? Array.from({ length: n }, (_, i) => String(i + 1));
  const where = new Map<string, number>();
  dataKeys.forEach((k, i) => {
    if (where.has(k)) throw new DataError(`${o.data}: id '${k}' in column '${dataId}' appears more than once (rows ${where.get(k)! + 1} and ${i + 1}); ids must be unique to join scores on them`);
    where.set(k, i);
  });
  const what = byRow ? 'row number' : `${dataId} id`;
  const scores = new Float64Array(n);
  const predicted = s.predicted ? new Uint8Array(n) : undefined;
  const seen = new Uint8Array(n);
  s.keys.forEach((k, r) => {
    const i = where.get(k);
    if (i === undefined) throw new DataError(`${o.scores}: ${what} '${k}' (scores row ${r + 1}) is not in ${o.data}`);
    if (seen[i]) throw new DataError(`${o.scores}: ${what} '${k}' appears more than once`);
    seen[i] = 1;
    scores[i] = s.scores[r]!;
    if (predicted) predicted[i] = s.predicted![r]!;
  });
  if (s.keys.length !== n) {
    const missing = dataKeys.find((_, i) => !seen[i])!;
    throw new DataError(`${o.data} has ${n} rows but ${o.scores} has ${s.keys.length} scores (${what} '${missing}' has none)`);
  }
  return { labels: d.labels, scores, predicted, joinedOn: byRow ? { kind: 'row' } : { kind: 'id', column: dataId! } };
}

/** The key, `score` and (where present) `is_anomaly` columns of a scores file. */
async function readScoresFile(path: string): Promise<ScoresFile> {
  const table = await openTable(path);
  const first = table.header[0]!;
  const key = first === 'score' ? null : first;
  let js: number;
  try {
    js = columnIndex(table.header, 'score', table.source);
  } catch (e) {
    await table.close();
    throw e;
  }
  const jp = table.header.indexOf('is_anomaly');
  const keys: string[] = [];
  const scores: number[] = [];
  const predicted: number[] = [];
  let row = 1;
  for await (const chunk of table.chunks()) {
    const frame = toFrame([{ name: 'score', kind: 'numeric' }], chunk.map((r) => [r[js] ?? null]), row, table.source);
    (frame.columns[0]!.values as Float64Array).forEach((v, i) => {
      if (Number.isNaN(v)) throw new DataError(`${path}: row ${row + i} has no score`);
      scores.push(v);
    });
    if (key !== null) for (const r of chunk) keys.push(r[0] ?? '');
    if (jp >= 0) for (const y of parseLabels(chunk.map((r) => r[jp] ?? null), 'is_anomaly', row, table.source)) predicted.push(y);
    row += chunk.length;
  }
  return { key, keys, scores: Float64Array.from(scores), predicted: jp >= 0 ? Uint8Array.from(predicted) : undefined };
}

/** The 0/1 labels of the data file and, when `idColumn` names one for its header, that id column as text. */
async function readLabelsAndIds(
  path: string,
  label: string,
  idColumn: (header: readonly string[]) => string | undefined,
  scoresKey: string | null,
  scoresPath: string,
  delimiter?: string,
): Promise<{ labels: Uint8Array; ids?: string[]; idColumn?: string }> {
  const table = await openTable(path, { delimiter });
  let jl: number;
  let ji = -1;
  const id = idColumn(table.header);
  try {
    jl = columnIndex(table.header, label, table.source);
    if (id !== undefined) {
      ji = table.header.indexOf(id);
      if (ji < 0) {
        const hint = id === scoresKey ? ` (${scoresPath} is keyed by '${id}', as score --id wrote it); name the id column of ${path} with --id` : '';
        throw new DataError(`${path} has no column '${id}' to join the scores on${hint} (columns: ${table.header.join(', ')})`);
      }
    }
  } catch (e) {
    await table.close();
    throw e;
  }
  const parts: Uint8Array[] = [];
  const ids: string[] = [];
  let row = 1;
  for await (const chunk of table.chunks()) {
    parts.push(parseLabels(chunk.map((r) => r[jl] ?? null), label, row, table.source));
    if (ji >= 0) for (const r of chunk) ids.push(r[ji] ?? '');
    row += chunk.length;
  }
  const labels = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (labels.set(p, at), (at += p.length));
  return { labels, ...(ji >= 0 ? { ids, idColumn: id } : {}) };
}
