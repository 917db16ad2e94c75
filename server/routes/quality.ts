import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../http-error.ts';
import {
  FLAGGED_SPEC,
  ISSUE_SPEC,
  QUALITY_SPEC,
  flaggedValues,
  itemSource,
  parseIssues,
  qualityCounts,
} from '../queries/quality.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';
import { int4 } from './params.ts';

const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: { ...formatSchema, ...versionSchema },
} as const;

export function qualityRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/quality',
    { schema: { querystring } },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await qualityCounts(db, req.bureauId, { version }), QUALITY_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/quality/flagged',
    { schema: { querystring } },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await flaggedValues(db, req.bureauId, { version }), FLAGGED_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/quality/issues',
    { schema: { querystring } },
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await parseIssues(db, req.bureauId, { version }), ISSUE_SPEC, req.query.format);
    },
  );

  app.get<{ Params: { seq: number }; Querystring: { version?: number } }>(
    '/api/items/:seq/source',
    {
      schema: {
        params: { type: 'object', properties: { seq: int4() }, required: ['seq'] },
        querystring: { type: 'object', additionalProperties: false, properties: { ...versionSchema } },
      },
    },
    async (req) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      const source = await itemSource(db, req.bureauId, { version, seq: req.params.seq });
      if (!source)
        throw new HttpError(
          404,
          `list version ${version} has no item ${req.params.seq}; GET /api/items lists the items`,
        );
      return source;
    },
  );
}
