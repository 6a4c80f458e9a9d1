/**
 * `vigil score` with a series model: the file is read whole (a score at step t needs the steps
 * before it, and the gap policy needs the whole series), each series is scored by its id's
 * detector, and one line per data row is written, series after series:
 * `<timestamp>[,<series id>],score,is_anomaly[,score_<channel>...]` (channel scores when the
 * model has more than one channel). Steps filled into a gap are scored but not written.
 */
import { readTable } from '../data/index.js';
import type { SeriesModel } from '../model/series-model.js';
import { csvCell } from './csv-cell.js';
import { withFlagNames } from './series-errors.js';

export async function* seriesScoreLines(model: SeriesModel, path: string, delimiter?: string, calibrated = false): AsyncGenerator<string> {
  const table = await readTable(path, { delimiter });
  const scored = await withFlagNames(() => model.score(table));
  const pValues = calibrated ? scored.map((s) => model.exceedance(s.series.id, s.scores.score)) : [];
  const ts = table.header.indexOf(model.timestamp);
  const multi = model.channels.length > 1;
  const head = [model.timestamp, ...(model.seriesId === null ? [] : [model.seriesId]), 'score', 'is_anomaly', ...(calibrated ? ['p_value', 'calibrated'] : []), ...(multi ? model.channels.map((c) => `score_${c}`) : [])];
  yield head.map(csvCell).join(',') + '\n';
  for (const [k, { series, scores, anomaly }] of scored.entries()) {
    const lines: string[] = [];
    const d = scores.channels.cols;
    for (let s = 0; s < series.rows.length; s++) {
      const row = series.rows[s]!;
      if (row === 0) continue;
      let line = csvCell(String(table.rows[row - 1]![ts] ?? ''));
      if (series.id !== null) line += `,${csvCell(series.id)}`;
      line += `,${scores.score[s]},${anomaly[s]}`;
      if (calibrated) line += `,${pValues[k]![s]},${1 - pValues[k]![s]!}`;
      if (multi) for (let j = 0; j < d; j++) line += `,${scores.channels.data[s * d + j]}`;
      lines.push(line);
    }
    yield lines.join('\n') + '\n';
  }
}
