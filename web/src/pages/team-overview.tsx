/** Every stream of the team as a card: a sparkline of the last hour, its state and anomaly counts, live from the SSE feed. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, seriesPath, type Overview, type Series, type StreamSummary } from '../api';
import { Sparkline, type SparkData } from '../charts/sparkline';
import { ago, STATE_LABEL } from '../format';
import { subscribe, type LiveEvent } from '../live';

const HOUR = 3_600_000;
type Sort = 'name' | 'hour' | 'day' | 'recent';

interface Card extends StreamSummary {
  channel: string | null;
  spark: SparkData;
  sparkLoaded: boolean;
}

/** The hour read from the server, then the live points newer than its last. */
function merge(read: SparkData, live: SparkData): SparkData {
  const last = read.t.at(-1) ?? -Infinity;
  const from = live.t.findIndex((t) => t > last);
  if (from < 0) return read;
  return { t: [...read.t, ...live.t.slice(from)], v: [...read.v, ...live.v.slice(from)], a: [...read.a, ...live.a.slice(from)] };
}

function sparkOf(s: Series): { channel: string | null; spark: SparkData } {
  const channel = s.rows[0] ? (Object.keys(s.rows[0].values)[0] ?? null) : null;
  const v = s.rows.map((r) => (channel ? (r.values[channel] ?? null) : null));
  return { channel, spark: { t: s.rows.map((r) => r.t), v, a: s.rows.map((r, i) => (r.anomaly ? v[i]! : null)) } };
}

export function TeamOverview() {
  const [cards, setCards] = useState<Card[] | null>(null);
  const [team, setTeam] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const [now, setNow] = useState(Date.now());
  const [lastEvent, setLastEvent] = useState<number | null>(null);
  const pending = useRef<LiveEvent[]>([]);

  useEffect(() => {
    let live = true;
    (async () => {
      const o = await api<Overview>('/v1/me/overview');
      const t = o.teams[0]!;
      const start = Date.now();
      if (!live) return;
      // The cards first, each sparkline as its hour arrives (the first view does not wait for every series).
      setTeam(t.name);
      setCards(t.streams.map((s) => ({ ...s, channel: null, spark: { t: [], v: [], a: [] }, sparkLoaded: false })));
      await Promise.all(
        t.streams.map(async (s) => {
          const got = sparkOf(await api<Series>(seriesPath(s.id, { from: start - HOUR, to: start, columns: 120 })));
          if (!live) return;
          // Points the feed brought while the hour was read are newer than it: keep them after it.
          setCards((cs) => cs && cs.map((c) => (c.id !== s.id ? c : { ...c, sparkLoaded: true, channel: c.channel ?? got.channel, spark: merge(got.spark, c.spark) })));
        }),
      );
    })().catch((e: Error) => setError(e.message));
    const stop = subscribe('/v1/events', (e) => pending.current.push(e));
    // The counts of the last hour and day also fall as anomalies age out: re-read them now and then.
    const recount = setInterval(() => {
      void api<Overview>('/v1/me/overview').then((o) => {
        const fresh = new Map(o.teams[0]!.streams.map((s) => [s.id, s]));
        setCards((cs) => cs && cs.map((c) => {
          const f = fresh.get(c.id);
          return f ? { ...c, anomaliesLastHour: f.anomaliesLastHour, anomaliesLastDay: f.anomaliesLastDay, openIncidents: f.openIncidents, state: f.state, modelVersion: f.modelVersion } : c;
        }));
      }, () => undefined);
    }, 60_000);
    // Events are applied once a second, so a busy feed re-renders the cards once a second, not per point.
    const tick = setInterval(() => {
      setNow(Date.now());
      const batch = pending.current.splice(0);
      if (!batch.length) return;
      setLastEvent(Date.now());
      setCards((cs) => (cs ? cs.map((c) => applyEvents(c, batch)) : cs));
    }, 1000);
    return () => {
      live = false;
      stop();
      clearInterval(tick);
      clearInterval(recount);
    };
  }, []);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const list = (cards ?? []).filter((c) => c.name.toLowerCase().includes(f));
    const by: Record<Sort, (a: Card, b: Card) => number> = {
      name: (a, b) => a.name.localeCompare(b.name),
      hour: (a, b) => b.anomaliesLastHour - a.anomaliesLastHour || a.name.localeCompare(b.name),
      day: (a, b) => b.anomaliesLastDay - a.anomaliesLastDay || a.name.localeCompare(b.name),
      recent: (a, b) => (b.lastT ?? 0) - (a.lastT ?? 0),
    };
    return list.sort(by[sort]);
  }, [cards, filter, sort]);

  if (error) return <main class="page"><p class="error" role="alert">Could not load the team's streams: {error}</p></main>;
  if (!cards) return <main class="page"><p role="status">Loading streams…</p></main>;
  return (
    <main class="page">
      <h1>Team {team}</h1>
      <p class="sub live">{lastEvent === null ? 'Live feed: waiting for the first scored point' : `Live feed: last scored point ${ago(lastEvent, now)}`}</p>
      <div class="toolbar">
        <label>
          Filter by name <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
            <option value="name">name</option>
            <option value="hour">anomalies in the last hour</option>
            <option value="day">anomalies in the last day</option>
            <option value="recent">newest point</option>
          </select>
        </label>
      </div>
      {cards.length === 0 && <p class="empty">This team has no streams yet. Create one with POST /v1/streams.</p>}
      {cards.length > 0 && shown.length === 0 && <p class="empty">No stream's name contains “{filter}”.</p>}
      <ul class="cards">
        {shown.map((c) => (
          <li class="card" key={c.id} data-points={c.points}>
            <h2>
              <a href={`/streams/${c.id}`}>{c.name}</a>
            </h2>
            <p class="sub">
              <span class={`state ${c.state}`}>{STATE_LABEL[c.state]}</span> · {c.detector} · model v{c.modelVersion}
            </p>
            {c.points === 0 ? (
              <p class="empty">No points yet.</p>
            ) : !c.sparkLoaded ? (
              <p class="spark sub" role="status">Loading the last hour…</p>
            ) : (
              <Sparkline data={c.spark} from={Math.max(now - HOUR, c.spark.t[0] ?? now - HOUR)} to={now} label={`${c.name}: ${c.channel ?? 'value'} over the last hour, ${c.anomaliesLastHour} anomalies`} />
            )}
            <dl class="counts">
              <div>
                <dt>anomalies, last hour</dt>
                <dd class={c.anomaliesLastHour ? 'alarm' : ''}>{c.anomaliesLastHour}</dd>
              </div>
              <div>
                <dt>last day</dt>
                <dd>{c.anomaliesLastDay}</dd>
              </div>
              <div>
                <dt>open incidents</dt>
                <dd class={c.openIncidents ? 'alarm' : ''}>{c.openIncidents}</dd>
              </div>
              <div>
                <dt>last point</dt>
                <dd>{ago(c.lastT, now)}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </main>
  );
}

function applyEvents(c: Card, events: LiveEvent[]): Card {
  const mine = events.filter((e) => e.streamId === c.id);
  if (!mine.length) return c;
  const next: Card = { ...c, spark: { t: [...c.spark.t], v: [...c.spark.v], a: [...c.spark.a] } };
  for (const e of mine) {
    // The feed also carries incidents and training jobs: only a point event moves the series.
    if (e.type === 'model') {
      next.modelVersion = e.modelVersion;
      continue;
    }
    if (e.type === 'incident') {
      if (e.event === 'incident-opened') next.openIncidents++;
      else if (e.event === 'incident-resolved') next.openIncidents = Math.max(0, next.openIncidents - 1);
      continue;
    }
    if (e.type !== 'point') continue;
    next.points++;
    next.scored++;
    next.lastT = Math.max(next.lastT ?? e.t, e.t);
    if (e.threshold !== null) next.state = 'scoring';
    else if (next.state === 'empty') next.state = 'warming-up';
    if (e.anomaly) (next.anomaliesLastHour++, next.anomaliesLastDay++);
    const ch = next.channel ?? (e.values ? Object.keys(e.values)[0]! : null);
    next.channel = ch;
    const v = ch && e.values ? (e.values[ch] ?? null) : null;
    next.spark.t.push(e.t);
    next.spark.v.push(v);
    next.spark.a.push(e.anomaly ? v : null);
  }
  // uPlot needs times in order; points of several keys can arrive interleaved.
  if (next.spark.t.some((t, i) => i > 0 && t < next.spark.t[i - 1]!)) {
    const order = next.spark.t.map((_, i) => i).sort((i, j) => next.spark.t[i]! - next.spark.t[j]!);
    next.spark = { t: order.map((i) => next.spark.t[i]!), v: order.map((i) => next.spark.v[i]!), a: order.map((i) => next.spark.a[i]!) };
  }
  // Keep the last hour only.
  const cut = next.spark.t.findIndex((t) => t >= Date.now() - HOUR);
  if (cut > 0) for (const k of ['t', 'v', 'a'] as const) next.spark[k].splice(0, cut);
  return next;
}
