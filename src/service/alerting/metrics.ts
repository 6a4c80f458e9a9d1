/** Alert delivery counters per stream, on the service's registry (team and stream labels, so a team's scrape sees its own). */
import { Counter, type Registry } from 'prom-client';

export class AlertMetrics {
  private readonly sent: Counter<'team' | 'stream'>;
  private readonly failed: Counter<'team' | 'stream'>;
  private readonly dead: Counter<'team' | 'stream'>;

  constructor(registry: Registry) {
    const labelNames = ['team', 'stream'] as const;
    this.sent = new Counter({ name: 'vigil_alerts_sent_total', help: 'Alert deliveries a sink accepted (2xx)', labelNames, registers: [registry] });
    this.failed = new Counter({ name: 'vigil_alerts_failed_total', help: 'Alert delivery attempts that failed (retried until dead)', labelNames, registers: [registry] });
    this.dead = new Counter({ name: 'vigil_alerts_dead_total', help: 'Alert deliveries given up after the last attempt (dead letters)', labelNames, registers: [registry] });
  }

  attempt(team: string, stream: string, status: 'delivered' | 'pending' | 'dead'): void {
    if (status === 'delivered') this.sent.inc({ team, stream });
    else this.failed.inc({ team, stream });
    if (status === 'dead') this.dead.inc({ team, stream });
  }
}
