import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { VOLUME_ITEM_SPEC, VOLUME_SECTION_SPEC, volumesByItem, volumesBySection } from '../queries/case-volumes.ts';
import { answer, checkFilters, querystring, tableCache, type Filters } from './case-filters.ts';

/** Case volumes per item or per section (and month), from the summary tables. */
export function volumeRoutes(app: FastifyInstance, { db }: AppDeps, table = tableCache(db)) {
  app.get<{ Querystring: Filters & { by?: 'item' | 'section' } }>(
    '/api/volumes',
    querystring({ by: { type: 'string', enum: ['item', 'section'] } }),
    table(async (req) => {
      await checkFilters(db, req.bureauId, req.query);
      if ((req.query.by ?? 'item') === 'item')
        return answer(await volumesByItem(db, req.bureauId, req.query), VOLUME_ITEM_SPEC);
      return answer(await volumesBySection(db, req.bureauId, req.query), VOLUME_SECTION_SPEC);
    }),
  );
}
