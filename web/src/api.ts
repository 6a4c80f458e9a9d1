/** The public /v1 API with the signed-in key: everything the dashboard does, a script can do too. */
import { currentKey } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, key = currentKey()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch {
    throw new ApiError(0, 'unreachable', 'the Vigil service cannot be reached');
  }
  const body = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error ?? 'error', body?.message ?? `the service answered ${res.status}`);
  return body as T;
}

export type StreamState = 'empty' | 'warming-up' | 'scoring';

export interface StreamSummary {
  id: string;
  name: string;
  detector: string;
  modelVersion: number;
  state: StreamState;
  points: number;
  scored: number;
  lastT: number | null;
  anomaliesLastHour: number;
  anomaliesLastDay: number;
  openIncidents: number;
}

export interface Overview {
  generatedAt: number;
  teams: { id: string; name: string; streams: StreamSummary[] }[];
}

export type Me = { kind: 'admin' } | { kind: 'team'; teamId: string; teamName: string; keyId: string; role: string };

export interface SeriesRow {
  t: number;
  values: Record<string, number>;
  score: number | null;
  threshold: number | null;
  anomaly: boolean;
  /** Per-channel scores (the column's largest), null when the detector gives none. */
  channels?: Record<string, number> | null;
  /** Set by the dashboard when rows of several series are drawn together. */
  key?: string;
}

export interface Series {
  from: number | null;
  to: number | null;
  points: number;
  truncated: boolean;
  modelChanges?: { t: number; modelVersion: number }[];
  rows: SeriesRow[];
}

export interface StreamView {
  id: string;
  name: string;
  detector: string;
  modelVersion: number;
  channels: string[] | null;
}

export interface SeriesKey {
  key: string;
  points: number;
  anomalies: number;
  lastT: number;
}

export interface PointView {
  t: number;
  key: string;
  value?: number;
  values?: Record<string, number>;
  scored: boolean;
  score: number | null;
  anomaly: boolean | null;
  threshold: number | null;
  channels: Record<string, number> | null;
  modelVersion: number | null;
  error?: string;
  label?: 'anomaly' | 'normal' | null;
}

export const seriesPath = (id: string, o: { from?: number; to?: number; key?: string; columns: number }): string => {
  const q = new URLSearchParams({ columns: String(o.columns) });
  if (o.from !== undefined) q.set('from', String(Math.floor(o.from)));
  if (o.to !== undefined) q.set('to', String(Math.ceil(o.to)));
  if (o.key !== undefined) q.set('key', o.key);
  return `/v1/streams/${encodeURIComponent(id)}/series?${q}`;
};

export interface Incident {
  id: string;
  streamId: string;
  key: string;
  status: 'open' | 'resolved';
  severity: string | null;
  openedAt: number;
  lastAt: number;
  resolvedAt: number | null;
  ackedAt: number | null;
  count: number;
  peakScore: number | null;
  peakAt: number;
  peakThreshold: number | null;
}

export type Label = 'anomaly' | 'normal';

export interface Feedback {
  id: string;
  streamId: string;
  incidentId: string | null;
  key: string | null;
  from: number;
  to: number;
  label: Label;
  note: string | null;
  createdAt: number;
}

/** A POST with a JSON body (or none) to the /v1 API with the signed-in key. */
export async function post<T>(path: string, body?: unknown, key = currentKey()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'the Vigil service cannot be reached');
  }
  const out = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, out?.error ?? 'error', out?.message ?? `the service answered ${res.status}`);
  return out as T;
}
