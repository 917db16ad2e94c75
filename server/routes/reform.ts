import type { FastifyInstance } from 'fastify';
import { XLSX_TYPE } from '../../etl/export/sheet-write.ts';
import type { ReformReport } from '../../etl/reform/report-data.ts';
import { reportHtml } from '../../etl/reform/report-html.ts';
import { reportWorkbook } from '../../etl/reform/report-workbook.ts';
import { CHANGE_KINDS, type ChangeKind } from '../../etl/reform/types.ts';
import type { AppDeps } from '../app-deps.ts';
import type { Db } from '../../db/connect.ts';
import { HttpError } from '../http-error.ts';
import {
  DIFF_SPEC,
  REFORM_ITEM_SPEC,
  SUMMARY_SPEC,
  VERSIONS_SPEC,
  diffRows,
  listVersions,
  reformItem,
  reformReport,
  summaryRows,
} from '../queries/reform.ts';
import { versionExists } from '../queries/versions.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { attachment } from './export.ts';
import { int4 } from './params.ts';

const pairSchema = { from: int4(), to: int4() } as const;
type PairQuery = { from?: number; to?: number };

/** The two versions compared: as asked, else `to` = latest and `from` = the version before `to`. */
export async function resolvePair(db: Db, bureauId: string, q: PairQuery) {
  const versions = await listVersions(db, bureauId);
  const ids = versions.map((v) => v.version_id);
  const hint = `loaded versions: ${ids.join(', ') || 'none'} (GET /api/reform/versions)`;
  for (const k of ['from', 'to'] as const) {
    if (q[k] !== undefined && !ids.includes(q[k]!))
      throw new HttpError(400, `${k}=${q[k]}: no such list version; ${hint}`);
  }
  const to = q.to ?? ids.at(-1);
  const from = q.from ?? ids.filter((id) => to !== undefined && id < to).at(-1);
  if (to === undefined || from === undefined) {
    throw new HttpError(
      400,
      `comparing needs two list versions; ${hint}. Load another with npm run etl -- load FILE --label 2025年版`,
    );
  }
  if (from === to) throw new HttpError(400, `from and to are both version ${from}; pick two different versions`);
  return { from: versions.find((v) => v.version_id === from)!, to: versions.find((v) => v.version_id === to)! };
}

async function loadReport(deps: AppDeps, bureauId: string, q: PairQuery): Promise<ReformReport> {
  const pair = await resolvePair(deps.db, bureauId, q);
  return reformReport(deps.db, bureauId, { ...pair, now: (deps.now ?? (() => new Date()))() });
}

const setPairHeaders = (reply: { header(k: string, v: string): unknown }, r: ReformReport) => {
  reply.header('x-reform-from', String(r.from.versionId));
  reply.header('x-reform-to', String(r.to.versionId));
};

/** 年度调整: what changed between two list versions, and the report to hand in. */
export function reformRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db } = deps;
  const query = (extra: Record<string, unknown> = {}) => ({
    querystring: { type: 'object', additionalProperties: false, properties: { ...pairSchema, ...extra } },
  });

  app.get<{ Querystring: { format?: Format } }>(
    '/api/reform/versions',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) => sendTable(reply, await listVersions(db, req.bureauId), VERSIONS_SPEC, req.query.format),
  );

  app.get<{ Querystring: PairQuery & { format?: Format; kind?: ChangeKind } }>(
    '/api/reform/diff',
    { schema: query({ ...formatSchema, kind: { type: 'string', enum: [...CHANGE_KINDS] } }) },
    async (req, reply) => {
      const r = await loadReport(deps, req.bureauId, req.query);
      setPairHeaders(reply, r);
      return sendTable(reply, diffRows(r, req.query.kind), DIFF_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: PairQuery & { format?: Format; dimension?: string } }>(
    '/api/reform/summary',
    {
      schema: query({ ...formatSchema, dimension: { type: 'string', enum: ['power_type', 'section', 'change_kind'] } }),
    },
    async (req, reply) => {
      const r = await loadReport(deps, req.bureauId, req.query);
      setPairHeaders(reply, r);
      return sendTable(reply, summaryRows(r, req.query.dimension), SUMMARY_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { version: number; seq: number; format?: Format } }>(
    '/api/reform/item',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['version', 'seq'],
          properties: { ...formatSchema, version: int4(), seq: int4() },
        },
      },
    },
    async (req, reply) => {
      const { version, seq } = req.query;
      if (!(await versionExists(db, req.bureauId, { version })))
        throw new HttpError(400, `version=${version}: no such list version (GET /api/reform/versions)`);
      const row = await reformItem(db, req.bureauId, { version, seq });
      if (!row) throw new HttpError(404, `version ${version} has no item with 序号 ${seq}`);
      return sendTable(reply, [row], REFORM_ITEM_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: PairQuery }>('/api/reform/report.xlsx', { schema: query() }, async (req, reply) => {
    const r = await loadReport(deps, req.bureauId, req.query);
    attachment(
      reply,
      `权责清单动态调整报告-第${r.from.versionId}版至第${r.to.versionId}版.xlsx`,
      `reform-v${r.from.versionId}-v${r.to.versionId}.xlsx`,
    );
    return reply.type(XLSX_TYPE).send(await reportWorkbook(r));
  });

  app.get<{ Querystring: PairQuery }>('/api/reform/report.html', { schema: query() }, async (req, reply) => {
    const r = await loadReport(deps, req.bureauId, req.query);
    return reply.type('text/html; charset=utf-8').send(reportHtml(r));
  });
}
