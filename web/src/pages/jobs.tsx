/** Training jobs: every job of the team, live from the `job` events, and the chosen job's progress and loss curve. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ago } from '../format';
import { JobProgress } from '../job-progress';
import { onJobEvents, STATE_WORDS, type Job } from '../jobs';
import { explain, send } from '../send';
import './manage.css';

const sourceOf = (j: Job): string =>
  j.source['dataset'] ? `dataset ${String(j.source['dataset'])}` : j.source['stream'] ? `stream ${String(j.source['stream'])}${j.kind === 'retrain' ? ' (retrain)' : ''}` : '—';

export function JobsPage() {
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(new URLSearchParams(location.search).get('job'));

  useEffect(() => {
    const load = (): void => {
      api<{ jobs: Job[] }>('/v1/jobs?limit=50').then(
        (r) => {
          setJobs(r.jobs);
          setError(null);
        },
        (e) => setError(explain(e)),
      );
    };
    load();
    let known = new Set<string>();
    const stop = onJobEvents((c) => {
      setJobs((js) => {
        if (!js) return js;
        if (!js.some((j) => j.id === c.id)) {
          if (!known.has(c.id)) {
            known.add(c.id);
            load(); // a job started elsewhere: read the list again
          }
          return js;
        }
        return js.map((j) => (j.id === c.id ? { ...j, ...c } : j));
      });
    });
    return () => {
      known = new Set();
      stop();
    };
  }, []);

  const cancel = async (id: string): Promise<void> => {
    try {
      const j = await send<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`);
      setJobs((js) => js && js.map((x) => (x.id === id ? j : x)));
    } catch (e) {
      setError(explain(e));
    }
  };

  return (
    <main class="page jobs-page">
      <h1>Training jobs</h1>
      <p class="sub">
        Jobs run one at a time in a worker thread; their state and progress arrive live. <a href="/new">Upload a dataset and start one.</a>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {!jobs && !error && <p role="status">Reading jobs…</p>}
      {jobs && jobs.length === 0 && (
        <p class="empty">
          No training jobs yet. <a href="/new">Upload a dataset and train a model</a>, or retrain a stream.
        </p>
      )}
      {jobs && jobs.length > 0 && (
        <div class="table-wrap">
          <table class="jobs">
            <thead>
              <tr>
                <th scope="col">job</th>
                <th scope="col">detector</th>
                <th scope="col">data</th>
                <th scope="col">state</th>
                <th scope="col" class="n">progress</th>
                <th scope="col">started</th>
                <th scope="col">
                  <span class="visually-hidden">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr class={chosen === j.id ? 'chosen' : ''}>
                  <td>
                    <button type="button" class="link" onClick={() => setChosen(j.id)} aria-label={`show job ${j.id}`}>
                      <code>{j.id}</code>
                    </button>
                  </td>
                  <td>{j.detector}</td>
                  <td>{sourceOf(j)}</td>
                  <td>
                    <span class={`state ${j.state}`}>{STATE_WORDS[j.state]}</span>
                  </td>
                  <td class="n">
                    {Math.round(j.percent)}%{j.epochs ? ` · ${j.epoch ?? 0}/${j.epochs}` : ''}
                  </td>
                  <td>{ago(j.startedAt ?? j.createdAt)}</td>
                  <td>
                    {(j.state === 'queued' || j.state === 'running') && (
                      <button type="button" class="quiet" onClick={() => cancel(j.id)}>
                        Cancel {j.id}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen && <JobProgress key={chosen} id={chosen} />}
    </main>
  );
}
