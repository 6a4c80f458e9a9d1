import { serve } from '../../core/worker-pool.js';
import { matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle } from '../engine.js';
import { createTfjsEngine, workerShard } from './engine.js';
import { WORKER_MODELS, type ScoreReply, type ScoreRequest, type WorkerReply, type WorkerRequest } from './threads.js';

/**
 * A worker thread: its own TF.js engine (same backend as the main thread, through VIGIL_BACKEND),
 * holding the models it was sent, each at one version, scoring the rows it is given or computing
 * a training shard's gradient (shards.ts).
 */
let engine: Engine;
/** In least-recently-used order (a Map keeps insertion order). */
const models = new Map<number, { version: number; handle: ModelHandle }>();

function drop(id: number): void {
  const m = models.get(id);
  if (!m) return;
  models.delete(id);
  engine.dispose(m.handle);
}

function model(req: WorkerRequest['model']): ModelHandle | undefined {
  let m = models.get(req.id);
  if (m?.version !== req.version) {
    if (!req.spec || !req.weights) return undefined;
    drop(req.id);
    m = { version: req.version, handle: engine.load(req.spec, req.weights) };
  }
  models.delete(req.id);
  models.set(req.id, m);
  for (const id of models.keys()) if (models.size > WORKER_MODELS) drop(id);
  return m.handle;
}

async function score(req: ScoreRequest): Promise<ScoreReply> {
  const handle = model(req.model);
  if (!handle) return { missing: true };
  const x = matrix(req.x.rows, req.x.cols, req.x.data);
  if (req.task.kind === 'forward') return { values: (await engine.forward(handle, x, { batchSize: req.batchSize, network: req.task.network })).data };
  const y = req.y ? matrix(req.y.rows, req.y.cols, req.y.data) : undefined;
  return { values: await engine.rowLoss(handle, y ? { x, y } : { x }, req.task.loss, { batchSize: req.batchSize }) };
}

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  if (!('kind' in req)) return score(req);
  const handle = model(req.model);
  return handle ? workerShard(handle, req) : { missing: true };
}

serve<WorkerRequest, WorkerReply>({
  init: async () => {
    engine = await createTfjsEngine();
  },
  handle: async (req) => {
    try {
      return await handle(req);
    } catch (e) {
      if (e instanceof Error) e.message = `worker thread: ${e.message}`;
      throw e;
    }
  },
  transfer: (r) => ('values' in r ? [r.values.buffer as ArrayBuffer] : 'gradient' in r ? [r.gradient.buffer as ArrayBuffer] : []),
  onNote: (note) => drop((note as { drop: number }).drop),
});
