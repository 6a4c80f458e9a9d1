import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STREAM_DETECTORS, STREAM_DETECTOR_SUMMARIES } from '../../../stream/registry.js';
import { errors, secured } from '../common/schemas.js';

const detectorList = z.object({ detectors: z.array(z.object({ name: z.string(), summary: z.string(), options: z.array(z.string()) })) });

/** What a stream can be scored by (the dashboard's "new stream" form reads it). */
export const detectorsPlugin: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/detectors',
    { config: { access: 'admin-or-read' }, schema: { ...secured, tags: ['streams'], summary: 'The stream detectors and their options', response: { 200: detectorList, ...errors } } },
    async () => ({ detectors: STREAM_DETECTORS.map((name) => ({ name, summary: STREAM_DETECTOR_SUMMARIES[name].summary, options: [...STREAM_DETECTOR_SUMMARIES[name].options] })) }),
  );
};
