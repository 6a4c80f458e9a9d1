/** The team's server-sent events, read with the key in the Authorization header (EventSource cannot send one). */
import { fetchEventSource } from '@microsoft/fetch-event-source';
import type { Incident } from './api';
import { currentKey } from './session';

export interface PointEvent {
  type: 'point';
  streamId: string;
  t: number;
  key: string;
  score: number | null;
  anomaly: boolean;
  threshold: number | null;
  modelVersion: number;
  values?: Record<string, number>;
}
export interface ModelEvent {
  type: 'model';
  streamId: string;
  modelVersion: number;
  reason: string;
}
export interface IncidentEvent {
  type: 'incident';
  streamId: string;
  event: string;
  incident: Incident;
}
/** A training job's progress; streamId is '' for a job on a dataset. */
export interface JobEvent {
  type: 'job';
  streamId: string;
  job: { id: string; state: string; epoch: number | null; epochs: number | null; loss: number | null; percent: number; modelId: string | null; error: string | null };
}
/** Every event of the feed: code that reads one kind must check `type` (incidents and jobs carry no point). */
export type LiveEvent = PointEvent | ModelEvent | IncidentEvent | JobEvent;

/** Calls `on` for every event of `path` until the returned function is called; reconnects after a drop. */
export function subscribe(path: string, on: (e: LiveEvent) => void): () => void {
  const ctl = new AbortController();
  void fetchEventSource(path, {
    signal: ctl.signal,
    headers: { authorization: `Bearer ${currentKey() ?? ''}` },
    openWhenHidden: true,
    onmessage: (m) => {
      if (m.data) on(JSON.parse(m.data) as LiveEvent);
    },
    onerror: () => 2000,
  }).catch(() => undefined);
  return () => ctl.abort();
}
