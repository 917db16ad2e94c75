import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { LOADED_VERSIONS_SPEC, loadedVersions } from '../queries/versions.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';

export function versionRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get<{ Querystring: { format?: Format } }>(
    '/api/versions',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) =>
      sendTable(reply, await loadedVersions(db, req.bureauId), LOADED_VERSIONS_SPEC, req.query.format),
  );
}
