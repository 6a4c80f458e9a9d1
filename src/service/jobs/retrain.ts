/**
 * Retraining a stream: a job on its recent points (the older three quarters), then the
 * candidate scored in shadow on the newest quarter beside what the served model said about
 * them, the comparison (`compareShadow`: alerts per day, precision and recall on the points
 * people labelled, disagreements) stored, and the candidate promoted when the stream's rule
 * (`evaluatePromoteRule`) says so; otherwise it waits for a person.
 *
 * A detector that learns from labels (devnet: semi-supervised; classifier: supervised) is trained
 * on the stream's feedback: a training point people confirmed an anomaly is labelled 1, every
 * other point 0 (confirmed normals and unlabelled points alike: devnet's "unlabelled" side is
 * presumed normal, so a confirmed normal needs nothing more). Without a confirmed anomaly among the
 * training points such a retrain is refused (400).
 */
import { join } from 'node:path';
import { DataError } from '../../core/errors.js';
import { compareShadow, evaluatePromoteRule, type PromoteRule, type ShadowPoint } from '../../evaluate/shadow.js';
import type { ServiceContext } from '../context.js';
import { badRequest } from '../http-errors.js';
import { newId } from '../ids.js';
import { createScorer } from '../scoring/scorer-adapter.js';
import type { FeedbackRecord } from '../storage/alerting.js';
import type { JobRecord, ModelRecord, ShadowRecord, WindowPoint } from '../storage/jobs.js';
import type { StreamRecord } from '../storage/storage.js';
import { checkDetector, learnsFromLabels } from './check-detector.js';
import { DEFAULT_RETRAIN_POINTS, type RetrainRequest } from './retrain-policy.js';
import type { JobSpec } from './runner.js';
import { promoteModel } from './serving.js';
import { writeWindow, type LabelColumn } from './window-file.js';

/** What to fit: the request, else the stream's retrain policy, else the model serving the stream. */
async function whatToFit(ctx: ServiceContext, stream: StreamRecord, req: RetrainRequest): Promise<Required<Pick<RetrainRequest, 'detector' | 'options'>> & Pick<RetrainRequest, 'threshold'>> {
  const policy = (await ctx.storage.jobs.getPolicy(stream.id))?.retrain;
  const detector = req.detector ?? policy?.detector;
  if (detector !== undefined) {
    const fromPolicy = req.detector === undefined;
    return { detector, options: req.options ?? (fromPolicy ? policy?.options : undefined) ?? {}, threshold: (req.threshold ?? (fromPolicy ? policy?.threshold : undefined)) as RetrainRequest['threshold'] };
  }
  const served = typeof stream.spec['model'] === 'string' ? await ctx.storage.jobs.getModel(stream.spec['model']) : null;
  if (!served) throw badRequest(`stream ${stream.id} is scored by '${String(stream.spec['detector'])}', which learns online; give the retrain a detector to fit (or set one in the stream's retrain policy)`);
  return { detector: served.detector, options: req.options ?? served.options, threshold: (req.threshold ?? served.threshold ?? undefined) as RetrainRequest['threshold'] };
}

export async function requestRetrain(ctx: ServiceContext, stream: StreamRecord, req: RetrainRequest, reason: string): Promise<JobRecord> {
  const fit = await whatToFit(ctx, stream, req);
  const series = checkDetector(fit.detector, fit.options);
  const policy = (await ctx.storage.jobs.getPolicy(stream.id))?.retrain;
  const points = await ctx.storage.jobs.streamWindow(stream.id, { limit: req.points ?? policy?.points ?? DEFAULT_RETRAIN_POINTS });
  if (points.length < 8) throw badRequest(`stream ${stream.id} has ${points.length} points; a retrain needs at least 8 (three quarters to train on, a quarter to compare on)`);
  const cut = points.length - Math.max(1, Math.floor(points.length / 4));
  const train = points.slice(0, cut);
  const held = points.slice(cut);
  const label = series ? undefined : await feedbackLabels(ctx, stream, fit.detector, train);
  const id = newId('job');
  const dataFile = join('jobs', `${id}.ndjson`);
  const extra = await writeWindow(train, join(ctx.jobs.dataDir, dataFile), series, label);
  const spec: JobSpec = {
    source: { stream: stream.id, from: train[0]!.t, to: train[train.length - 1]!.t, points: train.length, reason },
    detector: fit.detector,
    options: fit.options,
    threshold: fit.threshold,
    ...(series ? { timestamp: 't', ...extra } : {}),
    ...(label ? { label: label.name } : {}),
    dataFile,
    format: 'ndjson',
    streamId: stream.id,
    shadow: { afterSeq: train[train.length - 1]!.seq, throughSeq: held[held.length - 1]!.seq, from: held[0]!.t, to: held[held.length - 1]!.t },
  };
  await ctx.storage.jobs.markRetrained(stream.id, Date.now(), points[points.length - 1]!.seq);
  return ctx.jobs.runner.submit(stream.teamId, 'retrain', spec, id);
}

/** For a detector that learns from labels: the training points' labels from the stream's feedback (1: a confirmed anomaly); else undefined. */
async function feedbackLabels(ctx: ServiceContext, stream: StreamRecord, detector: string, train: readonly WindowPoint[]): Promise<LabelColumn | undefined> {
  if (!learnsFromLabels(detector)) return undefined;
  const feedback = await ctx.storage.alerting.listFeedback(stream.id, 100_000);
  const values = train.map((p) => (labelOf(feedback, p.t, p.key) === 'anomaly' ? 1 : 0));
  const anomalies = values.reduce((a: number, b) => a + b, 0);
  if (!anomalies) {
    throw badRequest(`${detector} learns from confirmed anomalies, and none of the ${train.length} points it would train on is one: label some first (POST /v1/streams/${stream.id}/feedback with label "anomaly")`);
  }
  // A column name no channel has.
  let name = 'label';
  while (train.some((p) => name in p.values)) name = `_${name}`;
  return { name, values };
}

const labelOf = (feedback: readonly FeedbackRecord[], t: number, key: string): ShadowPoint['label'] => {
  // The newest label covering the point wins (feedback comes newest first).
  const f = feedback.find((f) => f.from <= t && t <= f.to && (f.key === null || f.key === key));
  return f?.label;
};

/** Most points of the two score tracks kept with a comparison, for drawing them on one chart. */
const MAX_TRACK_POINTS = 2000;

/** Both models' scores over the held-out points, thinned evenly, every point either flagged kept. */
function shadowTracks(points: readonly { t: number; served: number; candidate: number; flagged: boolean }[]) {
  const every = Math.max(1, Math.ceil(points.length / MAX_TRACK_POINTS));
  const kept = points.filter((p, i) => i % every === 0 || p.flagged || i === points.length - 1);
  return { t: kept.map((p) => p.t), served: kept.map((p) => p.served), candidate: kept.map((p) => p.candidate) };
}

/** After a retrain job: the shadow comparison, stored, and the promotion its rule allows. */
export async function onRetrained(ctx: ServiceContext, job: JobRecord, model: ModelRecord): Promise<void> {
  const spec = job.spec as unknown as JobSpec;
  if (job.kind !== 'retrain' || !spec.streamId || !spec.shadow) return;
  const stream = await ctx.storage.getStream(spec.streamId);
  if (!stream) return;
  const w = spec.shadow;
  const window = (await ctx.storage.jobs.streamWindow(stream.id, { from: w.from, to: w.to, limit: 200_000 })).filter((p) => p.seq > w.afterSeq && p.seq <= w.throughSeq && p.score !== null);
  if (!window.length) throw new DataError('none of the held-out points is scored by the served model; no shadow comparison');
  const candidate = createScorer({ detector: model.detector, model: model.id }, ctx.jobs.models);
  const verdicts = await candidate.pushMany(window.map((p) => ({ t: p.t, key: p.key, values: p.values })));
  const feedback = await ctx.storage.alerting.listFeedback(stream.id, 10_000);
  const comparison = compareShadow(
    window.map((p, i) => ({
      t: p.t,
      key: p.key,
      served: { score: p.score!, anomaly: p.anomaly },
      candidate: { score: verdicts[i]!.score, anomaly: verdicts[i]!.anomaly },
      label: labelOf(feedback, p.t, p.key),
    })),
  );
  const tracks = shadowTracks(window.map((p, i) => ({ t: p.t, served: p.score!, candidate: verdicts[i]!.score, flagged: p.anomaly || verdicts[i]!.anomaly })));
  const rule = (await ctx.storage.jobs.getPolicy(stream.id))?.retrain?.autoPromote as PromoteRule | undefined;
  const decision = rule ? evaluatePromoteRule(comparison, rule) : null;
  const record: ShadowRecord = {
    id: newId('cand'),
    teamId: stream.teamId,
    streamId: stream.id,
    jobId: job.id,
    candidateModelId: model.id,
    servedModelVersion: stream.modelVersion,
    comparison: { ...comparison, tracks } as unknown as Record<string, unknown>,
    decision: decision as unknown as Record<string, unknown> | null,
    status: 'pending',
    createdAt: Date.now(),
  };
  await ctx.storage.jobs.saveShadow(record);
  await ctx.storage.jobs.addJobLog(job.id, { t: Date.now(), message: `shadow comparison ${record.id}: ${comparison.points} points, ${comparison.disagreements.total} disagreements${decision ? `; rule ${decision.promote ? 'met' : 'not met'}` : ''}` });
  if (decision?.promote) {
    await promoteModel(ctx, stream, model, `auto-promoted candidate ${record.id}`);
    await ctx.storage.jobs.setShadowStatus(record.id, 'promoted');
  }
}
