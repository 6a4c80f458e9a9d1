/** One incident: its state, severity, duration and peak, with acknowledge and the feedback buttons. */
import { useState } from 'preact/hooks';
import { post, type Incident, type Label } from '../api';
import { duration, iso, num } from '../format';
import { FeedbackButtons } from './feedback-buttons';

/** The stream view around an incident: from a little before it opened to a little after its last point. */
export function incidentHref(i: Incident): string {
  const end = i.resolvedAt ?? i.lastAt;
  const pad = Math.max(60_000, (end - i.openedAt) * 2);
  const q = new URLSearchParams({ from: String(i.openedAt - pad), to: String(end + pad), incident: i.id });
  if (i.key) q.set('key', i.key);
  return `/streams/${encodeURIComponent(i.streamId)}?${q}`;
}

export function stateOf(i: Incident): string {
  return i.status === 'resolved' ? 'resolved' : i.ackedAt !== null ? 'open, acknowledged' : 'open';
}

export function IncidentFacts({ i, streamName, onChange, link = true }: { i: Incident; streamName?: string; onChange?: (i: Incident) => void; link?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const ack = async (): Promise<void> => {
    setError(null);
    try {
      onChange?.(await post<Incident>(`/v1/incidents/${encodeURIComponent(i.id)}/ack`));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const send = async (label: Label): Promise<void> => {
    await post(`/v1/incidents/${encodeURIComponent(i.id)}/feedback`, { label });
  };
  return (
    <div class="incident">
      <dl class="facts">
        <dt>state</dt>
        <dd class={i.status === 'open' && i.ackedAt === null ? 'alarm' : ''}>{stateOf(i)}</dd>
        {streamName !== undefined && (<><dt>stream</dt><dd>{streamName}</dd></>)}
        {i.key && (<><dt>series</dt><dd>{i.key}</dd></>)}
        <dt>severity</dt>
        <dd>{i.severity ?? 'not alerted'}</dd>
        <dt>opened</dt>
        <dd>{iso(i.openedAt)}</dd>
        <dt>duration</dt>
        <dd>{duration((i.resolvedAt ?? i.lastAt) - i.openedAt)}{i.status === 'open' ? ' so far' : ''}</dd>
        <dt>anomalous points</dt>
        <dd>{i.count}</dd>
        <dt>peak score</dt>
        <dd>{num(i.peakScore, 4)} (threshold {num(i.peakThreshold, 4)}) at {iso(i.peakAt)}</dd>
        {i.ackedAt !== null && (<><dt>acknowledged</dt><dd>{iso(i.ackedAt)}</dd></>)}
      </dl>
      <div class="actions">
        {i.status === 'open' && i.ackedAt === null && <button type="button" onClick={() => void ack()}>Acknowledge</button>}
        {link && <a href={incidentHref(i)}>Show on the stream's chart</a>}
      </div>
      {error && <p class="error" role="alert">Could not acknowledge: {error}</p>}
      <FeedbackButtons current={null} send={send} />
    </div>
  );
}
