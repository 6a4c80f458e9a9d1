import { parentPort, Worker, type Transferable } from 'node:worker_threads';
import { VigilError } from './errors.js';

type Message<Req> = { id: number; req: Req } | { note: unknown };
type Reply<Res> = { ready: true } | { id: number; res: Res } | { id: number; error: { name: string; message: string } };

interface Lane {
  worker: Worker;
  ready: Promise<void>;
  isReady: boolean;
  /** Callers waiting for readiness that must keep the process alive meanwhile. */
  waiting: number;
  pending: Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>;
}

export interface WorkerPoolOptions {
  /** Worker threads, at most; each starts on its first use. */
  size: number;
  /** Names the threads in errors, e.g. `scoring thread`. */
  what: string;
  env?: Record<string, string | undefined>;
}

/**
 * Long-lived worker threads running `script` (which calls `serve`), addressed by lane so that a
 * caller can keep state in a given worker (e.g. a model's weights). Workers start lazily, are
 * `unref`'d while idle so they never keep the process alive, and a worker that crashes or exits
 * fails its pending calls with a VigilError and is replaced on the next call.
 */
export class WorkerPool<Req, Res> {
  private readonly lanes: (Lane | undefined)[];
  private nextId = 0;

  constructor(
    private readonly script: URL,
    private readonly o: WorkerPoolOptions,
  ) {
    this.lanes = new Array<Lane | undefined>(o.size).fill(undefined);
  }

  get size(): number {
    return this.o.size;
  }

  /** Whether lane `i`'s worker has started and is ready for calls right now. */
  isReady(i: number): boolean {
    return this.lanes[i]?.isReady ?? false;
  }

  /**
   * Resolves when lane `i`'s worker is ready, starting it if needed. `hold` keeps the process
   * alive until then; without it, a caller that has other work pending may stop caring.
   */
  ready(i: number, hold = true): Promise<void> {
    const lane = this.lane(i);
    if (!hold || lane.isReady) return lane.ready;
    lane.waiting++;
    sync(lane);
    const done = (): void => {
      lane.waiting--;
      sync(lane);
    };
    return lane.ready.finally(done);
  }

  /** One request to lane `i`'s worker; `transfer` lists buffers moved rather than copied. */
  call(i: number, req: Req, transfer: readonly Transferable[] = []): Promise<Res> {
    const lane = this.lane(i);
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      lane.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      sync(lane);
      lane.worker.postMessage({ id, req } satisfies Message<Req>, [...transfer]);
    });
  }

  /** A one-way message to every started worker (e.g. "forget this model"); no answer. */
  notify(note: unknown): void {
    for (const lane of this.lanes) lane?.worker.postMessage({ note } satisfies Message<Req>);
  }

  /** Stops every worker; pending calls fail. */
  async dispose(): Promise<void> {
    const lanes = this.lanes.splice(0, this.lanes.length, ...new Array<undefined>(this.lanes.length).fill(undefined));
    await Promise.all(
      lanes.map(async (lane) => {
        if (!lane) return;
        this.fail(lane, new VigilError(`${this.o.what} stopped: the pool was disposed`));
        await lane.worker.terminate();
      }),
    );
  }

  private lane(i: number): Lane {
    if (i < 0 || i >= this.lanes.length) throw new RangeError(`no lane ${i} in a pool of ${this.lanes.length}`);
    const existing = this.lanes[i];
    if (existing) return existing;
    const env = this.o.env ? { env: { ...process.env, ...this.o.env } } : {};
    const worker = new Worker(this.script, env);
    worker.unref();
    // An unref before the thread is online does not hold, so idle workers are unref'd again then.
    worker.once('online', () => sync(lane));
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const lane: Lane = {
      worker,
      ready: new Promise<void>((res, rej) => ((markReady = res), (failStart = rej))),
      isReady: false,
      waiting: 0,
      pending: new Map(),
    };
    lane.ready.catch(() => undefined); // callers that never wait for readiness must not see an unhandled rejection
    const retire = (e: Error): void => {
      if (this.lanes[i] === lane) this.lanes[i] = undefined;
      failStart(e);
      this.fail(lane, e);
    };
    worker.on('message', (r: Reply<Res>) => {
      if ('ready' in r) {
        lane.isReady = true;
        return markReady();
      }
      const p = lane.pending.get(r.id);
      if (!p) return;
      lane.pending.delete(r.id);
      sync(lane);
      if ('error' in r) {
        const e = new VigilError(r.error.message);
        e.name = r.error.name;
        p.reject(e);
      } else {
        p.resolve(r.res as never);
      }
    });
    worker.on('error', (e) => retire(new VigilError(`${this.o.what} ${i} failed: ${e.message}`)));
    worker.on('exit', (code) => retire(new VigilError(`${this.o.what} ${i} exited (code ${code})`)));
    this.lanes[i] = lane;
    return lane;
  }

  private fail(lane: Lane, e: Error): void {
    for (const p of lane.pending.values()) p.reject(e);
    lane.pending.clear();
  }
}

/** Referenced while a call is out or someone holds on for readiness, so the process waits for it; unref'd otherwise. */
function sync(lane: Lane): void {
  if (lane.pending.size + lane.waiting > 0) lane.worker.ref();
  else lane.worker.unref();
}

/**
 * The worker side of a WorkerPool: `init` runs first (the pool's calls wait for it), then each
 * request is answered with `handle`'s result and `transfer(result)`'s buffers moved; errors go
 * back by name and message. `onNote` receives `notify` messages.
 */
export function serve<Req, Res>(o: {
  init?: () => Promise<void>;
  handle: (req: Req) => Promise<Res>;
  transfer?: (res: Res) => Transferable[];
  onNote?: (note: unknown) => void;
}): void {
  const port = parentPort;
  if (!port) throw new Error('serve() runs inside a worker thread');
  const started = (o.init ?? (() => Promise.resolve()))();
  started.then(
    () => port.postMessage({ ready: true }),
    (e: unknown) => {
      // Failing to start is fatal for this worker: the pool sees the error event.
      throw e;
    },
  );
  port.on('message', async (msg: Message<Req>) => {
    if ('note' in msg) return o.onNote?.(msg.note);
    try {
      await started;
      const res = await o.handle(msg.req);
      port.postMessage({ id: msg.id, res }, o.transfer?.(res) ?? []);
    } catch (e) {
      const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
      port.postMessage({ id: msg.id, error });
    }
  });
}
