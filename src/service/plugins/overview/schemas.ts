import { z } from 'zod';

export const streamState = z.enum(['empty', 'warming-up', 'scoring']).describe('empty: no points yet; warming-up: no threshold yet; scoring: judging points');

export const overview = z.object({
  generatedAt: z.number(),
  teams: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      streams: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          detector: z.string(),
          modelVersion: z.number(),
          state: streamState,
          points: z.number(),
          scored: z.number(),
          lastT: z.number().nullable(),
          anomaliesLastHour: z.number().describe('anomalous points with t in the last hour'),
          anomaliesLastDay: z.number(),
          openIncidents: z.number().describe('incidents not yet resolved'),
        }),
      ),
    }),
  ),
});
export type Overview = z.infer<typeof overview>;
