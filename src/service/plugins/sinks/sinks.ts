/** A team's sinks: where its alerts go. */
import { randomBytes } from 'node:crypto';
import { alertKey, deliveryBody, deliveryHeaders, isDelivered, type Alert } from '../../../alerting/index.js';
import { resolveSink, postWebhook } from '../../alerting/webhook.js';
import type { ServiceContext } from '../../context.js';
import { notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import type { OutboxRow, SinkRecord } from '../../storage/alerting.js';
import type { CreateSinkBody, PatchSinkBody } from './schemas.js';

export const sinkView = ({ id, name, url, format, createdAt, updatedAt }: SinkRecord) => ({ id, name, url, format, createdAt, updatedAt });

export function deliveryView(r: OutboxRow) {
  return { id: r.id, sinkId: r.sinkId, streamId: r.streamId, incidentId: r.incidentId, event: r.event, idempotencyKey: r.idempotencyKey, ...r.delivery, createdAt: r.createdAt };
}

export async function sinkOf(ctx: ServiceContext, teamId: string, id: string): Promise<SinkRecord> {
  const s = await ctx.storage.alerting.getSink(id);
  if (!s || s.teamId !== teamId) throw notFound(`sink ${id}`);
  return s;
}

export async function createSink(ctx: ServiceContext, teamId: string, body: CreateSinkBody): Promise<SinkRecord> {
  await resolveSink(body.url, ctx.alerting.allowPrivateSinks);
  const now = Date.now();
  const s: SinkRecord = { id: newId('sk'), teamId, name: body.name, url: body.url, secret: body.secret ?? `whsec_${randomBytes(32).toString('base64url')}`, format: body.format, createdAt: now, updatedAt: now };
  await ctx.storage.alerting.createSink(s);
  return s;
}

export async function updateSink(ctx: ServiceContext, teamId: string, id: string, body: PatchSinkBody): Promise<SinkRecord> {
  await sinkOf(ctx, teamId, id);
  if (body.url !== undefined) await resolveSink(body.url, ctx.alerting.allowPrivateSinks);
  return (await ctx.storage.alerting.updateSink(id, body))!;
}

export async function deleteSink(ctx: ServiceContext, teamId: string, id: string): Promise<void> {
  await sinkOf(ctx, teamId, id);
  await ctx.storage.alerting.deleteSink(id);
}

/** Sends a made-up alert to the sink now, signed like a real one, and reports what the receiver said. */
export async function testSink(ctx: ServiceContext, teamId: string, id: string) {
  const sink = await sinkOf(ctx, teamId, id);
  const now = Date.now();
  const alert: Alert = {
    type: 'alert-fired',
    seq: 0,
    t: now,
    severity: 'info',
    incident: { id: `test:${sink.id}:${now}`, streamId: 'test', key: '', status: 'open', openedAt: now, lastAt: now, resolvedAt: null, count: 1, peakScore: 1, peakAt: now, peakThreshold: 1, ackedAt: null, seq: 1 },
  };
  const body = deliveryBody(alert, sink.format, { streamName: 'vigil test alert' });
  const key = alertKey(alert);
  const headers = await deliveryHeaders(sink.secret, Math.floor(now / 1000), body, key);
  const r = await postWebhook(sink.url, body, headers, { allowPrivate: ctx.alerting.allowPrivateSinks, timeoutMs: ctx.alerting.deliveryTimeoutMs });
  return r.kind === 'response'
    ? { delivered: isDelivered(r.status), status: r.status, error: isDelivered(r.status) ? null : `HTTP ${r.status}`, idempotencyKey: key }
    : { delivered: false, status: null, error: r.message, idempotencyKey: key };
}

export async function sinkDeliveries(ctx: ServiceContext, teamId: string, id: string, limit: number) {
  const sink = await sinkOf(ctx, teamId, id);
  return (await ctx.storage.alerting.listDeliveries({ sinkId: sink.id, limit })).map(deliveryView);
}
