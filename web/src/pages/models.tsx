/**
 * Models: each stream's served model with its retrained candidates (the shadow comparison: both
 * score tracks on one chart, alerts per day, precision and recall on labelled points, the
 * disagreements; promote, roll back), then every model version with its options and metrics
 * (ROC and PR curves with labels, a score histogram otherwise).
 */
import type uPlot from 'uplot';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { XYChart } from '../charts/xy-chart';
import { ago, num } from '../format';
import { explain, send } from '../send';
import './manage.css';

interface StreamRow {
  id: string;
  name: string;
  detector: string;
  model?: string;
  modelVersion: number;
  channels: string[] | null;
}

interface ModelRow {
  id: string;
  jobId: string | null;
  kind: 'tabular' | 'series';
  detector: string;
  options: Record<string, unknown>;
  cutoff: number | null;
  columns: string[];
  metrics: Record<string, unknown>;
  source: Record<string, unknown>;
  label: string | null;
  createdAt: number;
}

interface Side {
  flagged: number;
  alerts: number;
  alertsPerDay: number | null;
  precision: number | null;
  recall: number | null;
  tp: number;
  fp: number;
  fn: number;
}

interface Comparison {
  points: number;
  labelled: number;
  days: number;
  served: Side;
  candidate: Side;
  disagreements: { total: number; listed: { t: number; key: string | null; served: { score: number; anomaly: boolean }; candidate: { score: number; anomaly: boolean }; label: string | null }[] };
  tracks?: { t: number[]; served: (number | null)[]; candidate: (number | null)[] };
}

interface Candidate {
  id: string;
  jobId: string;
  candidateModelId: string;
  servedModelVersion: number;
  comparison: Comparison;
  decision: { promote: boolean; reasons?: string[] } | null;
  status: 'pending' | 'promoted' | 'rejected';
  createdAt: number;
}

interface Curves {
  labelled: boolean;
  roc: { fpr: number[]; tpr: number[] } | null;
  pr: { recall: number[]; precision: number[] } | null;
  histogram: { edges: number[]; counts: number[] } | null;
}

/** A span of days in the unit that reads best. */
function span(days: number): string {
  const s = days * 86_400;
  if (s < 120) return `${Math.round(s)} seconds`;
  if (s < 7200) return `${Math.round(s / 60)} minutes`;
  if (days < 2) return `${(s / 3600).toFixed(1)} hours`;
  return `${days.toFixed(1)} days`;
}

const pct = (v: number | null): string => (v === null ? 'no labels' : `${(v * 100).toFixed(1)}%`);

function ShadowChart({ c }: { c: Comparison }) {
  const data = useMemo<uPlot.AlignedData | null>(() => (c.tracks && c.tracks.t.length ? [c.tracks.t, c.tracks.served, c.tracks.candidate] : null), [c]);
  if (!data) return <p class="empty">This comparison has no score tracks stored (it was made before they were kept).</p>;
  return (
    <div class="chart-box">
      <XYChart
        data={data}
        time
        lines={[
          { label: 'served model', stroke: '#4a4a4a' },
          { label: 'candidate', stroke: '#b35900', dash: [5, 3], right: true },
        ]}
        label="the served model's and the candidate's scores over the held-out points"
        x="time"
        y="served model's score"
      />
      <p class="hint">The two models score on scales of their own: the served model's on the left axis, the candidate's on the right.</p>
    </div>
  );
}

function CandidateView({ stream, c, onChange }: { stream: StreamRow; c: Candidate; onChange: (msg: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cmp = c.comparison;
  const promote = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await send('POST', `/v1/streams/${encodeURIComponent(stream.id)}/candidates/${encodeURIComponent(c.id)}/promote`);
      onChange(`Candidate ${c.id} (model ${c.candidateModelId}) now scores ${stream.name}.`);
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  const rows: [string, (s: Side) => string][] = [
    ['alerts per day', (s) => (s.alertsPerDay === null ? '—' : s.alertsPerDay.toFixed(s.alertsPerDay < 10 ? 1 : 0))],
    ['alerts', (s) => String(s.alerts)],
    ['flagged points', (s) => String(s.flagged)],
    ['precision on labels', (s) => pct(s.precision)],
    ['recall on labels', (s) => pct(s.recall)],
  ];
  return (
    <article class="candidate card" aria-label={`candidate ${c.id}`}>
      <h3>
        Candidate <code>{c.id}</code> · model <code>{c.candidateModelId}</code> · <span class={`state ${c.status}`}>{c.status}</span>
      </h3>
      <p class="sub">
        Compared on {cmp.points} held-out points ({cmp.labelled} labelled) over {span(cmp.days)}, {ago(c.createdAt)}
        {c.decision ? ` · the stream's rule says ${c.decision.promote ? 'promote' : 'do not promote'}` : ''}.
      </p>
      <ShadowChart c={cmp} />
      {cmp.days < 1 && <p class="hint">Alerts per day are extrapolated from a window shorter than a day.</p>}
      <div class="table-wrap">
        <table class="compare">
          <caption class="sub">Served model against the candidate</caption>
          <thead>
            <tr>
              <th scope="col">measure</th>
              <th scope="col" class="n">served</th>
              <th scope="col" class="n">candidate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, f]) => (
              <tr>
                <th scope="row">{label}</th>
                <td class="n">{f(cmp.served)}</td>
                <td class="n">{f(cmp.candidate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Disagreements: {cmp.disagreements.total}</h4>
      {cmp.disagreements.total === 0 ? (
        <p class="empty">The two models flagged exactly the same points.</p>
      ) : (
        <ul class="disagreements">
          {cmp.disagreements.listed.slice(0, 8).map((d) => (
            <li>
              {new Date(d.t).toISOString().slice(0, 19).replace('T', ' ')}
              {d.key ? ` [${d.key}]` : ''}: served {d.served.anomaly ? 'flagged' : 'passed'} ({num(d.served.score)}), candidate {d.candidate.anomaly ? 'flagged' : 'passed'} ({num(d.candidate.score)})
              {d.label ? `, labelled ${d.label}` : ''}
            </li>
          ))}
        </ul>
      )}
      {c.status === 'pending' && (
        <button type="button" disabled={busy} onClick={promote}>
          Promote candidate {c.id}
        </button>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </article>
  );
}

function StreamModels({ stream, onChange }: { stream: StreamRow; onChange: (msg: string) => void }) {
  const [cands, setCands] = useState<Candidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ candidates: Candidate[] }>(`/v1/streams/${encodeURIComponent(stream.id)}/candidates?limit=5`).then(
      (r) => setCands(r.candidates),
      (e) => setError(explain(e)),
    );
  }, [stream.id, stream.modelVersion]);
  const rollback = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await send('POST', `/v1/streams/${encodeURIComponent(stream.id)}/rollback`);
      onChange(`${stream.name} is scored again by what scored it before the last promotion.`);
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="stream-models" aria-label={`models of ${stream.name}`}>
      <h2>
        <a href={`/streams/${encodeURIComponent(stream.id)}`}>{stream.name}</a>
      </h2>
      <p class="sub">
        Scored by {stream.model ? <>model <code>{stream.model}</code> ({stream.detector})</> : <>{stream.detector}, learning online</>} · model version {stream.modelVersion}
      </p>
      <button type="button" class="quiet" disabled={busy} onClick={rollback}>
        Roll back {stream.name}
      </button>
      {error && <p class="error" role="alert">{error}</p>}
      {cands === null && !error && <p role="status">Reading candidates…</p>}
      {cands && cands.length === 0 && <p class="empty">No retrained candidates yet: retrain the stream (POST /v1/streams/{'{id}'}/retrain) to compare one in shadow.</p>}
      {cands?.map((c) => <CandidateView stream={stream} c={c} onChange={onChange} />)}
    </section>
  );
}

function CurvesView({ id }: { id: string }) {
  const [curves, setCurves] = useState<Curves | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Curves>(`/v1/models/${encodeURIComponent(id)}/curves`).then(setCurves, (e) => setError(explain(e)));
  }, [id]);
  const roc = useMemo<uPlot.AlignedData | null>(() => (curves?.roc ? [curves.roc.fpr, curves.roc.tpr, curves.roc.fpr] : null), [curves]);
  const pr = useMemo<uPlot.AlignedData | null>(() => (curves?.pr ? [curves.pr.recall, curves.pr.precision] : null), [curves]);
  const hist = useMemo<uPlot.AlignedData | null>(() => {
    const h = curves?.histogram;
    return h ? [h.counts.map((_, i) => (h.edges[i]! + h.edges[i + 1]!) / 2), h.counts] : null;
  }, [curves]);
  if (error) return <p class="error" role="alert">Curves: {error}</p>;
  if (!curves) return <p role="status">Reading curves…</p>;
  return (
    <div class="curves">
      {roc && pr ? (
        <>
          <div class="chart-box">
            <h4>ROC curve</h4>
            <XYChart data={roc} lines={[{ label: 'ROC', stroke: '#1f5f99' }, { label: 'chance', stroke: '#8a939d', dash: [4, 4] }]} label={`ROC curve of model ${id}: true positive rate against false positive rate`} x="false positive rate" y="true positive rate" xRange={[0, 1]} yRange={[0, 1]} />
          </div>
          <div class="chart-box">
            <h4>Precision-recall curve</h4>
            <XYChart data={pr} lines={[{ label: 'precision', stroke: '#145c2c' }]} label={`precision-recall curve of model ${id}`} x="recall" y="precision" xRange={[0, 1]} yRange={[0, 1]} />
          </div>
        </>
      ) : (
        <p class="hint">No ROC or PR curve: the training data had no label column with both classes.</p>
      )}
      {hist ? (
        <div class="chart-box">
          <h4>Training score histogram</h4>
          <XYChart data={hist} lines={[{ label: 'rows', stroke: '#1f5f99', bars: true }]} label={`histogram of model ${id}'s training scores`} x="score" y="rows" />
        </div>
      ) : (
        <p class="empty">No score histogram was stored for this model.</p>
      )}
    </div>
  );
}

const METRICS: [string, string][] = [
  ['trainingRows', 'training rows'],
  ['rocAuc', 'ROC-AUC'],
  ['prAuc', 'PR-AUC'],
  ['flagged', 'flagged'],
  ['fitSeconds', 'fit seconds'],
];

function ModelView({ m, streams, open, onToggle, onChange }: { m: ModelRow; streams: StreamRow[]; open: boolean; onToggle: () => void; onChange: (msg: string) => void }) {
  const [target, setTarget] = useState(streams[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const promote = async (): Promise<void> => {
    setError(null);
    try {
      await send('POST', `/v1/streams/${encodeURIComponent(target)}/model`, { version: m.id });
      onChange(`Model ${m.id} now scores ${streams.find((s) => s.id === target)?.name ?? target}.`);
    } catch (e) {
      setError(explain(e));
    }
  };
  return (
    <li class="card model" id={m.id}>
      <h3>
        <code>{m.id}</code> · {m.detector} ({m.kind})
      </h3>
      <p class="sub">
        {ago(m.createdAt)} · trained on {m.source['dataset'] ? `dataset ${String(m.source['dataset'])}` : m.source['stream'] ? `stream ${String(m.source['stream'])}` : 'unknown data'}
        {m.label ? ` · label column ${m.label}` : ''} · columns {m.columns.join(', ') || '—'}
      </p>
      <dl class="counts">
        {METRICS.filter(([k]) => typeof m.metrics[k] === 'number').map(([k, label]) => (
          <div>
            <dt>{label}</dt>
            <dd>{num(m.metrics[k] as number)}</dd>
          </div>
        ))}
      </dl>
      <p class="options-line">
        Options: <code>{JSON.stringify(m.options)}</code>
      </p>
      <div class="buttons">
        <button type="button" class="quiet" aria-expanded={open} onClick={onToggle}>
          {open ? 'Hide' : 'Show'} curves of {m.id}
        </button>
        {streams.length > 0 && (
          <span class="promote">
            <label for={`to-${m.id}`}>Promote to</label>{' '}
            <select id={`to-${m.id}`} value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
              {streams.map((s) => (
                <option value={s.id}>{s.name}</option>
              ))}
            </select>{' '}
            <button type="button" onClick={promote}>
              Promote {m.id}
            </button>
          </span>
        )}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {open && <CurvesView id={m.id} />}
    </li>
  );
}

export function ModelsPage() {
  const [streams, setStreams] = useState<StreamRow[] | null>(null);
  const [models, setModels] = useState<ModelRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(location.hash.slice(1) || null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    Promise.all([api<{ streams: StreamRow[] }>('/v1/streams'), api<{ models: ModelRow[] }>('/v1/models')]).then(
      ([s, m]) => {
        setStreams(s.streams);
        setModels(m.models);
      },
      (e) => setError(explain(e)),
    );
  }, [round]);
  const changed = (msg: string): void => {
    setNotice(msg);
    setRound((r) => r + 1);
  };
  const withModels = useMemo(() => (streams ?? []).filter((s) => s.model || (models ?? []).some((m) => m.source['stream'] === s.id)), [streams, models]);
  return (
    <main class="page models-page">
      <h1>Models</h1>
      <p class="sub">Model versions with their metrics, and each stream's retrained candidates compared in shadow against the model it is served by.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!streams && !error && <p role="status">Reading models…</p>}
      {streams && (
        <>
          <h2 class="section">Served and candidate models</h2>
          {withModels.length === 0 ? <p class="empty">No stream is scored by a trained model and none has been retrained yet; every stream learns online.</p> : withModels.map((s) => <StreamModels key={s.id} stream={s} onChange={changed} />)}
          <h2 class="section">Model versions ({models!.length})</h2>
          {models!.length === 0 ? (
            <p class="empty">
              No model versions yet. <a href="/new">Upload a dataset and train one</a>.
            </p>
          ) : (
            <ul class="models">
              {models!.map((m) => (
                <ModelView key={m.id} m={m} streams={streams} open={open === m.id} onToggle={() => setOpen(open === m.id ? null : m.id)} onChange={changed} />
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
