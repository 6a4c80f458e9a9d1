/**
 * A stream's score scale: the model version from which its stored scores are comparable with the
 * ones it gives now. A change of only the threshold keeps the scale (the same detector or model
 * scores); any other change (another detector, options, a promoted or rolled back model) starts a
 * new one, which is what a version nobody marked is. Kept as a setting per stream,
 * {modelVersion, since}: valid while the stream is at that version.
 */
import { sameScoresApartFromThreshold } from '../../../stream/scorer/index.js';
import type { ServiceContext } from '../../context.js';
import type { StreamRecord } from '../../storage/storage.js';

const setting = (streamId: string): string => `score-scale:${streamId}`;

/** The first model version whose scores are on the stream's current scale. */
export async function scaleSince(ctx: ServiceContext, s: StreamRecord): Promise<number> {
  const raw = await ctx.storage.getSetting(setting(s.id));
  const mark = raw ? (JSON.parse(raw) as { modelVersion: number; since: number }) : null;
  return mark?.modelVersion === s.modelVersion ? mark.since : s.modelVersion;
}

/** After a spec change from `before` to `after`: a threshold-only change keeps the scale `before` was on. */
export async function noteSpecChange(ctx: ServiceContext, before: StreamRecord, after: StreamRecord): Promise<void> {
  if (after.modelVersion === before.modelVersion || !sameScoresApartFromThreshold(before.spec, after.spec)) return;
  await ctx.storage.setSetting(setting(after.id), JSON.stringify({ modelVersion: after.modelVersion, since: await scaleSince(ctx, before) }));
}
