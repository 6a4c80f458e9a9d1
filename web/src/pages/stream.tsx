/** One stream: its series and score track over a chosen range, one series of a keyed stream, and a point's details on click. */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, seriesPath, type PointView, type Series, type SeriesKey, type SeriesRow, type StreamView } from '../api';
import { TimeChart } from '../charts/time-chart';
import { num } from '../format';

const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').replace('Z', ' UTC');

export function StreamPage() {
  const { params } = useRoute();
  const id = params['id']!;
  const [stream, setStream] = useState<StreamView | null>(null);
  const [keys, setKeys] = useState<SeriesKey[] | null>(null);
  const [key, setKey] = useState<string | undefined>(undefined);
  const [channel, setChannel] = useState<string | null>(null);
  const [full, setFull] = useState<[number, number] | null>(null);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [picked, setPicked] = useState<PointView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chartBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void Promise.all([api<StreamView>(`/v1/streams/${encodeURIComponent(id)}`), api<{ keys: SeriesKey[] }>(`/v1/streams/${encodeURIComponent(id)}/keys`)]).then(([s, k]) => {
      setStream(s);
      setKeys(k.keys);
      // A keyed stream opens on the series with the most anomalies.
      const worst = [...k.keys].sort((a, b) => b.anomalies - a.anomalies || b.points - a.points)[0];
      setKey(worst?.key ?? '');
    }, (e: Error) => setError(e.message));
  }, [id]);

  // The whole series first (its extent is the reset range), then each range the user zooms or pans to.
  useEffect(() => {
    if (key === undefined) return;
    const columns = Math.max(200, Math.min(4000, chartBox.current?.clientWidth ?? 1000));
    const ctl = { stale: false };
    const timer = setTimeout(() => {
      void api<Series>(seriesPath(id, { key, columns, ...(range ? { from: range[0], to: range[1] } : {}) })).then((s) => {
        if (ctl.stale) return;
        setSeries(s);
        if (!range && s.from !== null && s.to !== null) {
          setFull([s.from, s.to]);
          setRange([s.from, s.to]);
        }
        const names = s.rows[0] ? Object.keys(s.rows[0].values) : [];
        setChannel((c) => (c && names.includes(c) ? c : (names[0] ?? null)));
      }, (e: Error) => setError(e.message));
    }, range ? 150 : 0);
    return () => {
      ctl.stale = true;
      clearTimeout(timer);
    };
  }, [id, key, range]);

  const pick = async (t: number): Promise<void> => {
    const q = new URLSearchParams({ from: String(t), limit: '1' });
    if (key !== undefined) q.set('key', key);
    const r = await api<{ points: PointView[] }>(`/v1/streams/${encodeURIComponent(id)}/points?${q}`);
    setPicked(r.points[0] ?? null);
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

  if (error) return <main class="page"><p class="error" role="alert">Could not load this stream: {error}</p></main>;
  if (!stream || !keys) return <main class="page"><p role="status">Loading the stream…</p></main>;
  const anomalies: SeriesRow[] = series ? series.rows.filter((r) => r.anomaly) : [];
  const keyed = keys.length > 1 || (keys.length === 1 && keys[0]!.key !== '');
  const channels = series?.rows[0] ? Object.keys(series.rows[0].values) : [];

  return (
    <main class="page">
      <p><a href="/">← All streams</a></p>
      <h1>{stream.name}</h1>
      <p class="sub">{stream.detector} · model v{stream.modelVersion}{series ? ` · ${series.points.toLocaleString('en')} points in view` : ''}</p>
      <div class="toolbar">
        {keyed && (
          <label>
            Series{' '}
            <select value={key} onChange={(e) => (setKey(e.currentTarget.value), setRange(null), setPicked(null))}>
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
          <button type="button" onClick={() => move(0.5, 0)}>Zoom in</button>
          <button type="button" onClick={() => move(2, 0)}>Zoom out</button>
          <button type="button" onClick={() => move(1, -0.5)} aria-label="Pan earlier">← Earlier</button>
          <button type="button" onClick={() => move(1, 0.5)} aria-label="Pan later">Later →</button>
          <button type="button" onClick={() => full && setRange(full)}>Whole series</button>
        </span>
      </div>
      <div ref={chartBox} class="chart-box">
        {series && series.points === 0 && !range && <p class="empty">No points yet. Send some with POST /v1/streams/{stream.id}/points and they appear here.</p>}
        {series && series.points === 0 && range && <p class="empty">No points in this range.</p>}
        {series && series.points > 0 && channel && range && <TimeChart rows={series.rows} channel={channel} range={range} onRange={setRange} onPick={(t) => void pick(t)} />}
        {!series && <p role="status">Loading points…</p>}
      </div>
      <p class="hint">Drag across the chart to zoom in; click a point to see how it was scored. Red dots are anomalies; the dashed red line is the threshold.</p>
      <div class="below">
        <section aria-labelledby="detail-h" class="detail">
          <h2 id="detail-h">Point</h2>
          {picked ? <PointDetail p={picked} /> : <p class="empty">Click a point on the chart, or choose an anomaly from the list.</p>}
        </section>
        <section aria-labelledby="anom-h">
          <h2 id="anom-h">Anomalies in view ({anomalies.length})</h2>
          {anomalies.length === 0 ? (
            <p class="empty">No anomalies in this range.</p>
          ) : (
            <ol class="anomalies">
              {anomalies.slice(-50).reverse().map((r) => (
                <li key={r.t}>
                  <button type="button" class="quiet" onClick={() => void pick(r.t)}>
                    {iso(r.t)} · score {num(r.score)}
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

function PointDetail({ p }: { p: PointView }) {
  const values = p.values ?? (p.value !== undefined ? { value: p.value } : {});
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
      </dl>
      {p.channels && (
        <>
          <h3>Per-channel scores</h3>
          <dl class="facts">
            {Object.entries(p.channels).map(([k, v]) => (<Fragment key={k}><dt>{k}</dt><dd>{num(v, 4)}</dd></Fragment>))}
          </dl>
        </>
      )}
    </div>
  );
}
