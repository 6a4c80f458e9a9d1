/**
 * Incidents: the anomalies of one series (stream + key) that come close together form one
 * incident, so a noisy hour is one incident, not a hundred. An incident opens on an anomaly of a
 * series that has none open, is updated by each further anomaly (count, peak score, last time), and
 * resolves once `quietSeconds` pass without an anomaly of its series. The quiet period is measured
 * in the points' own time: a later point of the series shows it, or `advance(now)` (the service's
 * tick, so a series that went silent resolves too). The resolution time is the end of the quiet
 * period (last anomaly + quiet), whatever the tick, so replaying the same points after a restart
 * gives the same incidents, ids and event sequence numbers. Only open incidents are held.
 */
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { checkOrder, checkTime, seriesOf, type ScoredPoint } from './scored-point.js';

export interface Incident {
  /** Deterministic: stream, series and opening time (see `incidentId`). */
  id: string;
  streamId: string;
  key: string;
  status: 'open' | 'resolved';
  openedAt: number;
  lastAt: number;
  resolvedAt: number | null;
  /** Anomalous points in the incident. */
  count: number;
  peakScore: number;
  peakAt: number;
  /** The threshold the peak score was judged against. */
  peakThreshold: number;
  ackedAt: number | null;
  /** The number of events this incident has emitted so far (opened is sequence 0). */
  seq: number;
}

export type IncidentEventType = 'incident-opened' | 'incident-updated' | 'incident-resolved';

export interface IncidentEvent {
  type: IncidentEventType;
  /** This event's sequence number within its incident. */
  seq: number;
  /** A copy of the incident as of this event. */
  incident: Incident;
}

export interface IncidentTrackerOptions {
  streamId: string;
  quietSeconds: number;
}

export interface IncidentTrackerState {
  format: 'vigil-incidents';
  version: 1;
  streamId: string;
  quietSeconds: number;
  open: Incident[];
  /** The latest point time of each series with an open incident (anomalous or not). */
  lastSeen: Record<string, number>;
}

/** An id that is the same for the same incident after any replay, and differs between incidents. */
export function incidentId(streamId: string, key: string, openedAt: number): string {
  return `${encodeURIComponent(streamId)}:${encodeURIComponent(key)}:${openedAt}`;
}

export class IncidentTracker {
  readonly streamId: string;
  readonly quietMs: number;
  private readonly open = new Map<string, Incident>();
  /** Order is checked against every point of a series while its incident is open, not only its anomalies. */
  private readonly lastSeen = new Map<string, number>();

  constructor(opts: IncidentTrackerOptions) {
    if (!(Number.isFinite(opts.quietSeconds) && opts.quietSeconds > 0)) throw new OptionsError(`quietSeconds must be a positive number, got ${opts.quietSeconds}`);
    if (!opts.streamId) throw new OptionsError('an incident tracker needs a stream id');
    this.streamId = opts.streamId;
    this.quietMs = opts.quietSeconds * 1000;
  }

  /** Feeds one scored point of the stream; returns the events it caused, in order. */
  observe(p: ScoredPoint): IncidentEvent[] {
    checkTime(p.t, 'incidents');
    const key = seriesOf(p);
    const events: IncidentEvent[] = [];
    let inc = this.open.get(key);
    if (inc) {
      checkOrder(key, p.t, this.lastSeen.get(key) ?? inc.lastAt);
      this.lastSeen.set(key, p.t);
      if (p.t - inc.lastAt > this.quietMs) {
        events.push(this.resolve(inc));
        inc = undefined;
      }
    }
    if (!p.anomaly) return events;
    if (!inc) {
      inc = {
        id: incidentId(this.streamId, key, p.t),
        streamId: this.streamId,
        key,
        status: 'open',
        openedAt: p.t,
        lastAt: p.t,
        resolvedAt: null,
        count: 1,
        peakScore: p.score,
        peakAt: p.t,
        peakThreshold: p.threshold,
        ackedAt: null,
        seq: 0,
      };
      this.open.set(key, inc);
      this.lastSeen.set(key, p.t);
      events.push(this.emit('incident-opened', inc));
      return events;
    }
    inc.lastAt = p.t;
    inc.count++;
    if (p.score > inc.peakScore) {
      inc.peakScore = p.score;
      inc.peakAt = p.t;
      inc.peakThreshold = p.threshold;
    }
    events.push(this.emit('incident-updated', inc));
    return events;
  }

  /** Resolves every open incident whose quiet period ended by `now` (the points' time base). */
  advance(now: number): IncidentEvent[] {
    checkTime(now, 'incidents');
    const due = [...this.open.values()].filter((inc) => now - inc.lastAt > this.quietMs);
    due.sort((a, b) => a.lastAt - b.lastAt || (a.key < b.key ? -1 : 1));
    return due.map((inc) => this.resolve(inc));
  }

  /** Marks an open incident acknowledged (no event: acknowledgement is a person's act, not the data's). */
  ack(id: string, t: number): Incident {
    checkTime(t, 'incidents');
    const inc = [...this.open.values()].find((i) => i.id === id);
    if (!inc) throw new DataError(`no open incident ${id}`);
    inc.ackedAt ??= t;
    return { ...inc };
  }

  /** The open incidents, oldest first. */
  openIncidents(): Incident[] {
    return [...this.open.values()].sort((a, b) => a.openedAt - b.openedAt).map((i) => ({ ...i }));
  }

  /** The open incident of a series, if any. */
  openFor(key: string | null | undefined): Incident | undefined {
    const inc = this.open.get(seriesOf({ key }));
    return inc && { ...inc };
  }

  private resolve(inc: Incident): IncidentEvent {
    this.open.delete(inc.key);
    this.lastSeen.delete(inc.key);
    inc.status = 'resolved';
    inc.resolvedAt = inc.lastAt + this.quietMs;
    return this.emit('incident-resolved', inc);
  }

  private emit(type: IncidentEventType, inc: Incident): IncidentEvent {
    const seq = inc.seq;
    inc.seq++;
    return { type, seq, incident: { ...inc } };
  }

  toJSON(): IncidentTrackerState {
    return {
      format: 'vigil-incidents',
      version: 1,
      streamId: this.streamId,
      quietSeconds: this.quietMs / 1000,
      open: this.openIncidents(),
      lastSeen: Object.fromEntries(this.lastSeen),
    };
  }

  static fromJSON(state: IncidentTrackerState): IncidentTracker {
    if (state?.format !== 'vigil-incidents' || state.version !== 1) throw new FormatError('not a vigil-incidents state, version 1');
    const t = new IncidentTracker({ streamId: state.streamId, quietSeconds: state.quietSeconds });
    for (const inc of state.open) t.open.set(inc.key, { ...inc });
    for (const [k, at] of Object.entries(state.lastSeen ?? {})) t.lastSeen.set(k, at);
    return t;
  }
}
