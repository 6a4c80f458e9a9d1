/** Training jobs of one team: a request resolved to a data file and a detector, checked, then queued. */
import { join } from 'node:path';
import type { ServiceContext } from '../../context.js';
import { badRequest, conflict, notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import { checkDetector } from '../../jobs/check-detector.js';
import type { JobSpec } from '../../jobs/runner.js';
import { writeWindow } from '../../jobs/window-file.js';
import type { JobRecord } from '../../storage/jobs.js';
import { datasetOf } from '../datasets/datasets.js';
import { streamOf } from '../streams/streams.js';
import type { CreateJobBody, JobView } from './schemas.js';

/** Most stream points one job trains on. */
export const MAX_TRAINING_POINTS = 200_000;

export function jobViewOf(j: JobRecord): JobView {
  const spec = j.spec as unknown as JobSpec;
  const { spec: _spec, teamId: _team, ...rest } = j;
  return { ...rest, detector: spec.detector, source: spec.source };
}

export async function jobOf(ctx: ServiceContext, teamId: string, id: string): Promise<JobRecord> {
  const j = await ctx.storage.jobs.getJob(id);
  if (!j || j.teamId !== teamId) throw notFound(`job ${id}`);
  return j;
}

export async function createJob(ctx: ServiceContext, teamId: string, body: CreateJobBody): Promise<JobRecord> {
  const series = checkDetector(body.detector, body.options);
  const id = newId('job');
  let spec: JobSpec;
  if (body.dataset !== undefined) {
    if (body.from !== undefined || body.to !== undefined) throw badRequest('from and to are for a stream, not a dataset');
    const d = await datasetOf(ctx, teamId, body.dataset);
    if (body.entity && series) throw badRequest('entity is for tabular detectors');
    for (const c of [body.label, body.timestamp, body.seriesId, ...(body.entity ? [...body.entity.keys, body.entity.time] : [])]) {
      if (c !== undefined && !d.columns.includes(c)) throw badRequest(`dataset ${d.id} has no column '${c}' (columns: ${d.columns.join(', ')})`);
    }
    spec = { source: { dataset: d.id }, detector: body.detector, options: body.options, threshold: body.threshold, label: body.label, timestamp: body.timestamp, seriesId: body.seriesId, ...(body.entity ? { entity: body.entity } : {}), dataFile: d.file, format: d.format };
  } else {
    const s = await streamOf(ctx, teamId, body.stream!);
    if (body.entity !== undefined) throw badRequest('entity is for a dataset: its rows name the keys and the time');
    if (body.label !== undefined || body.timestamp !== undefined || body.seriesId !== undefined) throw badRequest("label, timestamp and seriesId are for a dataset; a stream's points give t, key and their channels");
    const points = await ctx.storage.jobs.streamWindow(s.id, { from: body.from, to: body.to, limit: MAX_TRAINING_POINTS });
    if (!points.length) throw badRequest(`stream ${s.id} has no points${body.from !== undefined || body.to !== undefined ? ' in that time range' : ''} to train on`);
    const dataFile = join('jobs', `${id}.ndjson`);
    const extra = await writeWindow(points, join(ctx.jobs.dataDir, dataFile), series);
    spec = {
      source: { stream: s.id, from: points[0]!.t, to: points[points.length - 1]!.t, points: points.length },
      detector: body.detector,
      options: body.options,
      threshold: body.threshold,
      ...(series ? { timestamp: 't', ...extra } : {}),
      dataFile,
      format: 'ndjson',
    };
  }
  return ctx.jobs.runner.submit(teamId, 'train', spec, id);
}

export async function cancelJob(ctx: ServiceContext, teamId: string, id: string): Promise<JobRecord> {
  const j = await jobOf(ctx, teamId, id);
  if (j.state !== 'queued' && j.state !== 'running') throw conflict(`job ${id} is ${j.state}; only a queued or running job can be cancelled`);
  return ctx.jobs.runner.cancel(j);
}
