/** The team's incident feed, newest first, live from the event feed: state, severity, duration, stream; acknowledge and label. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Incident } from '../api';
import { IncidentFacts } from '../components/incident';
import { subscribe } from '../live';

type Show = 'open' | 'all';

export function IncidentsPage() {
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [show, setShow] = useState<Show>('all');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api<{ incidents: Incident[] }>('/v1/incidents?limit=200'), api<{ streams: { id: string; name: string }[] }>('/v1/streams')]).then(
      ([i, s]) => {
        setIncidents(i.incidents);
        setNames(new Map(s.streams.map((x) => [x.id, x.name])));
      },
      (e: Error) => setError(e.message),
    );
    return subscribe('/v1/events', (e) => {
      if (e.type !== 'incident') return;
      setIncidents((list) => list && upsert(list, e.incident));
    });
  }, []);

  const shown = useMemo(() => (incidents ?? []).filter((i) => show === 'all' || i.status === 'open'), [incidents, show]);
  if (error) return <main class="page"><p class="error" role="alert">Could not load the incidents: {error}</p></main>;
  if (!incidents) return <main class="page"><p role="status">Loading incidents…</p></main>;
  const open = incidents.filter((i) => i.status === 'open').length;
  return (
    <main class="page">
      <h1>Incidents</h1>
      <p class="sub">{open} open of the {incidents.length} newest; new ones appear here as they open.</p>
      <div class="toolbar">
        <label>
          Show{' '}
          <select value={show} onChange={(e) => setShow(e.currentTarget.value as Show)}>
            <option value="all">all incidents</option>
            <option value="open">open incidents only</option>
          </select>
        </label>
      </div>
      {incidents.length === 0 && <p class="empty">No incidents yet. An incident opens when a stream's points cross its threshold.</p>}
      {incidents.length > 0 && shown.length === 0 && <p class="empty">No open incidents: every incident is resolved.</p>}
      <ul class="incidents">
        {shown.map((i) => (
          <li key={i.id} class={`incident-item ${i.status}`} data-id={i.id}>
            <h2>
              <a href={`/streams/${encodeURIComponent(i.streamId)}`}>{names.get(i.streamId) ?? i.streamId}</a>
              {i.key ? ` · ${i.key}` : ''}
            </h2>
            <IncidentFacts i={i} onChange={(n) => setIncidents((list) => list && upsert(list, n))} />
          </li>
        ))}
      </ul>
    </main>
  );
}

function upsert(list: Incident[], i: Incident): Incident[] {
  const at = list.findIndex((x) => x.id === i.id);
  if (at < 0) return [i, ...list];
  const next = [...list];
  next[at] = i;
  return next;
}
