import type { FastifyInstance, FastifyReply } from 'fastify';
import { sheetBytes } from '../../etl/export/export-sheet.ts';
import { XLSX_TYPE } from '../../etl/export/sheet-write.ts';
import type { AppDeps } from '../app-deps.ts';
import { resolveVersion, versionSchema } from './version.ts';

/** An attachment name that survives any browser: ASCII fallback plus the UTF-8 name. */
export function attachment(reply: FastifyReply, name: string, ascii: string) {
  return reply.header(
    'content-disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
}

/** The cleaned list as the bureau's clean sheet (README "Clean sheet"): xlsx or CSV. */
export function exportRoutes(app: FastifyInstance, { db, now = () => new Date() }: AppDeps) {
  for (const format of ['xlsx', 'csv'] as const) {
    app.get<{ Querystring: { version?: number } }>(
      `/api/items/export.${format}`,
      { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...versionSchema } } } },
      async (req, reply) => {
        const version = await resolveVersion(db, req.bureauId, req.query.version);
        const bytes = await sheetBytes(db, req.bureauId, version, format, now());
        attachment(reply, `权责清单-第${version}版.${format}`, `list-v${version}.${format}`);
        return reply.type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8').send(bytes);
      },
    );
  }
}
