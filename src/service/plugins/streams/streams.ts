/** Streams of one team: a name and the spec of what scores it. */
import type { ScorerSpec } from '../../../stream/scorer/index.js';
import type { ServiceContext } from '../../context.js';
import { notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import { savePolicy } from '../../jobs/policy.js';
import { createScorer } from '../../scoring/scorer-adapter.js';
import type { StreamRecord } from '../../storage/storage.js';
import { noteSpecChange } from './scale.js';
import type { CreateStreamBody, PatchStreamBody, StreamView } from './schemas.js';

function specOf(body: Partial<CreateStreamBody>): Record<string, unknown> {
  const { name: _name, retrain: _retrain, retentionDays: _days, ...spec } = body;
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
}

export function viewOf(s: StreamRecord): StreamView {
  const { channels, ...spec } = s.spec as ScorerSpec;
  return {
    ...spec,
    options: spec.options ?? {},
    threshold: spec.threshold ?? { kind: 'default' },
    id: s.id,
    teamId: s.teamId,
    name: s.name,
    modelVersion: s.modelVersion,
    channels: s.channels ?? channels ?? null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The stream if it belongs to the team; another team's stream is "not found", as is a missing one. */
export async function streamOf(ctx: ServiceContext, teamId: string, id: string): Promise<StreamRecord> {
  const s = await ctx.storage.getStream(id);
  if (!s || s.teamId !== teamId) throw notFound(`stream ${id}`);
  return s;
}

export async function createStream(ctx: ServiceContext, teamId: string, body: CreateStreamBody): Promise<StreamRecord> {
  const spec = specOf(body);
  createScorer(spec, ctx.jobs.models); // a bad detector or option is one 400 here, never an error per point
  const now = Date.now();
  const s: StreamRecord = { id: newId('st'), teamId, name: body.name, spec, modelVersion: 1, specSeq: 0, channels: null, createdAt: now, updatedAt: now };
  await ctx.storage.createStream(s);
  await savePolicy(ctx, s.id, body);
  return s;
}

export async function updateStream(ctx: ServiceContext, teamId: string, id: string, body: PatchStreamBody): Promise<StreamRecord> {
  const s = await streamOf(ctx, teamId, id);
  const change = specOf(body);
  let spec: Record<string, unknown> | undefined;
  if (Object.keys(change).length) {
    // A new detector starts from its own defaults; otherwise the change is merged into the spec.
    spec = change['detector'] !== undefined && change['detector'] !== s.spec['detector'] ? change : { ...s.spec, ...change };
    createScorer(spec, ctx.jobs.models);
  }
  const updated = (await ctx.storage.updateStream(id, { name: body.name, spec }))!;
  await savePolicy(ctx, id, body);
  if (spec) {
    await noteSpecChange(ctx, s, updated);
    ctx.scorer.invalidate(id);
  }
  return updated;
}

export async function deleteStream(ctx: ServiceContext, teamId: string, id: string): Promise<void> {
  await streamOf(ctx, teamId, id);
  ctx.scorer.forget(id);
  await ctx.storage.deleteStream(id);
}
