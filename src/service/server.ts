/** The whole service in one process: storage, the HTTP app, the scorer, and (with --demo) the demo feed. */
import { mkdirSync } from 'node:fs';
import { OptionsError } from '../core/errors.js';
import { newAdminToken, sha256 } from './auth/tokens.js';
import { createAlerting, type AlertingOptions } from './alerting/alerting.js';
import { AlertProcessor } from './alerting/processor.js';
import { buildApp, type AppOptions } from './app.js';
import type { ServiceContext } from './context.js';
import { EventBus } from './events/bus.js';
import { createTraining, type TrainingOptions } from './jobs/training.js';
import { ServiceMetrics } from './metrics/metrics.js';
import { ScorerThread } from './scoring/thread-host.js';
import { ScoringWorker, type WorkerOptions } from './scoring/worker.js';
import { openStorage } from './storage/open.js';
import { startDemo, type Demo } from './demo/demo.js';
import type { SqliteOptions } from './storage/sqlite/sqlite-storage.js';
import type { ScorerThreadData } from './scoring/thread-protocol.js';

export interface ServeOptions extends AppOptions, AlertingOptions, TrainingOptions {
  port: number;
  host: string;
  /** `sqlite:<file>` */
  db: string;
  dataDir: string;
  /** The admin token to accept (VIGIL_ADMIN_TOKEN); without it one is generated at first start. */
  adminToken?: string;
  /** Feed a demo team's streams from the built-in telemetry generators. */
  demo?: boolean;
  synchronous?: SqliteOptions['synchronous'];
  /** Scorer settings; with a database file the scorer runs in a thread of its own (function options then do not apply). */
  worker?: WorkerOptions;
  log?: (msg: string) => void;
}

export interface RunningService {
  url: string;
  port: number;
  /** A newly generated admin token (first start without VIGIL_ADMIN_TOKEN), to print once; else null. */
  generatedAdminToken: string | null;
  demo: Demo | null;
  /** The scorer (its thread's host, or the worker itself on ':memory:'). */
  scorer: ScoringWorker | ScorerThread;
  /** Stops taking requests, lets those in flight finish, scores what was committed, checkpoints, closes the database. */
  close(): Promise<void>;
}

const ADMIN_HASH = 'admin_token_sha256';

/** The scorer settings that can go to its thread (plain numbers). */
const pickWorker = (w: WorkerOptions = {}): ScorerThreadData['worker'] => ({ batch: w.batch, checkpointMs: w.checkpointMs, checkpointPoints: w.checkpointPoints, pollMs: w.pollMs });

export async function startService(o: ServeOptions): Promise<RunningService> {
  const log = o.log ?? ((m: string) => process.stderr.write(`vigil serve: ${m}\n`));
  mkdirSync(o.dataDir, { recursive: true });
  // The request thread's and the scorer thread's connections take turns at writing through this.
  const writeLock = new SharedArrayBuffer(4);
  const storage = openStorage(o.db, { synchronous: o.synchronous, writeLock });
  let generatedAdminToken: string | null = null;
  let adminHash = await storage.getSetting(ADMIN_HASH);
  if (o.adminToken) {
    adminHash = sha256(o.adminToken);
    await storage.setSetting(ADMIN_HASH, adminHash);
  } else if (!adminHash) {
    generatedAdminToken = newAdminToken();
    adminHash = sha256(generatedAdminToken);
    await storage.setSetting(ADMIN_HASH, adminHash);
  }
  const bus = new EventBus();
  const metrics = new ServiceMetrics();
  const alerting = createAlerting(storage, metrics, o, log);
  const training = createTraining(storage, bus, o.dataDir, o, log);
  // The scorer off the request thread where another connection can reach the database; in process on ':memory:'.
  // Its alert processor (scoring-time alerting and the quiet timer, one turn at a time) goes with it: one per service.
  const processor =
    o.db === 'sqlite::memory:' ? new AlertProcessor(storage, bus, () => alerting.handle.wakeDelivery(), log, { clock: o.clock?.now, quietCheckMs: o.quietCheckMs, metrics }) : null;
  const worker: ScoringWorker | ScorerThread = processor
    ? new ScoringWorker(storage, bus, metrics, { log, models: training.handle.models, ...o.worker, onScored: processor.onScored })
    : new ScorerThread(
        { db: o.db, synchronous: o.synchronous, writeLock, dataDir: o.dataDir, worker: pickWorker(o.worker), alerting: { quietCheckMs: o.quietCheckMs, clock: o.clock?.buffer } },
        { bus, metrics, onDelivery: () => alerting.handle.wakeDelivery(), log },
      );
  const ctx: ServiceContext = { storage, adminHash, bus, metrics, scorer: worker, alerting: alerting.handle, jobs: training.handle, log };
  await worker.start();
  if (worker instanceof ScorerThread) storage.onCommitted((runs) => worker.feed(runs));
  await training.start(ctx);
  alerting.delivery.start();
  processor?.start();
  const { app, closeFeeds } = await buildApp(ctx, o);
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await worker.stop();
    await processor?.stop();
    await storage.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new OptionsError(`cannot listen on ${o.host}:${o.port}: ${code === 'EADDRINUSE' ? 'address already in use' : code}`);
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
  const demo = o.demo ? await startDemo(ctx) : null;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    generatedAdminToken,
    demo,
    scorer: worker,
    close: () =>
      (closing ??= (async () => {
        await demo?.stop();
        closeFeeds();
        // Keep-alive connections go as soon as their request in flight is answered, not at their timeout.
        const idle = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(idle);
        }
        await training.stop();
        await worker.stop();
        await processor?.stop();
        await alerting.delivery.stop();
        await storage.close();
      })()),
  };
}
