/**
 * A telemanom-style spacecraft telemetry corpus for `vigil bench smap` (Hundman et al. 2018; the
 * layout of ../shared/data/timeseries/smap):
 *
 *   DIR/labeled_anomalies.csv   chan_id, spacecraft, anomaly_sequences ("[[start, end], ...]",
 *                               inclusive test-row indices), class, num_values (test rows)
 *   DIR/train/<chan_id>.csv     header row; column 0 is the telemetry value, the others are
 *   DIR/test/<chan_id>.csv      one-hot commands (telemanom's inputs, not what it predicts)
 *
 * Each channel is fitted on its train file and scored on its test file; only column 0 is used.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { readTable } from '../data/index.js';
import type { Range } from '../evaluate/ranges.js';
import { nabNumbers } from './nab.js';

export interface SmapChannel {
  id: string;
  spacecraft: string;
  /** Labelled anomalies as inclusive test-row ranges. */
  anomalies: Range[];
  train: Matrix;
  test: Matrix;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** The labelled channels, optionally only those of one spacecraft or those named. */
export async function readSmap(dir: string, o: { channels?: string[]; spacecraft?: string } = {}): Promise<SmapChannel[]> {
  if (!isDir(dir)) throw new DataError(existsSync(dir) ? `${dir} is not a folder` : `no such folder: ${dir}`);
  const labelsPath = join(dir, 'labeled_anomalies.csv');
  if (!existsSync(labelsPath)) throw new DataError(`${dir}: no labeled_anomalies.csv`);
  for (const sub of ['train', 'test']) if (!isDir(join(dir, sub))) throw new DataError(`${dir}: no ${sub}/ folder`);
  const labels = await readTable(labelsPath);
  const col = (name: string): number => {
    const j = labels.header.indexOf(name);
    if (j < 0) throw new DataError(`${labelsPath}: no '${name}' column (columns: ${labels.header.join(', ')})`);
    return j;
  };
  const [idJ, craftJ, seqJ, numJ] = [col('chan_id'), col('spacecraft'), col('anomaly_sequences'), col('num_values')];
  const wanted = o.channels ? new Set(o.channels) : undefined;
  const out: SmapChannel[] = [];
  for (const [i, r] of labels.rows.entries()) {
    const id = r[idJ] ?? '';
    const spacecraft = r[craftJ] ?? '';
    if (wanted && !wanted.has(id)) continue;
    if (o.spacecraft && spacecraft !== o.spacecraft) continue;
    const train = await readChannel(join(dir, 'train', `${id}.csv`));
    const test = await readChannel(join(dir, 'test', `${id}.csv`));
    const rows = Number(r[numJ]);
    if (rows !== test.rows) throw new DataError(`${labelsPath}: row ${i + 1} says ${id} has ${r[numJ]} test values, its test file has ${test.rows}`);
    out.push({ id, spacecraft, anomalies: parseSequences(r[seqJ] ?? '', test.rows, `${labelsPath}: row ${i + 1} (${id})`), train, test });
  }
  if (wanted) for (const id of wanted) if (!out.some((c) => c.id === id)) throw new DataError(`${labelsPath}: no channel '${id}'`);
  if (!out.length) throw new DataError(`${labelsPath}: no channels to score`);
  return out;
}

async function readChannel(path: string): Promise<Matrix> {
  if (!existsSync(path)) throw new DataError(`no such file: ${path}`);
  const t = await readTable(path);
  const v = nabNumbers(t.rows, 0, path, t.header[0] ?? 'value');
  return matrix(v.length, 1, v);
}

/** "[[2149, 2349], [4536, 4844]]" to ranges, checked against the series length. */
export function parseSequences(text: string, rows: number, where: string): Range[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DataError(`${where}: anomaly_sequences '${text}' is not a list of [start, end] pairs`);
  }
  if (!Array.isArray(parsed)) throw new DataError(`${where}: anomaly_sequences '${text}' is not a list of [start, end] pairs`);
  return parsed.map((p) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x))) {
      throw new DataError(`${where}: anomaly sequence ${JSON.stringify(p)} is not a [start, end] pair of row indices`);
    }
    const [s, e] = p as [number, number];
    if (s < 0 || e < s || e >= rows) throw new DataError(`${where}: anomaly sequence [${s}, ${e}] is outside the ${rows} test rows`);
    return [s, e] as const;
  });
}
