import { serve } from '../../core/worker-pool.js';
import type { Engine, ModelHandle } from '../engine.js';
import { createTfjsEngine, workerScore } from './engine.js';
import { workerShard } from './session.js';
import { WORKER_MODELS, type WorkerReply, type WorkerRequest } from './threads.js';

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

function handle(req: WorkerRequest): WorkerReply {
  const h = model(req.model);
  if (!h) return { missing: true };
  return 'kind' in req ? workerShard(h, req) : { values: workerScore(h, req) };
}

serve<WorkerRequest, WorkerReply>({
  init: async () => {
    engine = await createTfjsEngine();
  },
  handle: async (req) => {
    try {
      return handle(req);
    } catch (e) {
      if (e instanceof Error) e.message = `worker thread: ${e.message}`;
      throw e;
    }
  },
  transfer: (r) => ('values' in r ? [r.values.buffer as ArrayBuffer] : 'gradient' in r ? [r.gradient.buffer as ArrayBuffer] : []),
  onNote: (note) => drop((note as { drop: number }).drop),
});
