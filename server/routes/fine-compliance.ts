import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { CASE_META_SPEC, caseMeta } from '../queries/case-meta.ts';
import { FINE_COMPLIANCE_SPEC, fineCompliance } from '../queries/fine-compliance.ts';
import { formatSchema, type Format } from '../table-reply.ts';
import { answer, checkFilters, querystring, tableCache, type Filters } from './case-filters.ts';

/** Fine compliance per fined item, and the loaded cases' window (the case pages' header). */
export function fineComplianceRoutes(app: FastifyInstance, { db }: AppDeps, table = tableCache(db)) {
  app.get<{ Querystring: Filters }>(
    '/api/fines/compliance',
    querystring(),
    table(async (req) => {
      await checkFilters(db, req.bureauId, req.query);
      return answer(await fineCompliance(db, req.bureauId, req.query), FINE_COMPLIANCE_SPEC);
    }),
  );

  app.get<{ Querystring: { format?: Format } }>(
    '/api/cases/meta',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    table(async (req) => answer(await caseMeta(db, req.bureauId), CASE_META_SPEC)),
  );
}
