/** How an incident looks in the API and on the event feed. */
import type { IncidentRecord } from '../storage/alerting.js';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function incidentView(i: IncidentRecord) {
  return {
    id: i.id,
    streamId: i.streamId,
    key: i.key,
    status: i.status,
    severity: i.severity,
    openedAt: i.openedAt,
    lastAt: i.lastAt,
    resolvedAt: i.resolvedAt,
    ackedAt: i.ackedAt,
    count: i.count,
    peakScore: finite(i.peakScore),
    peakAt: i.peakAt,
    peakThreshold: finite(i.peakThreshold),
  };
}
export type IncidentView = ReturnType<typeof incidentView>;
