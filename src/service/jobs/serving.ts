/**
 * Which model scores a stream: promoting a model version sets the stream's spec to
 * `{detector, model}` (plus its drift watch), so the scorer builds the stream's lanes through
 * the core scorer's model path and the stream's model version bumps; the spec it replaced is
 * kept, so a roll back is one call.
 */
import { OptionsError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { conflict } from '../http-errors.js';
import { createScorer } from '../scoring/scorer-adapter.js';
import type { ModelRecord } from '../storage/jobs.js';
import type { StreamRecord } from '../storage/storage.js';

export async function promoteModel(ctx: ServiceContext, stream: StreamRecord, model: ModelRecord, reason: string): Promise<StreamRecord> {
  if (stream.spec['model'] === model.id) throw conflict(`model ${model.id} already scores stream ${stream.id}`);
  if (model.kind === 'tabular' && stream.channels) {
    const missing = model.columns.filter((c) => !stream.channels!.includes(c));
    if (missing.length || model.columns.length !== stream.channels.length) {
      throw new OptionsError(`model ${model.id} reads columns ${model.columns.join(', ')}; stream ${stream.id}'s channels are ${stream.channels.join(', ')}`);
    }
  }
  const spec: Record<string, unknown> = { detector: model.detector, model: model.id, ...(stream.spec['drift'] ? { drift: stream.spec['drift'] } : {}) };
  createScorer(spec, ctx.jobs.models); // a model the scorer cannot take is one 400 now
  await ctx.storage.jobs.pushServedHistory(stream.id, model.id, stream.spec, reason);
  const updated = (await ctx.storage.updateStream(stream.id, { spec }))!;
  ctx.scorer.invalidate(stream.id);
  return updated;
}

export async function rollbackModel(ctx: ServiceContext, stream: StreamRecord): Promise<StreamRecord> {
  const prev = await ctx.storage.jobs.popServedHistory(stream.id);
  if (!prev) throw conflict(`stream ${stream.id} has no earlier model to roll back to`);
  const updated = (await ctx.storage.updateStream(stream.id, { spec: prev.previousSpec }))!;
  ctx.scorer.invalidate(stream.id);
  return updated;
}
