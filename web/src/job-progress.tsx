/** A job followed live: its state, epoch and percent as a progress bar, and its loss curve. */
import type uPlot from 'uplot';
import { useMemo } from 'preact/hooks';
import { XYChart } from './charts/xy-chart';
import { num } from './format';
import { STATE_WORDS, useJob } from './jobs';

export function JobProgress({ id }: { id: string }) {
  const { job, losses, error } = useJob(id);
  const data = useMemo<uPlot.AlignedData>(() => [losses.map((l) => l.epoch), losses.map((l) => l.loss)], [losses]);
  if (error && !job) return <p class="error" role="alert">Job {id}: {error}</p>;
  if (!job) return <p role="status">Reading job {id}…</p>;
  const pct = Math.round(job.percent);
  return (
    <section class="job-progress" aria-label={`training job ${job.id}`}>
      <h3>
        Job <code>{job.id}</code>: {job.detector}
      </h3>
      <p role="status" class={`job-state ${job.state}`}>
        State: <strong data-state={job.state}>{STATE_WORDS[job.state]}</strong>
        {job.epochs ? ` · epoch ${job.epoch ?? 0} of ${job.epochs}` : ''}
        {job.loss !== null ? ` · loss ${num(job.loss, 4)}` : ''} · {pct}%
      </p>
      <progress max={100} value={pct} aria-label={`job ${job.id} progress`}>
        {pct}%
      </progress>
      {job.state === 'failed' && <p class="error" role="alert">The job failed: {job.error ?? 'no reason given'}</p>}
      {job.state === 'succeeded' && job.modelId && (
        <p>
          It made model version <a href={`/models#${job.modelId}`}><code>{job.modelId}</code></a>.
        </p>
      )}
      {losses.length > 1 ? (
        <div class="chart-box">
          <XYChart data={data} lines={[{ label: 'loss', stroke: '#1f5f99', points: true }]} label={`training loss per epoch of job ${job.id}`} x="epoch" y="loss" height={180} />
        </div>
      ) : (
        <p class="hint">{job.epochs ? 'The loss curve appears after the second epoch.' : 'This detector trains in one pass: it has no epochs or loss curve.'}</p>
      )}
    </section>
  );
}
