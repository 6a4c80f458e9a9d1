import { Command } from 'commander';
import { join } from 'node:path';
import { VigilError } from '../../core/errors.js';
import { numberFlag, wholeFlag } from '../number-flags.js';
import { UsageError } from '../usage-error.js';

interface Opts {
  port: string;
  host: string;
  db?: string;
  dataDir: string;
  bodyLimit?: string;
  rateLimit?: string;
  sync: string;
  checkpointPoints?: string;
  allowPrivateSinks?: boolean;
  retryBase?: string;
  retryMaxDelay?: string;
  retryAttempts?: string;
  jobConcurrency?: string;
  datasetLimit?: string;
  demo?: boolean;
}

/**
 * `vigil serve`: the monitoring service on embedded SQLite. Runs until SIGTERM or SIGINT, then
 * finishes the requests in flight, scores what was committed, checkpoints and exits 0.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the monitoring service (HTTP API on embedded SQLite); see docs/service.md')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--db <url>', 'database: sqlite:<file> (default sqlite:<data-dir>/vigil.db)')
    .option('--data-dir <dir>', 'where the database and model files live', './vigil-data')
    .option('--body-limit <bytes>', 'largest request body (default 16777216)')
    .option('--rate-limit <n>', 'requests per second per key (default 100000)')
    .option('--checkpoint-points <n>', "checkpoint the scorers' state after at most this many points scored (default 500000; also every 5 s)")
    .option('--allow-private-sinks', 'let alert sinks (webhooks) reach loopback and private addresses')
    .option('--retry-base <seconds>', 'alert delivery: the first retry delay, doubling after each failure (default 2)')
    .option('--retry-max-delay <seconds>', 'alert delivery: the longest retry delay (default 3600)')
    .option('--retry-attempts <n>', 'alert delivery: attempts before a delivery is a dead letter (default 16)')
    .option('--job-concurrency <n>', 'training jobs running at once, each in a worker thread (default 1; more wait in a queue)')
    .option('--dataset-limit <bytes>', 'largest dataset upload (default 268435456)')
    .option('--demo', "create a demo team whose streams are fed live by built-in telemetry generators (prints its key)")
    .option('--sync <mode>', 'SQLite synchronous: normal (a commit survives a killed process) or full (also a power cut)', 'normal')
    .action(async (o: Opts) => {
      const port = wholeFlag(o.port, '--port')!;
      if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
      const sync = o.sync.toUpperCase();
      if (sync !== 'NORMAL' && sync !== 'FULL') throw new UsageError(`--sync must be normal or full, got '${o.sync}'`);
      const { startService } = await loadService();
      const svc = await startService({
        port,
        host: o.host,
        db: o.db ?? `sqlite:${join(o.dataDir, 'vigil.db')}`,
        dataDir: o.dataDir,
        adminToken: process.env['VIGIL_ADMIN_TOKEN'] || undefined,
        bodyLimit: wholeFlag(o.bodyLimit, '--body-limit'),
        rateLimit: wholeFlag(o.rateLimit, '--rate-limit'),
        synchronous: sync,
        demo: o.demo,
        worker: { checkpointPoints: wholeFlag(o.checkpointPoints, '--checkpoint-points', 1) },
        allowPrivateSinks: o.allowPrivateSinks ?? false,
        jobConcurrency: wholeFlag(o.jobConcurrency, '--job-concurrency', 1),
        datasetLimit: wholeFlag(o.datasetLimit, '--dataset-limit', 1),
        retry: {
          ...(o.retryBase !== undefined && { baseSeconds: numberFlag(o.retryBase, '--retry-base') }),
          ...(o.retryMaxDelay !== undefined && { maxDelaySeconds: numberFlag(o.retryMaxDelay, '--retry-max-delay') }),
          ...(o.retryAttempts !== undefined && { maxAttempts: wholeFlag(o.retryAttempts, '--retry-attempts', 1) }),
        },
      });
      process.stdout.write(`vigil serve: listening on ${svc.url}\n`);
      if (svc.generatedAdminToken) process.stdout.write(`vigil serve: admin token (shown once, stored hashed): ${svc.generatedAdminToken}\n`);
      if (svc.demo) {
        process.stdout.write(`vigil serve: demo team key: ${svc.demo.key}\n`);
        process.stdout.write(`vigil serve: dashboard: ${svc.url}/#key=${svc.demo.key}\n`);
        for (const s of svc.demo.streams) process.stdout.write(`vigil serve: demo stream ${s.id}: ${s.name}\n`);
        process.stdout.write(`vigil serve: try  curl -H 'Authorization: Bearer ${svc.demo.key}' '${svc.url}/v1/events?only=anomalies'\n`);
      }
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (sig: string): void => {
          if (stopping) process.exit(130); // a second signal: stop now
          stopping = true;
          process.stderr.write(`vigil serve: ${sig}: finishing requests in flight\n`);
          svc.close().then(resolve, (e: unknown) => {
            process.stderr.write(`vigil serve: shutdown: ${(e as Error).message}\n`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
      });
    });
}

/**
 * The service's storage needs better-sqlite3, a native module that a library user need not build:
 * it is an optional peer dependency (a clone has it as a dev dependency), asked for here in words.
 */
async function loadService(): Promise<typeof import('../../service/server.js')> {
  try {
    await import('better-sqlite3');
  } catch {
    throw new VigilError('vigil serve needs better-sqlite3, an optional dependency for the service: npm install better-sqlite3@12');
  }
  return import('../../service/server.js');
}
