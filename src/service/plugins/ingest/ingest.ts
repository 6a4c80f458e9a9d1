/** Ingest: points are committed first (atomically per request), then the scorer is nudged. */
import type { ServiceContext } from '../../context.js';
import { PointRejected, type NewPoint } from '../../storage/storage.js';
import { streamOf } from '../streams/streams.js';

export interface IngestPoint {
  t: number;
  key?: string;
  value?: number;
  values?: Record<string, number>;
}

export async function ingest(ctx: ServiceContext, teamId: string, streamId: string, points: readonly IngestPoint[]): Promise<number> {
  const stream = await streamOf(ctx, teamId, streamId);
  const t0 = performance.now();
  const rows: NewPoint[] = points.map((p) => ({ t: p.t, key: p.key ?? '', values: p.values ?? { value: p.value! } }));
  try {
    await ctx.storage.appendPoints(stream.id, rows);
  } catch (e) {
    if (e instanceof PointRejected) ctx.metrics.rejected(teamId, stream.id);
    throw e;
  }
  ctx.metrics.ingested(teamId, stream.id, rows.length, (performance.now() - t0) / 1000);
  ctx.scorer.wake();
  return rows.length;
}
