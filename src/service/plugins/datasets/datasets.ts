/**
 * Datasets of one team: a CSV or NDJSON upload streamed to a file under the data dir (never
 * held in memory whole), refused past the size limit, then read once through the library's
 * table reader to count rows and columns, so a malformed file is refused at upload, not at training.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { VigilError } from '../../../core/errors.js';
import { openTable } from '../../../data/index.js';
import type { ServiceContext } from '../../context.js';
import { badRequest, HttpError, notFound } from '../../http-errors.js';
import { newId } from '../../ids.js';
import type { DatasetRecord } from '../../storage/jobs.js';

export const tooLarge = (limit: number): HttpError => new HttpError(413, 'payload_too_large', `the dataset is larger than the limit of ${limit} bytes`);

export async function datasetOf(ctx: ServiceContext, teamId: string, id: string): Promise<DatasetRecord> {
  const d = await ctx.storage.jobs.getDataset(id);
  if (!d || d.teamId !== teamId) throw notFound(`dataset ${id}`);
  return d;
}

async function countTable(path: string, format: 'csv' | 'ndjson'): Promise<{ rows: number; columns: string[] }> {
  const table = await openTable(path, { format: format === 'ndjson' ? 'json' : 'csv' });
  let rows = 0;
  try {
    for await (const chunk of table.chunks()) rows += chunk.length;
  } finally {
    await table.close();
  }
  return { rows, columns: [...table.header] };
}

export async function uploadDataset(ctx: ServiceContext, teamId: string, body: Readable, format: 'csv' | 'ndjson', name: string | undefined): Promise<DatasetRecord> {
  const id = newId('ds');
  const file = join('datasets', `${id}.${format}`);
  const path = join(ctx.jobs.dataDir, file);
  await mkdir(join(ctx.jobs.dataDir, 'datasets'), { recursive: true });
  const limit = ctx.jobs.datasetLimit;
  let bytes = 0;
  let over = false;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > limit) over = true;
      // Past the limit the rest is read and dropped, so the client gets its answer.
      cb(null, over ? undefined : chunk);
    },
  });
  try {
    await pipeline(body, count, createWriteStream(path));
    if (over) throw tooLarge(limit);
    if (bytes === 0) throw badRequest('the dataset is empty');
    let shape;
    try {
      shape = await countTable(path, format);
    } catch (e) {
      if (e instanceof VigilError) throw badRequest(`dataset: ${e.message.split('\n')[0]!.replace(path, format.toUpperCase())}`);
      throw e;
    }
    if (shape.rows === 0) throw badRequest('the dataset has a header but no rows');
    const d: DatasetRecord = { id, teamId, name: name ?? id, format, file, bytes, rows: shape.rows, columns: shape.columns, createdAt: Date.now() };
    await ctx.storage.jobs.createDataset(d);
    return d;
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}

export async function deleteDataset(ctx: ServiceContext, teamId: string, id: string): Promise<void> {
  const d = await datasetOf(ctx, teamId, id);
  await ctx.storage.jobs.deleteDataset(d.id);
  await rm(join(ctx.jobs.dataDir, d.file), { force: true });
}

export const datasetViewOf = ({ file: _file, teamId: _team, ...d }: DatasetRecord) => d;
