/** A stream's retrain and retention settings, from its create or PATCH body, stored beside its spec. */
import { makeDriftDetector } from '../../stream/drift/registry.js';
import type { ServiceContext } from '../context.js';
import type { RetrainPolicy } from '../storage/jobs.js';
import type { RetrainPolicyInput } from './retrain-policy.js';

export async function savePolicy(ctx: ServiceContext, streamId: string, body: { retrain?: RetrainPolicyInput | null; retentionDays?: number | null }): Promise<void> {
  if (body.retrain === undefined && body.retentionDays === undefined) return;
  const w = body.retrain?.driftWatch;
  if (w) makeDriftDetector(w.kind, w.options); // bad options: one 400 now
  await ctx.storage.jobs.setPolicy(streamId, { retrain: body.retrain as RetrainPolicy | null | undefined, retentionDays: body.retentionDays });
}
