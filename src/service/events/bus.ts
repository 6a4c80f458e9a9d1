/**
 * Scored points, anomalies and model changes per stream, to whoever listens (the SSE feed).
 * In-process now; when the scorer runs in its own process this becomes a subscription to it.
 */
import type { IncidentEventType } from '../../alerting/index.js';
import type { IncidentView } from '../alerting/views.js';

export type StreamEvent =
  | { type: 'point'; teamId: string; streamId: string; t: number; key: string; values: Record<string, number>; score: number | null; anomaly: boolean; threshold: number | null; channels: Record<string, number> | null; modelVersion: number }
  | { type: 'model'; teamId: string; streamId: string; modelVersion: number; reason: string }
  | { type: 'incident'; teamId: string; streamId: string; event: IncidentEventType; incident: IncidentView }
  /** A training job's progress; streamId is '' for a job on a dataset (it reaches the team's feed only). */
  | { type: 'job'; teamId: string; streamId: string; job: { id: string; state: string; epoch: number | null; epochs: number | null; loss: number | null; percent: number; modelId: string | null; error: string | null } };

type Listener = (e: StreamEvent) => void;

export class EventBus {
  /** Listeners by stream id, and by team id for a team's whole feed. */
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Told the topics listened to whenever one gains its first listener or loses its last (the scorer's thread keeps a copy). */
  onTopics: ((topics: string[]) => void) | null = null;

  /** Events of one stream (`stream:<id>`) or of a team's every stream (`team:<id>`). */
  subscribe(topic: string, fn: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      this.listeners.set(topic, (set = new Set()));
      this.onTopics?.(this.topics());
    }
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size && this.listeners.get(topic) === set) {
        this.listeners.delete(topic);
        this.onTopics?.(this.topics());
      }
    };
  }

  topics(): string[] {
    return [...this.listeners.keys()];
  }

  /** Whether anyone listens to this stream's events (so the scorer can skip building them). */
  wants(teamId: string, streamId: string): boolean {
    return this.listeners.has(`stream:${streamId}`) || this.listeners.has(`team:${teamId}`);
  }

  publish(e: StreamEvent): void {
    for (const topic of [`stream:${e.streamId}`, `team:${e.teamId}`]) {
      const set = this.listeners.get(topic);
      if (set) for (const fn of set) fn(e);
    }
  }
}
