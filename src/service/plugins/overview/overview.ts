/** The cross-team view: every team, its streams, their state and recent anomaly counts. */
import type { ServiceContext } from '../../context.js';
import type { Overview } from './schemas.js';

/** Every team, or only `teamId` (a team key's own view). */
export async function overview(ctx: ServiceContext, now = Date.now(), teamId?: string): Promise<Overview> {
  const [all, streams] = await Promise.all([ctx.storage.listTeams(), ctx.storage.listStreams(teamId)]);
  const teams = teamId === undefined ? all : all.filter((t) => t.id === teamId);
  const stats = new Map((await ctx.storage.streamStats(streams.map((s) => s.id), now)).map((s) => [s.streamId, s]));
  const open = await ctx.storage.alerting.openIncidentCounts();
  return {
    generatedAt: now,
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      streams: streams
        .filter((s) => s.teamId === t.id)
        .map((s) => {
          const st = stats.get(s.id)!;
          return {
            id: s.id,
            name: s.name,
            detector: String(s.spec['detector']),
            modelVersion: s.modelVersion,
            state: st.points === 0 ? ('empty' as const) : st.lastThreshold === null ? ('warming-up' as const) : ('scoring' as const),
            points: st.points,
            scored: st.scored,
            lastT: st.lastT,
            anomaliesLastHour: st.anomaliesHour,
            anomaliesLastDay: st.anomaliesDay,
            openIncidents: open.get(s.id) ?? 0,
          };
        }),
    })),
  };
}
