/** Training jobs as the API gives them, and a hook that follows one job live (SSE `job` events, with polling as a fallback). */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { subscribe } from './live';

export interface Job {
  id: string;
  kind: 'train' | 'retrain';
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  detector: string;
  source: Record<string, unknown>;
  epoch: number | null;
  epochs: number | null;
  loss: number | null;
  percent: number;
  error: string | null;
  modelId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type JobChange = Pick<Job, 'id' | 'state' | 'epoch' | 'epochs' | 'loss' | 'percent' | 'modelId' | 'error'>;

export const finished = (j: Pick<Job, 'state'>): boolean => j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled';

export const STATE_WORDS: Record<Job['state'], string> = { queued: 'queued', running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'cancelled' };

/** Every job change of the team, as the server sends it. */
export function onJobEvents(on: (j: JobChange) => void): () => void {
  return subscribe('/v1/events', (e) => {
    const ev = e as unknown as { type: string; job?: JobChange };
    if (ev.type === 'job' && ev.job) on(ev.job);
  });
}

/** One job, kept current, with the loss of each epoch seen (the loss curve). */
export function useJob(id: string | null): { job: Job | null; losses: { epoch: number; loss: number }[]; error: string | null } {
  const [job, setJob] = useState<Job | null>(null);
  const [losses, setLosses] = useState<{ epoch: number; loss: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    setJob(null);
    setLosses([]);
    let done = false;
    const apply = (j: JobChange): void => {
      if (j.id !== id) return;
      setJob((old) => (old ? { ...old, ...j } : old));
      if (j.epoch !== null && j.loss !== null && Number.isFinite(j.loss)) {
        const e = j.epoch;
        const l = j.loss;
        setLosses((ls) => (ls.some((p) => p.epoch === e) ? ls.map((p) => (p.epoch === e ? { epoch: e, loss: l } : p)) : [...ls, { epoch: e, loss: l }].sort((a, b) => a.epoch - b.epoch)));
      }
      if (finished(j)) done = true;
    };
    const poll = async (): Promise<void> => {
      try {
        const j = await api<Job>(`/v1/jobs/${encodeURIComponent(id)}`);
        setJob(j);
        apply(j);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    };
    void poll();
    const stop = onJobEvents(apply);
    // Events can be missed across a reconnect; a slow poll makes sure the end is seen.
    const timer = setInterval(() => {
      if (!done) void poll();
    }, 2000);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, [id]);
  return { job, losses, error };
}
