/**
 * Prometheus metrics (prom-client), on a registry of the service's own. Every per-stream series
 * carries `team` and `stream` labels, so a team key's scrape can be cut to its own series.
 */
import { Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly ingestRequests = new Counter({ name: 'vigil_ingest_requests_total', help: 'Ingest requests acknowledged (202)', labelNames: ['team', 'stream'], registers: [this.registry] });
  private readonly ingestPoints = new Counter({ name: 'vigil_ingest_points_total', help: 'Points committed', labelNames: ['team', 'stream'], registers: [this.registry] });
  private readonly ingestRejected = new Counter({ name: 'vigil_ingest_rejected_total', help: 'Ingest requests refused (4xx)', labelNames: ['team', 'stream'], registers: [this.registry] });
  private readonly ingestSeconds = new Histogram({
    name: 'vigil_ingest_duration_seconds',
    help: 'Time from a parsed ingest request to its commit',
    labelNames: ['team'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  private readonly pointsScored = new Counter({ name: 'vigil_points_scored_total', help: 'Points scored', labelNames: ['team', 'stream'], registers: [this.registry] });
  private readonly anomalies = new Counter({ name: 'vigil_anomalies_total', help: 'Points flagged anomalous', labelNames: ['team', 'stream'], registers: [this.registry] });
  readonly scorerLag = new Gauge({ name: 'vigil_scorer_lag_points', help: 'Points committed but not yet scored', registers: [this.registry] });
  private readonly alerts = new Counter({ name: 'vigil_alerts_total', help: 'Alerts raised (fired, escalated, resolved), before delivery to any sink', labelNames: ['team', 'stream', 'type'], registers: [this.registry] });
  private readonly incidents = new Counter({ name: 'vigil_incidents_opened_total', help: 'Incidents opened', labelNames: ['team', 'stream'], registers: [this.registry] });
  private readonly jobSeconds = new Histogram({
    name: 'vigil_job_duration_seconds',
    help: 'Training job durations, from start to end, by detector and outcome',
    labelNames: ['team', 'detector', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400],
    registers: [this.registry],
  });

  ingested(team: string, stream: string, points: number, seconds: number): void {
    this.ingestRequests.inc({ team, stream });
    this.ingestPoints.inc({ team, stream }, points);
    this.ingestSeconds.observe({ team }, seconds);
  }

  rejected(team: string, stream: string): void {
    this.ingestRejected.inc({ team, stream });
  }

  scored(team: string, stream: string, points: number, anomalies: number): void {
    this.pointsScored.inc({ team, stream }, points);
    if (anomalies) this.anomalies.inc({ team, stream }, anomalies);
  }

  alerted(team: string, stream: string, type: string): void {
    this.alerts.inc({ team, stream, type });
  }

  incidentOpened(team: string, stream: string): void {
    this.incidents.inc({ team, stream });
  }

  /** A job ended (succeeded, failed or cancelled) after running `seconds`. */
  jobFinished(team: string, detector: string, outcome: string, seconds: number): void {
    this.jobSeconds.observe({ team, detector, outcome }, seconds);
  }

  /** The whole exposition (admin). */
  all(): Promise<string> {
    return this.registry.metrics();
  }

  /** Only the series labelled with this team (a team key's scrape). */
  async team(team: string): Promise<string> {
    const metrics = (await this.registry.getMetricsAsJSON()) as MetricObjectWithValues<MetricValue<string>>[];
    const out: string[] = [];
    for (const m of metrics) {
      const values = m.values.filter((v) => v.labels['team'] === team);
      if (!values.length) continue;
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
      for (const v of values) out.push(`${(v as { metricName?: string }).metricName ?? m.name}${labels(v.labels)} ${v.value}`);
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
}

const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labels(l: Partial<Record<string, string | number>>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(String(v))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
