/** A team's incidents: read, and acknowledged by a person. */
import { incidentView } from '../../alerting/views.js';
import type { ServiceContext } from '../../context.js';
import { notFound } from '../../http-errors.js';
import type { IncidentRecord } from '../../storage/alerting.js';
import { deliveryView } from '../sinks/sinks.js';
import { streamOf } from '../streams/streams.js';

export async function incidentOf(ctx: ServiceContext, teamId: string, id: string): Promise<IncidentRecord> {
  const i = await ctx.storage.alerting.getIncident(id);
  if (!i || i.teamId !== teamId) throw notFound(`incident ${id}`);
  return i;
}

export async function listIncidents(ctx: ServiceContext, teamId: string, q: { state?: 'open' | 'resolved'; stream?: string; limit: number }) {
  if (q.stream !== undefined) await streamOf(ctx, teamId, q.stream);
  return (await ctx.storage.alerting.listIncidents({ teamId, streamId: q.stream, status: q.state, limit: q.limit })).map(incidentView);
}

export async function incidentDetail(ctx: ServiceContext, teamId: string, id: string) {
  const i = await incidentOf(ctx, teamId, id);
  const deliveries = await ctx.storage.alerting.listDeliveries({ incidentId: i.id, limit: 1000 });
  return { ...incidentView(i), deliveries: deliveries.map(deliveryView) };
}

export async function ackIncident(ctx: ServiceContext, teamId: string, id: string) {
  await incidentOf(ctx, teamId, id);
  return incidentView((await ctx.storage.alerting.ackIncident(id, Date.now()))!);
}
