/**
 * The scorer's thread: the ScoringWorker (worker.ts) and the alert processor behind it, on a
 * SQLite connection of their own, so scoring, score writes and alerting run beside the thread
 * that answers requests. The processor's quiet timer runs here too (the service's only one),
 * taking turns with the scorer's batches, so the two never change a stream's alerter state at
 * once. In: wakes after commits, spec changes and deletes, the topics the SSE feeds listen to.
 * Out, once a turn: progress, the events for those topics, counts for the metrics, outbox
 * nudges, log lines. Everything it knows is in the database, so a new thread after a crash
 * restores the checkpoints and replays, as a restart of the process does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AlertProcessor } from '../alerting/processor.js';
import { SharedClock } from '../alerting/shared-clock.js';
import { EventBus, type StreamEvent } from '../events/bus.js';
import { ModelLibrary } from '../jobs/model-library.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/storage.js';
import { PointFeed } from './point-feed.js';
import type { FromScorer, ScorerThreadData, ToScorer } from './thread-protocol.js';
import { ScoringWorker } from './worker.js';

const data = workerData as ScorerThreadData;
const port = parentPort!;
const post = (m: FromScorer): void => port.postMessage(m);
const log = (msg: string): void => post({ type: 'log', msg });

const storage = openStorage(data.db, { synchronous: data.synchronous, secondary: true, writeLock: data.writeLock });
const feed = new PointFeed();
const bus = new EventBus();

let events: StreamEvent[] = [];
let last: StreamEvent | null = null;
const scored = new Map<string, [string, string, number, number]>();
let alerted: [string, string, string][] = [];
let opened: [string, string][] = [];
let delivery = false;
let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}
function flush(): void {
  scheduled = false;
  post({ type: 'batch', scoredThrough: worker.scoredThrough, events, scored: [...scored.values()], alerted, opened, delivery });
  alerted = [];
  opened = [];
  events = [];
  last = null;
  scored.clear();
  delivery = false;
}

/** One listener on every topic the HTTP thread has; an event on both its stream's and its team's topic goes once. */
const forward = (e: StreamEvent): void => {
  if (e === last) return;
  last = e;
  events.push(e);
  schedule();
};
const topics = new Map<string, () => void>();
function setTopics(list: readonly string[]): void {
  const want = new Set(list);
  for (const [t, off] of topics) if (!want.has(t)) (off(), topics.delete(t));
  for (const t of want) if (!topics.has(t)) topics.set(t, bus.subscribe(t, forward));
}

const metrics = {
  scored(team: string, stream: string, points: number, anomalies: number): void {
    const c = scored.get(stream);
    if (c) (c[2] += points), (c[3] += anomalies);
    else scored.set(stream, [team, stream, points, anomalies]);
    schedule();
  },
  alerted(team: string, stream: string, type: string): void {
    alerted.push([team, stream, type]);
    schedule();
  },
  incidentOpened(team: string, stream: string): void {
    opened.push([team, stream]);
    schedule();
  },
};

/**
 * Storage whose pointsAfter takes the points from the feed when it has them (else reads them), and marks each stream in the rows as possibly changed, so the
 * worker reads its spec again before scoring them: a spec change committed by the other thread
 * is seen with the points after it, not whenever its message arrives.
 */
function watchSpecs(s: Storage, changed: (streamId: string) => void): Storage {
  const pointsAfter: Storage['pointsAfter'] = async (after, limit) => {
    const rows = feed.take(after, limit) ?? (await s.pointsAfter(after, limit));
    for (const id of new Set(rows.map((r) => r.streamId))) changed(id);
    return rows;
  };
  return new Proxy(s, {
    get: (target, prop) => {
      if (prop === 'pointsAfter') return pointsAfter;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const processor = new AlertProcessor(
  storage,
  bus,
  () => {
    delivery = true;
    schedule();
  },
  log,
  { metrics, quietCheckMs: data.alerting.quietCheckMs, clock: data.alerting.clock && new SharedClock(data.alerting.clock).now },
);
const worker: ScoringWorker = new ScoringWorker(
  watchSpecs(storage, (id) => worker.invalidate(id)),
  bus,
  metrics,
  {
    ...data.worker,
    log,
    models: new ModelLibrary(data.dataDir),
    onScored: async (rows, scores) => {
      await processor.onScored(rows, scores);
      schedule();
    },
  },
);

// Messages wait in the port until this listener is on, so no wake reaches the worker before its start set the cursor.
await worker.start();
processor.start();
port.on('message', (m: ToScorer) => {
  switch (m.type) {
    case 'wake':
      return worker.wake();
    case 'points':
      return feed.add(m.runs);
    case 'invalidate':
      return worker.invalidate(m.streamId);
    case 'forget':
      return worker.forget(m.streamId);
    case 'topics':
      return setTopics(m.topics);
    case 'stop':
      void (async () => {
        await worker.stop();
        await processor.stop();
        flush();
        await storage.close();
        port.close();
      })();
  }
});
post({ type: 'ready', scoredThrough: worker.scoredThrough });
