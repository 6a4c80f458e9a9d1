import { threadPlatform } from '#engine-threads';
import { OptionsError } from '../../core/errors.js';
import type { WorkerPool, WorkerPoolOptions } from '../../core/worker-pool.js';
import type { Weights } from '../init.js';
import type { LossSpec, ModelSpec } from '../spec.js';
import type { GradientReply, GradientRequest } from './shards.js';

/**
 * Worker threads for the engine: parallel inference (here) and training shards (shards.ts).
 *
 * Parallel inference. TF.js's wasm backend runs on one thread in Node (its threaded build does not
 * load there), so large `forward`/`rowLoss` calls split their rows: this thread computes chunks
 * from the front while worker threads, each running its own TF.js engine on the same backend with
 * a copy of the model, take chunks from the back. Every row goes through the same kernels as on
 * one thread, and the backends' kernels give a row the same result whatever batch it sits in
 * (engine tests check it), so the output is bit-identical to single-thread scoring.
 *
 * Workers hold each model's weights per version (sent once, re-sent after train/setWeights), start
 * on the first large call, and this thread keeps scoring while they start up, so a call never
 * waits for a worker that is not ready.
 */

/**
 * When a call is worth splitting: at least `rows` rows (stream micro-batches and small files stay
 * on this thread), and, judged by how long this thread took for the first chunk, at least
 * `millis` of work left (a dense autoencoder scores 1024 rows in about a millisecond, less than a
 * round trip to a worker costs). Mutable for tests.
 */
export const parallelLimits = { rows: 1024, millis: 20 };
/** Chunks per thread, so that a slower (or late-starting) thread leaves little to wait for. */
const CHUNKS_PER_THREAD = 8;
const MIN_CHUNK = 64;
/** Requests a worker has in flight, so it never idles between chunks. */
const DEPTH = 2;
/** Models a worker keeps (least recently used go first; this thread re-sends on demand). */
export const WORKER_MODELS = 8;

export type ScoreTask = { kind: 'forward'; network: string } | { kind: 'rowLoss'; loss: LossSpec };

export interface ScoreRequest {
  model: { id: number; version: number; spec?: ModelSpec; weights?: Weights };
  task: ScoreTask;
  /** Float64: the worker converts its own rows to float32 (3 ns a value, the largest per-row cost of a small network). */
  x: { rows: number; cols: number; data: Float64Array };
  y?: { rows: number; cols: number; data: Float64Array };
  batchSize: number;
}

/** `missing`: the worker does not hold this model version and needs the weights. */
export type ScoreReply = { missing: true } | { values: Float32Array };

/** What the scheduler needs of a model: identity, version, and its spec and weights to ship. */
export interface ModelRef {
  readonly id: number;
  readonly version: number;
  payload(): { spec: ModelSpec; weights: Weights };
}

/** One large call: rows [0, rows) in passes of at most `batchSize`. */
export interface RowJob {
  rows: number;
  batchSize: number;
  /** Computes rows [a, b) on this thread and stores them. */
  local(a: number, b: number): Promise<void>;
  /** The request for rows [a, b) (without the model). */
  remote(a: number, b: number): Omit<ScoreRequest, 'model'>;
  /** Stores a worker's values for rows starting at `a`. */
  store(a: number, values: Float32Array): void;
}

/**
 * What the engine can run beside this thread, chosen by the package's `#engine-threads` import:
 * Node's worker threads, or nothing (a browser, where the engine runs on the page's thread).
 */
export interface ThreadPlatform {
  /** Cores to use at most; 0 where no worker thread can start (a browser, or inside a worker thread). */
  cores(): number;
  pool<Req, Res>(script: URL, options: WorkerPoolOptions): WorkerPool<Req, Res>;
}

let forced: number | undefined;

/** Threads the engine uses for large scoring calls and training shards: `VIGIL_THREADS`, else min(2, cores); always 1 inside a worker thread or a browser. */
export function engineThreads(): number {
  const cores = threadPlatform.cores();
  if (cores === 0) return 1;
  if (forced !== undefined) return forced;
  const env = process.env['VIGIL_THREADS'];
  if (env === undefined || env === '') return Math.min(2, cores);
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new OptionsError(`VIGIL_THREADS='${env}' is not a positive whole number`);
  return n;
}

/** What the worker threads do: score rows, or compute a training shard's gradient (shards.ts). */
export type WorkerRequest = ScoreRequest | GradientRequest;
export type WorkerReply = ScoreReply | GradientReply;

let pool: WorkerPool<WorkerRequest, WorkerReply> | undefined;
/** Per lane: model id -> version that worker was sent. */
let sent: Map<number, number>[] = [];

function poolFor(backend: string, workers: number): WorkerPool<WorkerRequest, WorkerReply> {
  if (!pool || pool.size !== workers) {
    void pool?.dispose();
    pool = threadPlatform.pool<WorkerRequest, WorkerReply>(new URL('./worker.js', import.meta.url), { size: workers, what: 'worker thread', env: { VIGIL_BACKEND: backend } });
    sent = Array.from({ length: workers }, () => new Map());
  }
  return pool;
}

/** Stops the worker threads (they also never keep the process alive); the next large call restarts them. */
export async function closeEngineThreads(): Promise<void> {
  const p = pool;
  pool = undefined;
  sent = [];
  await p?.dispose();
}

/** Overrides VIGIL_THREADS (`undefined` goes back to it) and stops the current threads. */
export async function setEngineThreads(n: number | undefined): Promise<void> {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new OptionsError(`threads must be a positive whole number, got ${n}`);
  forced = n;
  await closeEngineThreads();
}

/** Starts the worker threads now and resolves when they are ready (else they start on the first large call). */
export async function startEngineThreads(backend: string): Promise<void> {
  const threads = engineThreads();
  if (threads <= 1) return;
  const p = poolFor(backend, threads - 1);
  await Promise.all(Array.from({ length: p.size }, (_, lane) => p.ready(lane)));
}

/**
 * The worker thread that computes training shards, started now if not yet running (the caller
 * computes shards itself until it is ready); undefined when training runs on this thread alone.
 */
export function trainingWorker(backend: string): { pool: WorkerPool<WorkerRequest, WorkerReply>; lane: number } | undefined {
  if (backend === 'tensorflow' || engineThreads() <= 1) return undefined;
  const p = poolFor(backend, engineThreads() - 1);
  void p.ready(0, false).catch(() => {});
  return { pool: p, lane: 0 };
}

/**
 * One request about `model` to a worker: the model's spec and weights go along the first time that
 * worker is asked about this version (or when it answers that it dropped them), so later requests
 * carry only the model's id. `build` makes the request around the model field it is given, and
 * lists the buffers to move rather than copy.
 */
export async function callWithModel(
  p: WorkerPool<WorkerRequest, WorkerReply>,
  lane: number,
  model: ModelRef,
  build: (m: WorkerRequest['model']) => { req: WorkerRequest; buffers: ArrayBufferLike[] },
): Promise<Exclude<WorkerReply, { missing: true }>> {
  const ask = (withWeights: boolean): Promise<WorkerReply> => {
    const m: WorkerRequest['model'] = withWeights ? { id: model.id, version: model.version, ...model.payload() } : { id: model.id, version: model.version };
    if (withWeights) threadStats.modelsSent++;
    const { req, buffers } = build(m);
    return p.call(lane, req, [...buffers, ...(m.weights ? Object.values(m.weights).map((w) => w.buffer) : [])] as ArrayBuffer[]);
  };
  // Marked before the answer: a worker reads its messages in order, so later requests find the copy.
  const laneSent = sent[lane];
  const ship = laneSent?.get(model.id) !== model.version;
  laneSent?.set(model.id, model.version);
  let reply = await ask(ship);
  if ('missing' in reply) reply = await ask(true);
  if ('missing' in reply) throw new Error('internal: a worker thread dropped the model it was just sent');
  return reply;
}

/** The workers drop a disposed model's copy. */
export function forgetModel(id: number): void {
  if (!pool) return;
  for (const s of sent) s.delete(id);
  pool.notify({ drop: id });
}

/** Rows worker threads scored, model copies sent to them and training shards they computed, so far in this process (for tests and diagnostics). */
export const threadStats = { workerRows: 0, modelsSent: 0, workerShards: 0 };

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs a job on this thread alone, or split with worker threads when it is large enough. */
export async function scoreRows(model: ModelRef, backend: string, job: RowJob): Promise<void> {
  const { rows: n, batchSize: bs } = job;
  // Native TensorFlow already uses every core for one call.
  const threads = backend === 'tensorflow' ? 1 : engineThreads();
  if (threads <= 1 || n < parallelLimits.rows) {
    for (let a = 0; a < n; a += bs) await job.local(a, Math.min(a + bs, n));
    return;
  }
  const size = Math.min(bs, Math.max(MIN_CHUNK, Math.ceil(n / (threads * CHUNKS_PER_THREAD))));
  const chunks = Math.ceil(n / size);
  const range = (k: number): [number, number] => [k * size, Math.min((k + 1) * size, n)];
  const t0 = performance.now();
  await job.local(...range(0));
  if ((performance.now() - t0) * (chunks - 1) < parallelLimits.millis) {
    for (let a = size; a < n; a += bs) await job.local(a, Math.min(a + bs, n));
    return;
  }
  const p = poolFor(backend, threads - 1);
  // This thread takes chunks from the front, workers from the back, until they meet.
  let front = 1;
  let back = chunks;
  let failure: Error | undefined;
  let mainDone!: () => void;
  const mainFinished = new Promise<void>((resolve) => (mainDone = resolve));

  const send = async (lane: number, a: number, b: number): Promise<void> => {
    const reply = await callWithModel(p, lane, model, (m) => {
      const r = job.remote(a, b);
      return { req: { ...r, model: m }, buffers: [r.x.data.buffer, ...(r.y ? [r.y.data.buffer] : [])] };
    });
    if (!('values' in reply)) throw new Error('internal: a scoring thread answered without values');
    job.store(a, reply.values);
    threadStats.workerRows += b - a;
  };
  const worker = async (lane: number): Promise<void> => {
    if (!p.isReady(lane)) await Promise.race([p.ready(lane, false), mainFinished]);
    const feed = async (): Promise<void> => {
      while (front < back && !failure) {
        const [a, b] = range(--back);
        await send(lane, a, b);
      }
    };
    await Promise.all(Array.from({ length: DEPTH }, feed));
  };
  const mine = async (): Promise<void> => {
    try {
      while (front < back && !failure) {
        const [a, b] = range(front++);
        await job.local(a, b);
        await nextTurn(); // lets worker replies in and more chunks out
      }
    } finally {
      mainDone();
    }
  };
  // Workers that are ready claim their first chunks before this thread goes on.
  const all = [...Array.from({ length: p.size }, (_, lane) => worker(lane)), mine()].map((t) =>
    t.catch((e: unknown) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }),
  );
  await Promise.all(all);
  if (failure) throw failure;
}
