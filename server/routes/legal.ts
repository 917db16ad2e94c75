/**
 * Legal basis endpoints: citations with their status against the instrument registry, the
 * registry with citation counts, fine clauses, and the flagged citations as an xlsx workbook.
 * "Today" for statuses is ?today=YYYY-MM-DD, default the injected clock's date in China.
 */
import type { FastifyInstance } from 'fastify';
import { CITATION_STATUSES } from '../../etl/legal/citation-status.ts';
import { chinaDate } from '../../etl/calendar/civil-date.ts';
import { reviewWorkbook } from '../../etl/legal/review-workbook.ts';
import type { AppDeps } from '../app-deps.ts';
import { CITATION_SPEC, citationReview, filteredCitations, type CitationFilters } from '../queries/citations.ts';
import { FINE_KINDS, FINE_SPEC, fineClauseRows, type FineKind } from '../queries/fine-clauses.ts';
import { INSTRUMENT_SPEC, instrumentRows } from '../queries/instruments.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { resolveVersion, versionSchema } from './version.ts';
import { calendarDate } from './params.ts';

const todaySchema = { today: calendarDate } as const;
const citationFilters = {
  status: { type: 'string', enum: [...CITATION_STATUSES] },
  instrument: { type: 'string', maxLength: 200 },
  section: { type: 'string', maxLength: 100 },
  flagged: { type: 'boolean' },
} as const;
const querystring = (properties: Record<string, unknown>) => ({
  schema: { querystring: { type: 'object', additionalProperties: false, properties } },
});

type CitationQuery = CitationFilters & { format?: Format; version?: number; today?: string };

export function legalRoutes(app: FastifyInstance, { db, now = () => new Date() }: AppDeps) {
  const todayOf = (q: { today?: string }) => q.today ?? chinaDate(now());

  app.get<{ Querystring: CitationQuery }>(
    '/api/citations',
    querystring({ ...formatSchema, ...versionSchema, ...todaySchema, ...citationFilters }),
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      const { rows } = await filteredCitations(db, req.bureauId, { ...req.query, version, today: todayOf(req.query) });
      return sendTable(reply, rows, CITATION_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: CitationQuery }>(
    '/api/citations/export.xlsx',
    querystring({ ...versionSchema, ...todaySchema, ...citationFilters }),
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      const today = todayOf(req.query);
      const { rows, listDate, listLabel } = await citationReview(db, req.bureauId, { ...req.query, version, today });
      const buffer = await reviewWorkbook(rows, {
        listLabel,
        listDate: listDate?.date ?? null,
        listDateBasis: listDate?.basis ?? null,
        today,
      });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="citations-v${version}-${today}.xlsx"`)
        .send(buffer);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number } }>(
    '/api/instruments',
    querystring({ ...formatSchema, ...versionSchema }),
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(reply, await instrumentRows(db, req.bureauId, { version }), INSTRUMENT_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { format?: Format; version?: number; kind?: FineKind; section?: string } }>(
    '/api/fines',
    querystring({
      ...formatSchema,
      ...versionSchema,
      kind: { type: 'string', enum: [...FINE_KINDS] },
      section: { type: 'string', maxLength: 100 },
    }),
    async (req, reply) => {
      const version = await resolveVersion(db, req.bureauId, req.query.version);
      return sendTable(
        reply,
        await fineClauseRows(db, req.bureauId, { ...req.query, version }),
        FINE_SPEC,
        req.query.format,
      );
    },
  );
}
