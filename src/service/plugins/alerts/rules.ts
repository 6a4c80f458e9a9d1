/** A stream's alert rule: when its anomalies become alerts, and to which sinks. One rule per stream. */
import { parseAlertRule } from '../../../alerting/index.js';
import type { ServiceContext } from '../../context.js';
import { conflict, notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import type { RuleRecord } from '../../storage/alerting.js';
import { sinkOf } from '../sinks/sinks.js';
import { streamOf } from '../streams/streams.js';
import type { CreateRuleBody, PatchRuleBody, RuleView } from './schemas.js';

export function ruleView(r: RuleRecord): RuleView {
  return { id: r.id, streamId: r.streamId, ...r.rule, sinks: r.sinks, recalibrateOnFeedback: r.recalibrateOnFeedback, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export async function ruleOf(ctx: ServiceContext, teamId: string, id: string): Promise<RuleRecord> {
  const r = await ctx.storage.alerting.getRule(id);
  if (!r || r.teamId !== teamId) throw notFound(`rule ${id}`);
  return r;
}

/** Another team's sink is "not found", as everywhere. */
async function checkSinks(ctx: ServiceContext, teamId: string, sinks: readonly string[]): Promise<string[]> {
  for (const id of sinks) await sinkOf(ctx, teamId, id);
  return [...new Set(sinks)];
}

export async function streamRules(ctx: ServiceContext, teamId: string, streamId: string): Promise<RuleRecord[]> {
  const s = await streamOf(ctx, teamId, streamId);
  const r = await ctx.storage.alerting.ruleOfStream(s.id);
  return r ? [r] : [];
}

export async function createRule(ctx: ServiceContext, teamId: string, streamId: string, body: CreateRuleBody): Promise<RuleRecord> {
  const s = await streamOf(ctx, teamId, streamId);
  const existing = await ctx.storage.alerting.ruleOfStream(s.id);
  if (existing) throw conflict(`stream ${s.id} has a rule (${existing.id}); change it with PATCH /v1/rules/${existing.id}`);
  const { sinks, recalibrateOnFeedback, ...rule } = body;
  const now = Date.now();
  const r: RuleRecord = { id: newId('ru'), teamId, streamId: s.id, rule: parseAlertRule(rule), sinks: await checkSinks(ctx, teamId, sinks), recalibrateOnFeedback, createdAt: now, updatedAt: now };
  await ctx.storage.alerting.createRule(r);
  return r;
}

/** The change is merged into the rule; open incidents and the hour's alert budget carry over. */
export async function updateRule(ctx: ServiceContext, teamId: string, id: string, body: PatchRuleBody): Promise<RuleRecord> {
  const r = await ruleOf(ctx, teamId, id);
  const { sinks, recalibrateOnFeedback, ...change } = body;
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return (await ctx.storage.alerting.updateRule(id, {
    rule: parseAlertRule({ ...r.rule, ...defined }),
    sinks: sinks === undefined ? r.sinks : await checkSinks(ctx, teamId, sinks),
    recalibrateOnFeedback: recalibrateOnFeedback ?? r.recalibrateOnFeedback,
  }))!;
}

export async function deleteRule(ctx: ServiceContext, teamId: string, id: string): Promise<void> {
  await ruleOf(ctx, teamId, id);
  await ctx.storage.alerting.deleteRule(id);
}
