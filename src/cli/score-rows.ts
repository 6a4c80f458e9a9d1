/**
 * `vigil score` on a tabular model: the file streams through the model chunk by chunk, so memory
 * stays bounded whatever its size. A row that cannot be read (a non-number in a numeric column,
 * a wrong number of fields) is either skipped, reported through `onSkip`, or stops the run: the
 * same policy `vigil stream` has for its lines.
 */
import { DataError } from '../core/errors.js';
import { columnIndex, openTable, toFrame, type RawRow } from '../data/index.js';
import { raggedError } from '../data/table.js';
import type { Explanation, Model } from '../model/model.js';
import { selectFrameRows, type Frame } from '../data/frame.js';
import { entityTimes, timeText } from '../preprocess/entity/index.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { isImageInput, scoreImageChunks } from './image-input.js';

export interface ScoredChunk {
  ids: string[];
  /** The header of the id column when the input names it (image input: `path`). */
  idName?: string;
  scores: Float64Array;
  explanation?: Explanation;
}

export interface ScoreRowsOptions {
  id?: string;
  delimiter?: string;
  explain: boolean;
  /** Called with each bad row's error when bad rows are skipped; without it the first one stops the run. */
  onSkip?: (e: DataError) => void;
}

export async function* scoreRows(model: Model, path: string, o: ScoreRowsOptions): AsyncGenerator<ScoredChunk> {
  if (isImageInput(path)) return yield* scoreImageChunks(model, path, o);
  const table = await openTable(path, { delimiter: o.delimiter, ragged: 'keep' });
  let positions: number[];
  let idPos: number;
  try {
    positions = model.columns.map((c) => {
      const j = table.header.indexOf(c.name);
      if (j < 0) throw new DataError(`${path}: missing column '${c.name}' that the model was trained on (columns: ${table.header.join(', ')})`);
      return j;
    });
    idPos = o.id === undefined ? -1 : columnIndex(table.header, o.id, table.source);
  } catch (e) {
    await table.close();
    throw e;
  }
  const width = table.header.length;
  // Entity models read rows in time order: a row earlier than one before it is a bad row.
  let latest = model.entity?.clock ?? -Infinity;
  let fromModel = true;
  let rowNumber = 1;
  let kept = 0;
  let skipped = 0;
  for await (const chunk of table.chunks()) {
    const first = rowNumber;
    rowNumber += chunk.length;
    const good: { row: RawRow; n: number }[] = [];
    const project = (r: RawRow): RawRow => positions.map((j) => r[j] ?? null);
    let frame;
    try {
      for (let i = 0; i < chunk.length; i++) if (chunk[i]!.length !== width) throw raggedError(table.source, first + i, chunk[i]!.length, width);
      frame = toFrame(model.columns, chunk.map(project), first, table.source);
      chunk.forEach((row, i) => good.push({ row, n: first + i }));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      // The chunk has a bad row: read it row by row, to keep the good ones or to name the first bad one.
      for (let i = 0; i < chunk.length; i++) {
        const row = chunk[i]!;
        try {
          if (row.length !== width) throw raggedError(table.source, first + i, row.length, width);
          toFrame(model.columns, [project(row)], first + i, table.source);
          good.push({ row, n: first + i });
        } catch (bad) {
          if (!(bad instanceof DataError) || !o.onSkip) throw bad;
          skipped++;
          o.onSkip(bad);
        }
      }
      if (!good.length) continue;
      frame = toFrame(model.columns, good.map((g) => project(g.row)), first, table.source);
    }
    if (model.entity) {
      const layout = model.entity.layout;
      const times = entityTimes(frame, layout);
      const keep: number[] = [];
      for (let i = 0; i < times.length; i++) {
        if (times[i]! >= latest) {
          latest = times[i]!;
          fromModel = false;
          keep.push(i);
          continue;
        }
        const than = fromModel ? 'the latest row the model has seen' : 'an earlier row of this file';
        const e = new DataError(
          `${table.source ? `${table.source}: ` : ''}row ${good[i]!.n}: time ${timeText(times[i]!, frame, layout)} is earlier than ${than} (${timeText(latest, frame, layout)}); an entity model scores rows after the ones it has seen, in time order`,
        );
        if (!o.onSkip) throw e;
        skipped++;
        o.onSkip(e);
      }
      if (!keep.length) continue;
      if (keep.length < good.length) {
        frame = selectFrameRows(frame, keep);
        good.splice(0, good.length, ...keep.map((i) => good[i]!));
      }
    }
    let scores = await model.score(frame);
    let explanation = o.explain ? await model.explain(frame) : undefined;
    // The next chunk's entity features count these rows.
    model.advance(frame);
    let rows = good;
    const overflowed = rows.map((_, i) => !Number.isFinite(scores[i]!));
    if (overflowed.some(Boolean)) {
      // A finite value can still be too large for the model's arithmetic (its square overflows):
      // such a row is bad data, not an infinitely anomalous one that later tools cannot read.
      for (let i = 0; i < rows.length; i++) {
        if (!overflowed[i]) continue;
        const e = overflowError(table.source, rows[i]!.n, frame, i, scores[i]!);
        if (!o.onSkip) throw e;
        skipped++;
        o.onSkip(e);
      }
      const keep = rows.map((_, i) => i).filter((i) => !overflowed[i]);
      rows = keep.map((i) => rows[i]!);
      scores = Float64Array.from(keep, (i) => scores[i]!);
      if (explanation) explanation = { columns: explanation.columns, values: pickRows(explanation.values, keep) };
      if (!rows.length) continue;
    }
    const ids = rows.map((g) => (idPos >= 0 ? String(g.row[idPos] ?? '') : String(g.n)));
    kept += rows.length;
    yield { ids, scores, explanation };
  }
  if (rowNumber === 1) throw new DataError(`${path}: no data rows to score`);
  if (kept === 0) throw new DataError(`${path}: every row was skipped (${skipped} bad row${skipped === 1 ? '' : 's'}); nothing was scored`);
}

/** Names the row and its largest numeric value, the one whose arithmetic overflowed. */
function overflowError(source: string | undefined, row: number, frame: Frame, i: number, score: number): DataError {
  let column = '';
  let value = 0;
  for (const c of frame.columns) {
    if (c.kind !== 'numeric') continue;
    const v = c.values[i]!;
    if (Math.abs(v) >= Math.abs(value)) [column, value] = [c.name, v];
  }
  const where = column ? `column '${column}' has ${value}, ` : '';
  return new DataError(`${source ? `${source}: ` : ''}row ${row}: ${where}too large for the model to score (its score is ${score})`);
}

function pickRows(m: Matrix, keep: number[]): Matrix {
  const out = matrix(keep.length, m.cols);
  keep.forEach((r, k) => out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols));
  return out;
}
