/** Every team with its streams side by side, read-only (the admin token's view of /v1/overview). */
import { useEffect, useState } from 'preact/hooks';
import { api, type Overview } from '../api';
import { ago, STATE_LABEL } from '../format';

export function Organisation() {
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = (): void => void api<Overview>('/v1/overview').then(setData, (e: Error) => setError(e.message));
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, []);
  if (error) return <main class="page"><p class="error" role="alert">Could not load the organisation: {error}</p></main>;
  if (!data) return <main class="page"><p role="status">Loading the organisation…</p></main>;
  return (
    <main class="page">
      <h1>Organisation</h1>
      <p class="hint">Every team's streams, their state and anomalies. Read-only; sign in with a team's key to open a stream.</p>
      {data.teams.length === 0 && <p class="empty">No teams yet. Create one with POST /v1/teams.</p>}
      <div class="teams">
        {data.teams.map((team) => (
          <section class="team" tabIndex={0} aria-labelledby={`team-${team.id}`} key={team.id}>
            <h2 id={`team-${team.id}`}>{team.name}</h2>
            {team.streams.length === 0 ? (
              <p class="empty">No streams yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Stream</th>
                    <th scope="col">State</th>
                    <th scope="col" class="n">Anomalies 1 h</th>
                    <th scope="col" class="n">24 h</th>
                    <th scope="col" class="n">Open incidents</th>
                  </tr>
                </thead>
                <tbody>
                  {team.streams.map((s) => (
                    <tr key={s.id}>
                      <td>
                        {s.name}
                        <div class="sub">{s.detector} · last point {ago(s.lastT)}</div>
                      </td>
                      <td><span class={`state ${s.state}`}>{STATE_LABEL[s.state]}</span></td>
                      <td class={`n ${s.anomaliesLastHour ? 'alarm' : ''}`}>{s.anomaliesLastHour}</td>
                      <td class="n">{s.anomaliesLastDay}</td>
                      <td class={`n ${s.openIncidents ? 'alarm' : ''}`}>{s.openIncidents}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p class="sub">Open incidents: {team.streams.reduce((n, s) => n + s.openIncidents, 0)}</p>
          </section>
        ))}
      </div>
    </main>
  );
}
