/**
 * New stream, and upload-and-train: both forms offer every detector with its options generated from
 * the detectors' JSON Schemas (GET /v1/detectors), so a new detector appears here without code.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { JobProgress } from '../job-progress';
import { OptionFields, toOptions, type DetectorEntry, type RawOptions } from '../options-form';
import { explain, send } from '../send';
import './manage.css';

interface Dataset {
  id: string;
  name: string;
  format: 'csv' | 'ndjson';
  rows: number;
  columns: string[];
}

function useDetectors(use: 'stream' | 'train'): { list: DetectorEntry[] | null; error: string | null } {
  const [list, setList] = useState<DetectorEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ detectors: DetectorEntry[] }>(`/v1/detectors?for=${use}`).then((r) => setList(r.detectors), (e) => setError(explain(e)));
  }, [use]);
  return { list, error };
}

function DetectorPicker({ list, value, onChange, id }: { list: DetectorEntry[]; value: string; onChange: (name: string) => void; id: string }) {
  const d = list.find((x) => x.name === value);
  return (
    <div class="field wide">
      <label for={id}>Detector</label>
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)} aria-describedby={`${id}-d`}>
        {(['stream', 'series', 'tabular'] as const).map((kind) => {
          const of = list.filter((x) => x.kind === kind);
          return of.length ? (
            <optgroup label={{ stream: 'learn point by point', series: 'time-series models', tabular: 'row models' }[kind]}>
              {of.map((x) => (
                <option value={x.name}>
                  {x.name}
                  {x.modes[0] !== 'unsupervised' ? ` (${x.modes[0]})` : ''}
                </option>
              ))}
            </optgroup>
          ) : null;
        })}
      </select>
      <p class="hint" id={`${id}-d`}>{d?.summary}</p>
    </div>
  );
}

function NewStream() {
  const { list, error: listError } = useDetectors('stream');
  const [name, setName] = useState('');
  const [detector, setDetector] = useState('rolling-z');
  const [raw, setRaw] = useState<RawOptions>({});
  const [threshold, setThreshold] = useState<'default' | 'value' | 'risk'>('default');
  const [thresholdValue, setThresholdValue] = useState('');
  const [warmup, setWarmup] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ id: string; name: string } | null>(null);
  if (listError) return <p class="error" role="alert">The detectors cannot be read: {listError}</p>;
  if (!list) return <p role="status">Reading the detectors…</p>;
  const d = list.find((x) => x.name === detector) ?? list[0]!;
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const options = toOptions(d, raw);
      const th = threshold === 'default' ? { kind: 'default' } : threshold === 'value' ? { kind: 'value', value: Number(thresholdValue) } : { kind: 'risk', q: Number(thresholdValue) };
      if (threshold !== 'default' && !Number.isFinite(Number(thresholdValue)) ) throw new Error('the threshold needs a number');
      const body = { name, detector: d.name, options, threshold: th, ...(warmup.trim() ? { warmup: Number(warmup) } : {}) };
      setMade(await send<{ id: string; name: string }>('POST', '/v1/streams', body));
    } catch (err) {
      setError(explain(err));
    }
  };
  return (
    <form class="form" onSubmit={submit} aria-labelledby="new-stream-h">
      <h2 id="new-stream-h">New stream</h2>
      <div class="field wide">
        <label for="ns-name">Name</label>
        <input id="ns-name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} placeholder="checkout latency" />
      </div>
      <DetectorPicker list={list} value={d.name} onChange={(n) => (setDetector(n), setRaw({}))} id="ns-detector" />
      <fieldset>
        <legend>Options of {d.name}</legend>
        <OptionFields detector={d} values={raw} onChange={setRaw} idPrefix="ns" />
      </fieldset>
      <fieldset>
        <legend>Threshold and warm-up</legend>
        <div class="field">
          <label for="ns-threshold">Threshold</label>
          <select id="ns-threshold" value={threshold} onChange={(e) => setThreshold((e.target as HTMLSelectElement).value as typeof threshold)}>
            <option value="default">the detector's default</option>
            <option value="value">a fixed score</option>
            <option value="risk">an EVT risk per point</option>
          </select>
        </div>
        {threshold !== 'default' && (
          <div class="field">
            <label for="ns-threshold-value">{threshold === 'value' ? 'Score above which a point is anomalous' : 'Risk q per point (0 < q < 1)'}</label>
            <input id="ns-threshold-value" required inputMode="decimal" value={thresholdValue} onInput={(e) => setThresholdValue((e.target as HTMLInputElement).value)} />
          </div>
        )}
        <div class="field">
          <label for="ns-warmup">Warm-up points</label>
          <input id="ns-warmup" inputMode="numeric" placeholder="the detector's own" value={warmup} onInput={(e) => setWarmup((e.target as HTMLInputElement).value)} aria-describedby="ns-warmup-d" />
          <p class="hint" id="ns-warmup-d">Points seen before any judgement.</p>
        </div>
      </fieldset>
      <button type="submit">Create stream</button>
      {error && <p class="error" role="alert">The stream was not created: {error}</p>}
      {made && (
        <p class="notice" role="status">
          Stream <a href={`/streams/${encodeURIComponent(made.id)}`}>{made.name}</a> created (<code>{made.id}</code>). Send it points with POST /v1/streams/{made.id}/points.
        </p>
      )}
    </form>
  );
}

function UploadAndTrain() {
  const { list, error: listError } = useDetectors('train');
  const [file, setFile] = useState<File | null>(null);
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [uploading, setUploading] = useState(false);
  const [detector, setDetector] = useState('iforest');
  const [raw, setRaw] = useState<RawOptions>({});
  const [label, setLabel] = useState('');
  const [timestamp, setTimestamp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<string | null>(null);
  const upload = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!file) return setError('Choose a CSV or NDJSON file first.');
    setError(null);
    setUploading(true);
    const type = /\.(ndjson|jsonl)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv';
    try {
      const d = await send<Dataset>('POST', `/v1/datasets?name=${encodeURIComponent(file.name)}`, file, type);
      setDataset(d);
      setLabel(d.columns.find((c) => /^(label|is_?anomaly|anomaly)$/i.test(c)) ?? '');
      setTimestamp(d.columns.find((c) => /^(t|time|timestamp)$/i.test(c)) ?? '');
    } catch (err) {
      setError(`The upload failed: ${explain(err)}`);
    } finally {
      setUploading(false);
    }
  };
  if (listError) return <p class="error" role="alert">The detectors cannot be read: {listError}</p>;
  if (!list) return <p role="status">Reading the detectors…</p>;
  const d = list.find((x) => x.name === detector) ?? list[0]!;
  const train = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!dataset) return;
    setError(null);
    try {
      const options = toOptions(d, raw);
      const series = d.kind === 'series';
      const body = {
        dataset: dataset.id,
        detector: d.name,
        options,
        ...(!series && label ? { label } : {}),
        ...(series && timestamp ? { timestamp } : {}),
      };
      setJob((await send<{ id: string }>('POST', '/v1/jobs', body)).id);
    } catch (err) {
      setError(`The job was not started: ${explain(err)}`);
    }
  };
  return (
    <section class="form" aria-labelledby="train-h">
      <h2 id="train-h">Upload a dataset and train</h2>
      <form onSubmit={upload} aria-label="upload a dataset">
        <div class="field wide">
          <label for="ds-file">Dataset file (CSV with a header, or NDJSON)</label>
          <input id="ds-file" type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </div>
        <button type="submit" disabled={uploading}>
          {uploading ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {dataset && (
        <form onSubmit={train} aria-label="train a model">
          <p class="notice" role="status">
            Dataset <code>{dataset.id}</code> ({dataset.name}): {dataset.rows} rows, columns {dataset.columns.join(', ')}.
          </p>
          <DetectorPicker list={list} value={d.name} onChange={(n) => (setDetector(n), setRaw({}))} id="tr-detector" />
          <fieldset>
            <legend>Options of {d.name}</legend>
            <OptionFields detector={d} values={raw} onChange={setRaw} idPrefix="tr" />
          </fieldset>
          {d.kind === 'series' ? (
            <div class="field">
              <label for="tr-ts">Timestamp column</label>
              <select id="tr-ts" value={timestamp} onChange={(e) => setTimestamp((e.target as HTMLSelectElement).value)}>
                <option value="">none (rows in order)</option>
                {dataset.columns.map((c) => (
                  <option value={c}>{c}</option>
                ))}
              </select>
            </div>
          ) : (
            <div class="field">
              <label for="tr-label">Label column (0/1, kept out of the features)</label>
              <select id="tr-label" value={label} onChange={(e) => setLabel((e.target as HTMLSelectElement).value)} aria-describedby="tr-label-d">
                <option value="">none</option>
                {dataset.columns.map((c) => (
                  <option value={c}>{c}</option>
                ))}
              </select>
              <p class="hint" id="tr-label-d">With labels the model gets ROC and PR curves; without, a score histogram.</p>
            </div>
          )}
          <button type="submit">Start training</button>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {job && <JobProgress key={job} id={job} />}
    </section>
  );
}

export function NewPage() {
  return (
    <main class="page new-page">
      <h1>New stream, or upload and train</h1>
      <p class="sub">Every detector the service has is offered with its documented options; leave an option empty to take its default.</p>
      <div class="two">
        <NewStream />
        <UploadAndTrain />
      </div>
    </main>
  );
}
