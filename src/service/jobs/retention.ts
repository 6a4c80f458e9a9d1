/**
 * Retention: now and then, each stream with `retentionDays` loses its points older than that.
 * Only points already scored and inside the stream's newest checkpoint go, so a restart never
 * needs a deleted point to rebuild the scorer's state; checkpoints and incidents are kept.
 */
import type { ServiceContext } from '../context.js';
import { every, type Periodic } from './periodic.js';

const DAY_MS = 86_400_000;

export class RetentionSweep {
  private loop: Periodic | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = every(this.intervalMs, () => this.sweep(), (e) => this.ctx.log(`retention: ${(e as Error).stack ?? e}`));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  async sweep(now = Date.now()): Promise<number> {
    let total = 0;
    for (const p of await this.ctx.storage.jobs.listPolicies()) {
      if (p.retentionDays === null) continue;
      const through = await this.ctx.storage.jobs.checkpointSeq(p.streamId);
      total += await this.ctx.storage.jobs.deleteOldPoints(p.streamId, now - p.retentionDays * DAY_MS, through);
    }
    return total;
  }
}
