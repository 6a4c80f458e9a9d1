/** A stream's points as a training file (NDJSON): the channels as columns, plus time and key for a series detector. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { WindowPoint } from '../storage/jobs.js';

/** A 0/1 column written beside the channels (a semi-supervised detector's labels), one value per point. */
export interface LabelColumn {
  name: string;
  values: readonly number[];
}

export async function writeWindow(points: readonly WindowPoint[], path: string, series: boolean, label?: LabelColumn): Promise<{ seriesId?: string }> {
  await mkdir(dirname(path), { recursive: true });
  const keyed = series && new Set(points.map((p) => p.key)).size > 1;
  const out = createWriteStream(path);
  for (const [i, p] of points.entries()) {
    const row = series ? { t: new Date(p.t).toISOString(), ...(keyed ? { key: p.key } : {}), ...p.values } : label ? { ...p.values, [label.name]: label.values[i] } : p.values;
    if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
  return keyed ? { seriesId: 'key' } : {};
}
