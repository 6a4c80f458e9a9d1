/** Alert rules and sinks: each stream's rule (create, edit, delete) and the team's webhooks (create, edit, delete, test-send). */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { explain, send } from '../send';
import './manage.css';

interface Sink {
  id: string;
  name: string;
  url: string;
  format: 'json' | 'slack';
}

interface Rule {
  id: string;
  streamId: string;
  enabled: boolean;
  forPoints?: number;
  forSeconds?: number;
  maxPerHour: number;
  minSeverity: 'info' | 'warning' | 'critical';
  quietSeconds: number;
  sinks: string[];
}

interface StreamRow {
  id: string;
  name: string;
}

interface TestResult {
  delivered: boolean;
  status: number | null;
  error: string | null;
}

const SEVERITIES = ['info', 'warning', 'critical'] as const;

function SinkForm({ sink, onDone }: { sink?: Sink; onDone: (msg: string) => void }) {
  const [name, setName] = useState(sink?.name ?? '');
  const [url, setUrl] = useState(sink?.url ?? '');
  const [format, setFormat] = useState<Sink['format']>(sink?.format ?? 'json');
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const id = sink ? `sink-${sink.id}` : 'sink-new';
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      if (sink) {
        await send('PATCH', `/v1/sinks/${encodeURIComponent(sink.id)}`, { name, url, format });
        onDone(`Sink ${name} saved.`);
      } else {
        const made = await send<Sink & { secret: string }>('POST', '/v1/sinks', { name, url, format });
        setSecret(made.secret);
        setName('');
        setUrl('');
        onDone(`Sink ${made.name} created. Its signing secret is shown once, below the form.`);
      }
    } catch (err) {
      setError(explain(err));
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-label={sink ? `edit sink ${sink.name}` : 'new sink'}>
      <div class="field">
        <label for={`${id}-name`}>Name</label>
        <input id={`${id}-name`} required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field wide">
        <label for={`${id}-url`}>Webhook URL</label>
        <input id={`${id}-url`} required type="url" placeholder="https://hooks.example.com/vigil" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for={`${id}-format`}>Format</label>
        <select id={`${id}-format`} value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as Sink['format'])}>
          <option value="json">json (the alert payload)</option>
          <option value="slack">slack (incoming webhook)</option>
        </select>
      </div>
      <button type="submit">{sink ? 'Save sink' : 'Create sink'}</button>
      {error && <p class="error" role="alert">{error}</p>}
      {secret && (
        <p class="notice">
          Signing secret (HMAC-SHA256 of the X-Vigil-Signature header): <code>{secret}</code>
        </p>
      )}
    </form>
  );
}

function SinkRow({ sink, onChange }: { sink: Sink; onChange: (msg: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const test = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const r = await send<TestResult>('POST', `/v1/sinks/${encodeURIComponent(sink.id)}/test`);
      if (r.delivered) setResult(`Test alert delivered: the receiver answered HTTP ${r.status}.`);
      else setError(`Test alert not delivered: ${r.error ?? 'no answer'}${r.status !== null ? ` (HTTP ${r.status})` : ''}.`);
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (): Promise<void> => {
    if (!confirm(`Delete sink ${sink.name} and its pending deliveries?`)) return;
    try {
      await send('DELETE', `/v1/sinks/${encodeURIComponent(sink.id)}`);
      onChange(`Sink ${sink.name} deleted.`);
    } catch (e) {
      setError(explain(e));
    }
  };
  return (
    <li class="card sink">
      <h3>{sink.name}</h3>
      <p class="sub url">
        {sink.format} · <code>{sink.url}</code>
      </p>
      <div class="buttons">
        <button type="button" disabled={busy} onClick={test}>
          Send a test alert to {sink.name}
        </button>
        <button type="button" class="quiet" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Close' : 'Edit'} {sink.name}
        </button>
        <button type="button" class="quiet danger" onClick={remove}>
          Delete {sink.name}
        </button>
      </div>
      {result && <p class="ok" role="status">{result}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {editing && <SinkForm sink={sink} onDone={(m) => (setEditing(false), onChange(m))} />}
    </li>
  );
}

const optNum = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

function RuleForm({ stream, rule, sinks, onDone }: { stream: StreamRow; rule?: Rule; sinks: Sink[]; onDone: (msg: string) => void }) {
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [forPoints, setForPoints] = useState(rule?.forPoints?.toString() ?? '');
  const [forSeconds, setForSeconds] = useState(rule?.forSeconds?.toString() ?? '');
  const [maxPerHour, setMaxPerHour] = useState(String(rule?.maxPerHour ?? 10));
  const [minSeverity, setMinSeverity] = useState<Rule['minSeverity']>(rule?.minSeverity ?? 'info');
  const [quietSeconds, setQuietSeconds] = useState(String(rule?.quietSeconds ?? 600));
  const [chosen, setChosen] = useState<string[]>(rule?.sinks ?? []);
  const [error, setError] = useState<string | null>(null);
  const id = `rule-${stream.id}`;
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    const body = { enabled, forPoints: optNum(forPoints), forSeconds: optNum(forSeconds), maxPerHour: Number(maxPerHour), minSeverity, quietSeconds: Number(quietSeconds), sinks: chosen };
    for (const [k, v] of Object.entries(body)) if (typeof v === 'number' && !Number.isFinite(v)) return setError(`${k} must be a number.`);
    try {
      if (rule) await send('PATCH', `/v1/rules/${encodeURIComponent(rule.id)}`, body);
      else await send('POST', `/v1/streams/${encodeURIComponent(stream.id)}/rules`, body);
      onDone(`Alert rule of ${stream.name} saved.`);
    } catch (err) {
      setError(explain(err));
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-label={`alert rule of ${stream.name}`}>
      <div class="field check">
        <input id={`${id}-enabled`} type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} />
        <label for={`${id}-enabled`}>Enabled</label>
      </div>
      <div class="field">
        <label for={`${id}-points`}>For points</label>
        <input id={`${id}-points`} inputMode="numeric" placeholder="1" value={forPoints} onInput={(e) => setForPoints((e.target as HTMLInputElement).value)} aria-describedby={`${id}-points-d`} />
        <p class="hint" id={`${id}-points-d`}>Alert after this many anomalous points in a row.</p>
      </div>
      <div class="field">
        <label for={`${id}-seconds`}>For seconds</label>
        <input id={`${id}-seconds`} inputMode="decimal" placeholder="unset" value={forSeconds} onInput={(e) => setForSeconds((e.target as HTMLInputElement).value)} aria-describedby={`${id}-seconds-d`} />
        <p class="hint" id={`${id}-seconds-d`}>…or after anomalies lasting this long.</p>
      </div>
      <div class="field">
        <label for={`${id}-max`}>Most alerts per hour</label>
        <input id={`${id}-max`} inputMode="numeric" value={maxPerHour} onInput={(e) => setMaxPerHour((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for={`${id}-sev`}>Lowest severity sent</label>
        <select id={`${id}-sev`} value={minSeverity} onChange={(e) => setMinSeverity((e.target as HTMLSelectElement).value as Rule['minSeverity'])}>
          {SEVERITIES.map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-quiet`}>Quiet seconds</label>
        <input id={`${id}-quiet`} inputMode="decimal" value={quietSeconds} onInput={(e) => setQuietSeconds((e.target as HTMLInputElement).value)} aria-describedby={`${id}-quiet-d`} />
        <p class="hint" id={`${id}-quiet-d`}>An incident resolves after this long without an anomaly.</p>
      </div>
      <fieldset class="field wide">
        <legend>Send to</legend>
        {sinks.length === 0 ? (
          <p class="hint">No sinks yet: create one below to deliver alerts; incidents are recorded either way.</p>
        ) : (
          sinks.map((s) => (
            <span class="check">
              <input
                id={`${id}-sink-${s.id}`}
                type="checkbox"
                checked={chosen.includes(s.id)}
                onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))}
              />
              <label for={`${id}-sink-${s.id}`}>{s.name}</label>
            </span>
          ))
        )}
      </fieldset>
      <button type="submit">{rule ? 'Save rule' : 'Create rule'}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

function RuleRow({ stream, rule, sinks, onChange }: { stream: StreamRow; rule: Rule | undefined; sinks: Sink[]; onChange: (msg: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const names = (ids: string[]): string => ids.map((i) => sinks.find((s) => s.id === i)?.name ?? i).join(', ') || 'no sink';
  const remove = async (): Promise<void> => {
    if (!rule || !confirm(`Delete the alert rule of ${stream.name}?`)) return;
    try {
      await send('DELETE', `/v1/rules/${encodeURIComponent(rule.id)}`);
      onChange(`Alert rule of ${stream.name} deleted.`);
    } catch (e) {
      setError(explain(e));
    }
  };
  return (
    <li class="card rule">
      <h3>{stream.name}</h3>
      {rule ? (
        <p class="sub">
          {rule.enabled ? 'Enabled' : 'Disabled'}: alert after {rule.forSeconds !== undefined ? `${rule.forSeconds} s` : `${rule.forPoints ?? 1} point(s)`} above the threshold, at most {rule.maxPerHour} an hour, {rule.minSeverity} and up, to {names(rule.sinks)}; quiet after {rule.quietSeconds} s.
        </p>
      ) : (
        <p class="empty">No alert rule: incidents are tracked but no one is alerted.</p>
      )}
      <div class="buttons">
        <button type="button" class="quiet" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Close' : rule ? 'Edit rule of' : 'Add a rule to'} {stream.name}
        </button>
        {rule && (
          <button type="button" class="quiet danger" onClick={remove}>
            Delete rule of {stream.name}
          </button>
        )}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {editing && <RuleForm stream={stream} rule={rule} sinks={sinks} onDone={(m) => (setEditing(false), onChange(m))} />}
    </li>
  );
}

export function RulesPage() {
  const [streams, setStreams] = useState<StreamRow[] | null>(null);
  const [rules, setRules] = useState<Map<string, Rule>>(new Map());
  const [sinks, setSinks] = useState<Sink[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    (async () => {
      const [s, k] = await Promise.all([api<{ streams: StreamRow[] }>('/v1/streams'), api<{ sinks: Sink[] }>('/v1/sinks')]);
      const rs = await Promise.all(s.streams.map((x) => api<{ rules: Rule[] }>(`/v1/streams/${encodeURIComponent(x.id)}/rules`)));
      setRules(new Map(rs.flatMap((r) => r.rules).map((r) => [r.streamId, r])));
      setSinks(k.sinks);
      setStreams(s.streams);
    })().catch((e) => setError(explain(e)));
  }, [round]);
  const changed = (msg: string): void => {
    setNotice(msg);
    setRound((r) => r + 1);
  };
  return (
    <main class="page rules-page">
      <h1>Alert rules and sinks</h1>
      <p class="sub">A stream's rule decides when an incident alerts; sinks are the webhooks alerts are delivered to (signed, retried through the outbox).</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!streams && !error && <p role="status">Reading rules…</p>}
      {streams && (
        <>
          <h2 class="section">Rules</h2>
          {streams.length === 0 ? (
            <p class="empty">
              No streams yet, so no rules. <a href="/new">Create a stream</a>.
            </p>
          ) : (
            <ul class="cards">
              {streams.map((s) => (
                <RuleRow key={s.id} stream={s} rule={rules.get(s.id)} sinks={sinks} onChange={changed} />
              ))}
            </ul>
          )}
          <h2 class="section">Sinks</h2>
          {sinks.length === 0 ? <p class="empty">No sinks yet: alerts are recorded as incidents but delivered nowhere.</p> : (
            <ul class="cards">
              {sinks.map((s) => (
                <SinkRow key={s.id} sink={s} onChange={changed} />
              ))}
            </ul>
          )}
          <h3>New sink</h3>
          <SinkForm onDone={changed} />
        </>
      )}
    </main>
  );
}
