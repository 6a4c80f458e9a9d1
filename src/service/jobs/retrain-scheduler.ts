/**
 * Scheduled retraining: now and then each stream with a retrain policy is looked at; a retrain
 * starts after `everyPoints` new points, after `everyHours`, or when a drift watch on the
 * served scores fires (`onDrift`; Page-Hinkley unless `driftWatch` names another), unless one
 * of its retrains is already queued or running. The drift watch lives in memory: after a restart it starts again from the next points.
 */
import { makeDriftDetector } from '../../stream/drift/registry.js';
import type { DriftDetector } from '../../stream/drift/drift-detector.js';
import type { ServiceContext } from '../context.js';
import type { StreamPolicy } from '../storage/jobs.js';
import { every, type Periodic } from './periodic.js';
import { requestRetrain } from './retrain.js';

const HOUR_MS = 3_600_000;

export class RetrainScheduler {
  private loop: Periodic | null = null;
  private readonly drift = new Map<string, { watch: DriftDetector; seq: number; fired: boolean }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = every(this.intervalMs, () => this.tick(), (e) => this.ctx.log(`retrain scheduler: ${(e as Error).stack ?? e}`));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  async tick(): Promise<void> {
    for (const p of await this.ctx.storage.jobs.listPolicies()) {
      if (!p.retrain) continue;
      const stream = await this.ctx.storage.getStream(p.streamId);
      if (!stream) continue;
      const reason = await this.due(p, stream.createdAt);
      if (!reason) continue;
      const jobs = await this.ctx.storage.jobs.listJobs(stream.teamId, 100);
      if (this.ctx.jobs.runner.busyFor(stream.id, jobs)) continue;
      try {
        await requestRetrain(this.ctx, stream, {}, reason);
        this.drift.delete(stream.id);
      } catch (e) {
        // Not enough points yet, or nothing to fit: noted, tried again at a later tick.
        this.ctx.log(`stream ${stream.id}: scheduled retrain (${reason}) not started: ${(e as Error).message}`);
        await this.ctx.storage.jobs.markRetrained(stream.id, Date.now(), p.lastRetrainSeq ?? 0);
      }
    }
  }

  private async due(p: StreamPolicy, createdAt: number): Promise<string | null> {
    const r = p.retrain!;
    const since = p.lastRetrainSeq ?? 0;
    if (r.everyPoints !== undefined && (await this.ctx.storage.jobs.countPointsAfter(p.streamId, since)) >= r.everyPoints) return `every ${r.everyPoints} points`;
    if (r.everyHours !== undefined && Date.now() - (p.lastRetrainAt ?? createdAt) >= r.everyHours * HOUR_MS) return `every ${r.everyHours} hours`;
    if (r.onDrift) {
      let d = this.drift.get(p.streamId);
      if (!d) this.drift.set(p.streamId, (d = { watch: makeDriftDetector(r.driftWatch?.kind ?? 'page-hinkley', r.driftWatch?.options ?? {}), seq: since, fired: false }));
      for (const s of await this.ctx.storage.jobs.scoresAfter(p.streamId, d.seq, 100_000)) {
        d.seq = s.seq;
        if (d.watch.update(s.score)) d.fired = true;
      }
      if (d.fired) return 'drift in the served scores';
    }
    return null;
  }
}
