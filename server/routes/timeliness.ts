import type { FastifyInstance } from 'fastify';
import { parseSpanKey } from '../../etl/timeliness/stage-labels.ts';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../http-error.ts';
import { TIMELINESS_SPEC, caseTimeliness } from '../queries/case-timeliness.ts';
import { LATE_SPEC, lateSpans } from '../queries/late-spans.ts';
import { answer, checkFilters, querystring, str, tableCache, type Filters } from './case-filters.ts';

/** Stage timeliness per section × span, and the items with late spans, from the summary tables. */
export function timelinessRoutes(app: FastifyInstance, { db }: AppDeps, table = tableCache(db)) {
  app.get<{ Querystring: Filters }>(
    '/api/timeliness',
    querystring(),
    table(async (req) => {
      await checkFilters(db, req.bureauId, req.query);
      return answer(await caseTimeliness(db, req.bureauId, req.query), TIMELINESS_SPEC);
    }),
  );

  app.get<{ Querystring: Filters & { span?: string; month?: string } }>(
    '/api/timeliness/late',
    querystring({ span: str, month: str }),
    table(async (req) => {
      const q = req.query;
      await checkFilters(db, req.bureauId, q);
      const span = q.span === undefined ? null : parseSpanKey(q.span);
      if (q.span !== undefined && span === null)
        throw new HttpError(400, `span must name two stages in order, e.g. accepted-decided; got "${q.span}"`);
      return answer(await lateSpans(db, req.bureauId, { ...q, span }), LATE_SPEC);
    }),
  );
}
