/**
 * Feedback: people label a time range of a stream (or an incident) anomaly or normal. The labels
 * recalibrate the stream's threshold (thresholdFromFeedback over the labelled points' stored
 * scores on the current score scale), applied as a fixed threshold through the stream update,
 * which makes a new model version; a stream served by a model keeps it, under the new threshold.
 */
import { thresholdFromFeedback, type FeedbackLabel } from '../../../alerting/index.js';
import type { ServiceContext } from '../../context.js';
import { badRequest, conflict } from '../../http-errors.js';
import { newId } from '../../ids.js';
import type { FeedbackRecord } from '../../storage/alerting.js';
import type { StreamRecord } from '../../storage/storage.js';
import { incidentOf } from '../incidents/incidents.js';
import { scaleSince } from '../streams/scale.js';
import { streamOf, updateStream } from '../streams/streams.js';
import type { RecalibrateBody, Recalibration, StreamFeedbackBody } from './schemas.js';

export const feedbackView = ({ teamId: _team, ...f }: FeedbackRecord) => f;

/** Each point's label: that of the newest feedback covering its time and series, else null. */
export async function labelsOf(ctx: ServiceContext, streamId: string, points: readonly { t: number; key: string }[]): Promise<(FeedbackLabel | null)[]> {
  if (!points.length) return [];
  let from = Infinity;
  let to = -Infinity;
  for (const p of points) (from = Math.min(from, p.t)), (to = Math.max(to, p.t));
  const fb = await ctx.storage.alerting.feedbackOverlapping(streamId, from, to);
  return points.map((p) => fb.find((f) => f.from <= p.t && p.t <= f.to && (f.key === null || f.key === p.key))?.label ?? null);
}

/** The range a stream feedback body names: `t` alone, or `from` and `to` with from <= to. */
function rangeOf(b: StreamFeedbackBody): { from: number; to: number } {
  if (b.t !== undefined) {
    if (b.from !== undefined || b.to !== undefined) throw badRequest('body: give t, or from and to, not both');
    return { from: b.t, to: b.t };
  }
  if (b.from === undefined || b.to === undefined) throw badRequest('body: give t, or both from and to');
  if (b.from > b.to) throw badRequest(`body: from (${b.from}) is after to (${b.to})`);
  return { from: b.from, to: b.to };
}

async function record(ctx: ServiceContext, stream: StreamRecord, f: Omit<FeedbackRecord, 'id' | 'teamId' | 'streamId' | 'createdAt'>) {
  const rec: FeedbackRecord = { id: newId('fb'), teamId: stream.teamId, streamId: stream.id, createdAt: Date.now(), ...f };
  await ctx.storage.alerting.addFeedback(rec);
  const rule = await ctx.storage.alerting.ruleOfStream(stream.id);
  let recalibration: Recalibration | null = null;
  if (rule?.recalibrateOnFeedback) recalibration = await recalibrateIfPossible(ctx, stream.teamId, stream.id);
  return { ...feedbackView(rec), recalibration };
}

export async function streamFeedback(ctx: ServiceContext, teamId: string, streamId: string, b: StreamFeedbackBody) {
  const s = await streamOf(ctx, teamId, streamId);
  return record(ctx, s, { ...rangeOf(b), key: b.key ?? null, label: b.label, note: b.note ?? null, incidentId: null });
}

/** An incident's feedback labels its series from its first to its last anomaly. */
export async function incidentFeedback(ctx: ServiceContext, teamId: string, incidentId: string, b: { label: FeedbackLabel; note?: string }) {
  const i = await incidentOf(ctx, teamId, incidentId);
  const s = await streamOf(ctx, teamId, i.streamId);
  return record(ctx, s, { from: i.openedAt, to: i.lastAt, key: i.key, label: b.label, note: b.note ?? null, incidentId: i.id });
}

export async function listFeedback(ctx: ServiceContext, teamId: string, streamId: string, limit: number) {
  const s = await streamOf(ctx, teamId, streamId);
  return (await ctx.storage.alerting.listFeedback(s.id, limit)).map(feedbackView);
}

/** The threshold the stream judges by now: its fixed value, else the newest one a scored point was judged against. */
async function currentThreshold(ctx: ServiceContext, s: StreamRecord): Promise<number | null> {
  const th = s.spec['threshold'] as { kind: string; value?: number } | undefined;
  if (th?.kind === 'value' && typeof th.value === 'number') return th.value;
  const [stats] = await ctx.storage.streamStats([s.id], Date.now());
  return stats?.lastThreshold ?? null;
}

export async function recalibrate(ctx: ServiceContext, teamId: string, streamId: string, opts: RecalibrateBody = {}): Promise<Recalibration> {
  const s = await streamOf(ctx, teamId, streamId);
  // Only scores on the current scale: another detector's or model's scores say nothing about this threshold.
  const since = await scaleSince(ctx, s);
  const labelled = await ctx.storage.alerting.labelledScores(s.id, since);
  if (!labelled.length) {
    const earlier = since > 1 ? (await ctx.storage.alerting.labelledScores(s.id, 0)).length : 0;
    if (earlier) {
      throw conflict(
        `stream ${s.id} has no labelled points scored on its current score scale (model version ${since} on, since the last change of detector or model); ` +
          `its ${earlier} labelled points were scored by an earlier detector or model; send feedback on points scored since`,
      );
    }
    throw conflict(`stream ${s.id} has no labelled points with scores yet; send feedback first`);
  }
  const current = await currentThreshold(ctx, s);
  if (current === null) throw conflict(`stream ${s.id} has no threshold yet (still warming up)`);
  const r = thresholdFromFeedback(labelled, current, opts);
  const updated = r.changed ? await updateStream(ctx, teamId, s.id, { threshold: { kind: 'value', value: r.threshold } }) : s;
  return { ...r, labelled: labelled.length, modelVersion: updated.modelVersion };
}

/** After feedback: recalibrate when there is something to go on, else leave the stream as it is. */
async function recalibrateIfPossible(ctx: ServiceContext, teamId: string, streamId: string): Promise<Recalibration | null> {
  try {
    return await recalibrate(ctx, teamId, streamId);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 409) return null;
    throw e;
  }
}
