/** A stream's points as a training file (NDJSON): the channels as columns, plus time and key for a series detector. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { WindowPoint } from '../storage/jobs.js';

export async function writeWindow(points: readonly WindowPoint[], path: string, series: boolean): Promise<{ seriesId?: string }> {
  await mkdir(dirname(path), { recursive: true });
  const keyed = series && new Set(points.map((p) => p.key)).size > 1;
  const out = createWriteStream(path);
  for (const p of points) {
    const row = series ? { t: new Date(p.t).toISOString(), ...(keyed ? { key: p.key } : {}), ...p.values } : p.values;
    if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
  return keyed ? { seriesId: 'key' } : {};
}
