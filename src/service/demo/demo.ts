/**
 * `vigil serve --demo`: a demo team whose streams are fed live by the built-in generators
 * (telemetry.ts), through the same ingest path as the API, so the points are stored, scored and
 * shown like any others. Nothing is replayed from files.
 */
import type { ServiceContext } from '../context.js';
import { ingest } from '../plugins/ingest/ingest.js';
import { createStream } from '../plugins/streams/streams.js';
import { createKey } from '../plugins/teams/teams.js';
import { newId } from '../ids.js';
import { cardTransactions, machine, webHosts, type Source } from './telemetry.js';

export interface Demo {
  teamId: string;
  /** A new admin key of the demo team (keys are stored hashed, so each start makes one). */
  key: string;
  streams: { id: string; name: string }[];
  stop(): Promise<void>;
}

/** A simulated day in ten minutes of wall time. */
const DAY_MS = 10 * 60_000;
const TICK_MS = 250;

export const DEMO_STREAMS: { name: string; spec: Record<string, unknown>; source: (seed: number) => Source }[] = [
  {
    name: 'machine-7 temperature and vibration',
    spec: { detector: 'rolling-mad', options: { window: 200 }, warmup: 200, threshold: { kind: 'value', value: 6 } },
    source: (seed) => machine(seed, DAY_MS),
  },
  {
    name: 'machine-7 vibration (artime)',
    spec: { detector: 'artime', options: { min: 0, max: 4, probation: 400 } },
    source: (seed) => {
      const m = machine(seed, DAY_MS);
      return { hz: m.hz, step: (n) => m.step(n).map((p) => ({ values: { value: p.values['vibration']! } })) };
    },
  },
  {
    name: 'web request rate and latency per host',
    spec: { detector: 'rolling-z', options: { window: 60 }, warmup: 60, threshold: { kind: 'value', value: 5 } },
    source: (seed) => webHosts(seed, DAY_MS),
  },
  {
    name: 'card transactions per merchant',
    spec: { detector: 'rolling-mad', options: { window: 80 }, warmup: 40, threshold: { kind: 'value', value: 8 } },
    source: (seed) => cardTransactions(seed),
  },
];

export async function startDemo(ctx: ServiceContext, seed = 7): Promise<Demo> {
  let team = await ctx.storage.findTeamByName('demo');
  if (!team) {
    team = { id: newId('tm'), name: 'demo', createdAt: Date.now() };
    await ctx.storage.createTeam(team);
  }
  const teamId = team.id;
  const key = (await createKey(ctx, teamId, 'admin')).key;
  const existing = await ctx.storage.listStreams(teamId);
  const start = Date.now();
  const feeds = await Promise.all(
    DEMO_STREAMS.map(async (d, i) => {
      const s = existing.find((x) => x.name === d.name) ?? (await createStream(ctx, teamId, { name: d.name, ...d.spec } as never));
      return { id: s.id, name: s.name, source: d.source(seed + i), sent: 0 };
    }),
  );
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const now = Date.now();
      for (const f of feeds) {
        const due = Math.floor(((now - start) / 1000) * f.source.hz);
        const points = [];
        for (; f.sent < due; f.sent++) {
          const t = start + Math.round((f.sent * 1000) / f.source.hz);
          for (const p of f.source.step(f.sent)) points.push({ t, ...(p.key ? { key: p.key } : {}), values: p.values });
        }
        if (points.length) await ingest(ctx, teamId, f.id, points);
      }
    } catch (e) {
      ctx.log(`demo feed: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  }, TICK_MS);
  return {
    teamId,
    key,
    streams: feeds.map(({ id, name }) => ({ id, name })),
    stop: async () => clearInterval(timer),
  };
}
