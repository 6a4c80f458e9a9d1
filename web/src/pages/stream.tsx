/**
 * One stream: its series and score track over a chosen range (the address carries from and to), one
 * series or the worst few of a keyed stream, the stream's incidents, and a point's or an incident's
 * details on click with the buttons that label it (the feedback API); labels are drawn on the chart.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, post, seriesPath, type Feedback, type Incident, type Label, type PointView, type Series, type SeriesKey, type SeriesRow, type StreamView } from '../api';
import { TimeChart, type Band } from '../charts/time-chart';
import { FeedbackButtons } from '../components/feedback-buttons';
import { IncidentFacts, stateOf } from '../components/incident';
import { iso, num } from '../format';

/** The series choice that draws the few series with the most anomalies together. */
const WORST = '\u0000worst';
const WORST_FEW = 3;

type Picked = { kind: 'point'; p: PointView } | { kind: 'incident'; i: Incident } | null;

const numberOr = (s: string | undefined): number | undefined => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

export function StreamPage() {
  const { params } = useRoute();
  const { query } = useLocation();
  const id = params['id']!;
  const path = `/v1/streams/${encodeURIComponent(id)}`;
  const asked = useRef({ from: numberOr(query['from']), to: numberOr(query['to']), key: query['key'], incident: query['incident'] });
  const [stream, setStream] = useState<StreamView | null>(null);
  const [keys, setKeys] = useState<SeriesKey[] | null>(null);
  const [key, setKey] = useState<string | undefined>(undefined);
  const [channel, setChannel] = useState<string | null>(null);
  const [full, setFull] = useState<[number, number] | null>(null);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [feedback, setFeedback] = useState<Feedback[]>([]);
  const [picked, setPicked] = useState<Picked>(null);
  const [error, setError] = useState<string | null>(null);
  const chartBox = useRef<HTMLDivElement>(null);
  /** The series, range (and merged channel) the rows on screen were read for. */
  const shownRange = useRef<string | null>(null);

  const loadFeedback = (): Promise<void> => api<{ feedback: Feedback[] }>(`${path}/feedback?limit=1000`).then((f) => setFeedback(f.feedback));

  useEffect(() => {
    Promise.all([api<StreamView>(path), api<{ keys: SeriesKey[] }>(`${path}/keys`), api<{ incidents: Incident[] }>(`/v1/incidents?stream=${encodeURIComponent(id)}&limit=200`)]).then(
      ([s, k, inc]) => {
        setStream(s);
        setKeys(k.keys);
        setIncidents(inc.incidents);
        const wanted = asked.current.incident ? inc.incidents.find((i) => i.id === asked.current.incident) : undefined;
        if (wanted) setPicked({ kind: 'incident', i: wanted });
        // A keyed stream opens on the series asked for, or on the one with the most anomalies.
        const worst = [...k.keys].sort((a, b) => b.anomalies - a.anomalies || b.points - a.points)[0];
        setKey(asked.current.key !== undefined && k.keys.some((x) => x.key === asked.current.key) ? asked.current.key : (worst?.key ?? ''));
      },
      (e: Error) => setError(e.message),
    );
    void loadFeedback().catch(() => undefined);
  }, [id]);

  const worstKeys = useMemo(() => (keys ? [...keys].sort((a, b) => b.anomalies - a.anomalies || b.points - a.points).slice(0, WORST_FEW).map((k) => k.key) : []), [keys]);

  /** One series, or the worst few merged on one time axis (each series a line of its own). */
  const load = async (r: [number, number] | null, columns: number): Promise<Series> => {
    const at = r ? { from: r[0], to: r[1] } : {};
    if (key !== WORST) return api<Series>(seriesPath(id, { key, columns, ...at }));
    const parts = await Promise.all(worstKeys.map((k) => api<Series>(seriesPath(id, { key: k, columns, ...at }))));
    const ch = (s: Series): string | null => (s.rows[0] ? (Object.keys(s.rows[0].values)[0] ?? null) : null);
    const rows: SeriesRow[] = parts.flatMap((s, i) => {
      const c = channel ?? ch(s);
      return s.rows.map((row) => ({ ...row, key: worstKeys[i]!, values: c && row.values[c] !== undefined ? { [worstKeys[i]!]: row.values[c]! } : {} }));
    });
    rows.sort((a, b) => a.t - b.t);
    const ends = parts.flatMap((s) => (s.from === null || s.to === null ? [] : [s.from, s.to]));
    return {
      from: ends.length ? Math.min(...ends) : null,
      to: ends.length ? Math.max(...ends) : null,
      points: parts.reduce((n, s) => n + s.points, 0),
      truncated: parts.some((s) => s.truncated),
      modelChanges: parts[0]?.modelChanges ?? [],
      rows,
    };
  };

  // The whole series first (its extent is the reset range), then each range the user zooms or pans to.
  useEffect(() => {
    if (key === undefined) return;
    const wanted = range ? `${key}|${range[0]}|${range[1]}|${key === WORST ? channel : ''}` : null;
    // The whole series just read is also the first range: no second read of the same points.
    if (wanted !== null && wanted === shownRange.current) return;
    const columns = Math.max(200, Math.min(4000, chartBox.current?.clientWidth ?? 1000));
    const ctl = { stale: false };
    const timer = setTimeout(() => {
      load(range, columns).then((s) => {
        if (ctl.stale) return;
        if (!range) {
          if (s.from !== null && s.to !== null) {
            setFull([s.from, s.to]);
            const { from, to } = asked.current;
            asked.current.from = asked.current.to = undefined;
            // A link's range, kept within the stream's points (an incident at the newest point would show empty future).
            if (from !== undefined && to !== undefined && to > from) {
              const lo = Math.max(s.from, Math.min(from, s.to - 1000));
              return setRange([lo, Math.max(lo + 1000, Math.min(to, s.to))]);
            }
            setRange([s.from, s.to]);
          }
        }
        shownRange.current = `${key}|${range ? range[0] : s.from}|${range ? range[1] : s.to}|${key === WORST ? channel : ''}`;
        setSeries(s);
        const names = key === WORST ? [] : s.rows[0] ? Object.keys(s.rows[0].values) : [];
        setChannel((c) => (key === WORST ? c : c && names.includes(c) ? c : (names[0] ?? null)));
      }, (e: Error) => setError(e.message));
    }, range ? 150 : 0);
    return () => {
      ctl.stale = true;
      clearTimeout(timer);
    };
  }, [id, key, range, key === WORST ? channel : null]);

  // The address carries the range and the series, so a link or a reload shows the same view.
  useEffect(() => {
    if (!range) return;
    const q = new URLSearchParams({ from: String(Math.floor(range[0])), to: String(Math.ceil(range[1])) });
    if (key && key !== WORST) q.set('key', key);
    history.replaceState(history.state, '', `${location.pathname}?${q}`);
  }, [range, key]);

  const pick = async (t: number): Promise<void> => {
    const row = series?.rows.find((r) => r.t === t);
    const k = row?.key ?? (key === WORST ? undefined : key);
    const q = new URLSearchParams({ from: String(t), limit: '1' });
    if (k !== undefined) q.set('key', k);
    const r = await api<{ points: PointView[] }>(`${path}/points?${q}`).catch((e: Error) => (setError(e.message), null));
    const p = r?.points[0];
    setPicked(p ? { kind: 'point', p } : null);
  };

  const label = async (p: PointView, l: Label): Promise<void> => {
    await post(`${path}/feedback`, { t: p.t, key: p.key, label: l });
    await loadFeedback();
  };

  const move = (zoom: number, shift: number): void => {
    if (!range || !full) return;
    const [a, b] = range;
    const mid = (a + b) / 2 + shift * (b - a);
    const half = Math.max(1000, ((b - a) / 2) * zoom);
    const lo = Math.max(full[0], mid - half);
    const hi = Math.min(full[1], mid + half);
    setRange([lo, Math.max(hi, lo + 1000)]);
  };

  const inView = useMemo(() => (range ? incidents.filter((i) => (i.resolvedAt ?? i.lastAt) >= range[0] && i.openedAt <= range[1]) : []), [incidents, range]);
  const bands = useMemo<Band[]>(
    () => [
      ...feedback.filter((f) => key === WORST || f.key === null || f.key === key).map((f) => ({ from: f.from, to: f.to, kind: f.label })),
      ...inView.filter((i) => key === WORST || i.key === key).map((i) => ({ from: i.openedAt, to: i.resolvedAt ?? i.lastAt, kind: 'incident' as const })),
    ],
    [feedback, inView, key],
  );

  if (error) return <main class="page"><p class="error" role="alert">Could not load this stream: {error}</p></main>;
  if (!stream || !keys) return <main class="page"><p role="status">Loading the stream…</p></main>;
  const anomalies: SeriesRow[] = series ? series.rows.filter((r) => r.anomaly) : [];
  const keyed = keys.length > 1 || (keys.length === 1 && keys[0]!.key !== '');
  const rowChannels = key === WORST ? undefined : series?.rows[0]?.values;
  const channels = rowChannels ? Object.keys(rowChannels) : (stream.channels ?? []);
  const lines = key === WORST ? worstKeys : channel ? [channel] : [];
  const channelScores = [...new Set((series?.rows ?? []).slice(0, 50).flatMap((r) => Object.keys(r.channels ?? {})))];
  const labelOf = (t: number, k: string): Label | null => feedback.find((f) => f.from <= t && t <= f.to && (f.key === null || f.key === k))?.label ?? null;

  return (
    <main class="page">
      <p><a href="/">← All streams</a></p>
      <h1>{stream.name}</h1>
      <p class="sub">{stream.detector} · model v{stream.modelVersion}{series ? ` · ${series.points.toLocaleString('en')} points in view` : ''}{series?.truncated ? ' (the newest 500,000 of the range)' : ''}</p>
      <div class="toolbar">
        {keyed && (
          <label>
            Series{' '}
            <select value={key} onChange={(e) => (setKey(e.currentTarget.value), setRange(null), setSeries(null), setPicked(null))}>
              {keys.length > 1 && <option value={WORST}>the {Math.min(WORST_FEW, keys.length)} with the most anomalies, together</option>}
              {keys.map((k) => (
                <option value={k.key} key={k.key}>
                  {k.key} ({k.anomalies} anomalies)
                </option>
              ))}
            </select>
          </label>
        )}
        {channels.length > 1 && (
          <label>
            Channel{' '}
            <select value={channel ?? ''} onChange={(e) => setChannel(e.currentTarget.value)}>
              {channels.map((c) => (
                <option value={c} key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <span class="buttons" role="group" aria-label="Time range">
          <button type="button" disabled={!full} onClick={() => move(0.5, 0)}>Zoom in</button>
          <button type="button" disabled={!full} onClick={() => move(2, 0)}>Zoom out</button>
          <button type="button" disabled={!full} onClick={() => move(1, -0.5)} aria-label="Pan earlier">← Earlier</button>
          <button type="button" disabled={!full} onClick={() => move(1, 0.5)} aria-label="Pan later">Later →</button>
          <button type="button" disabled={!full} onClick={() => full && setRange(full)}>Whole series</button>
        </span>
      </div>
      <div ref={chartBox} class="chart-box">
        {series && series.points === 0 && (!range || (full && range[0] === full[0] && range[1] === full[1])) && <p class="empty">No points yet. Send some with POST /v1/streams/{stream.id}/points and they appear here.</p>}
        {series && series.points === 0 && range && full && (range[0] !== full[0] || range[1] !== full[1]) && <p class="empty">No points in this range. Choose “Whole series” to see them all.</p>}
        {series && series.points > 0 && lines.length > 0 && range && (
          <TimeChart rows={series.rows} lines={lines} channelScores={key === WORST ? [] : channelScores} range={range} modelChanges={series.modelChanges ?? []} bands={bands} onRange={setRange} onPick={(t) => void pick(t)} />
        )}
        {!series && <p role="status">Loading points…</p>}
      </div>
      <p class="sub labels" role="status">{full ? labelSummary(bands, range) : ''}</p>
      <p class="hint" hidden={!full}>
        Drag across the chart or use the wheel to zoom; click a point to see how it was scored. Red dots are anomalies, the dashed red line is the threshold, dashed purple lines are model changes; green bands are points marked normal, red bands confirmed anomalies, the orange strip incidents.
      </p>
      <div class="below">
        <section aria-labelledby="detail-h" class="detail">
          <h2 id="detail-h">{picked?.kind === 'incident' ? 'Incident' : 'Point'}</h2>
          {picked?.kind === 'point' && <PointDetail key={`${picked.p.key}@${picked.p.t}`} p={picked.p} label={picked.p.label ?? labelOf(picked.p.t, picked.p.key)} onLabel={(l) => label(picked.p, l)} />}
          {picked?.kind === 'incident' && (
            <IncidentFacts key={picked.i.id} i={picked.i} link={false} onChange={(n) => (setIncidents((l) => l.map((x) => (x.id === n.id ? n : x))), setPicked({ kind: 'incident', i: n }))} />
          )}
          {!picked && <p class="empty">Click a point on the chart, or choose an anomaly or an incident from the lists.</p>}
        </section>
        <section aria-labelledby="anom-h">
          <h2 id="anom-h">Anomalies in view ({anomalies.length})</h2>
          {anomalies.length === 0 ? (
            <p class="empty">{series && series.points > 0 ? 'No anomalies in this range.' : 'No scored points in this range yet.'}</p>
          ) : (
            <ol class="anomalies">
              {anomalies.slice(-50).reverse().map((r) => (
                <li key={`${r.key ?? ''}@${r.t}`}>
                  <button type="button" class="quiet" onClick={() => void pick(r.t)}>
                    {iso(r.t)}{r.key ? ` · ${r.key}` : ''} · score {num(r.score)}
                  </button>
                </li>
              ))}
            </ol>
          )}
          <h2 id="inc-h">Incidents in view ({inView.length})</h2>
          {inView.length === 0 ? (
            <p class="empty">No incidents in this range.</p>
          ) : (
            <ol class="anomalies" aria-labelledby="inc-h">
              {inView.slice(0, 50).map((i) => (
                <li key={i.id}>
                  <button type="button" class="quiet" onClick={() => setPicked({ kind: 'incident', i })}>
                    {iso(i.openedAt)}{i.key ? ` · ${i.key}` : ''} · {stateOf(i)} · {i.count} {i.count === 1 ? 'point' : 'points'}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </main>
  );
}

function labelSummary(bands: Band[], range: [number, number] | null): string {
  if (!range) return '';
  const seen = bands.filter((b) => b.kind !== 'incident' && b.to >= range[0] && b.from <= range[1]);
  if (!seen.length) return 'No labels in view yet: pick a point and confirm it or mark it normal.';
  const normal = seen.filter((b) => b.kind === 'normal').length;
  return `Labels in view: ${normal} marked normal, ${seen.length - normal} confirmed anomalies (drawn as bands on the chart).`;
}

function PointDetail({ p, label, onLabel }: { p: PointView; label: Label | null; onLabel: (l: Label) => Promise<void> }) {
  const values = p.values ?? (p.value !== undefined ? { value: p.value } : {});
  // What drove the score: the channels by their own score, highest first; those above the threshold
  // (or, when none is, those within half of the highest) are named as the drivers.
  const drivers = p.channels ? Object.entries(p.channels).sort((a, b) => b[1] - a[1]) : [];
  const top = drivers[0]?.[1] ?? 0;
  const drove = drivers.filter(([, v]) => (p.threshold !== null && v >= p.threshold) || v >= top / 2).slice(0, 3);
  return (
    <div>
      <p class={p.anomaly ? 'alarm' : ''}>{p.anomaly ? 'Anomaly' : p.scored ? 'Normal' : 'Not scored yet'}{p.error ? ` (${p.error})` : ''}</p>
      <dl class="facts">
        <dt>time</dt>
        <dd>{iso(p.t)}</dd>
        {p.key && (<><dt>series</dt><dd>{p.key}</dd></>)}
        {Object.entries(values).map(([k, v]) => (<Fragment key={k}><dt>{k}</dt><dd>{num(v, 4)}</dd></Fragment>))}
        <dt>score</dt>
        <dd>{num(p.score, 4)}</dd>
        <dt>threshold</dt>
        <dd>{p.threshold === null ? 'none yet (warming up)' : num(p.threshold, 4)}</dd>
        <dt>model version</dt>
        <dd>{p.modelVersion ?? '—'}</dd>
        <dt>drove it</dt>
        <dd>{drove.length ? drove.map(([k]) => k).join(', ') : Object.keys(values).join(', ') || '—'}</dd>
      </dl>
      {drivers.length > 0 && (
        <>
          <h3>Per-channel scores</h3>
          <dl class="facts">
            {drivers.map(([k, v]) => (<Fragment key={k}><dt>{k}</dt><dd>{num(v, 4)}</dd></Fragment>))}
          </dl>
        </>
      )}
      {p.scored && <FeedbackButtons current={label} send={onLabel} />}
    </div>
  );
}
