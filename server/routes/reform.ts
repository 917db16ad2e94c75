import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { readVersionList } from '../../etl/export/version-list.ts';
import { XLSX_TYPE } from '../../etl/export/sheet-write.ts';
import { buildReform, type ReformReport, type VersionInfo } from '../../etl/reform/report-data.ts';
import { reportHtml } from '../../etl/reform/report-html.ts';
import { reportWorkbook } from '../../etl/reform/report-workbook.ts';
import { CHANGE_KINDS, CHANGE_LABELS } from '../../etl/reform/types.ts';
import type { AppDeps } from '../app-deps.ts';
import type { Db } from '../../db/connect.ts';
import { HttpError } from '../http-error.ts';
import { formatSchema, sendTable, type Format } from '../table-reply.ts';
import { attachment } from './export.ts';

const pairSchema = { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } } as const;
type PairQuery = { from?: number; to?: number };

const VERSIONS_SPEC = { version_id: 'int', label: 'string', effective_date: 'string', source_kind: 'string', source_file: 'string', item_count: 'int' } as const;
const DIFF_SPEC = {
  kind: 'string', kind_label: 'string', from_seq: 'int', to_seq: 'int', from_seqs: 'string', to_seqs: 'string',
  code_before: 'string', code_after: 'string', name_before: 'string', name_after: 'string',
  before: 'string', after: 'string', detail: 'string', method: 'string', score: 'float',
} as const;
const SUMMARY_SPEC = { dimension: 'string', category: 'string', label: 'string', from_items: 'int', to_items: 'int', delta: 'int', changes: 'int' } as const;
const ITEM_SPEC = {
  version_id: 'int', seq: 'int', code: 'string', name: 'string', power_type: 'string', section: 'string', subject: 'string', level: 'string',
  basis: 'string', duties: 'string', accountability: 'string', sub_items: 'string',
} as const;

async function versionRows(db: Db, bureauId: string) {
  return db.kysely
    .selectFrom('list_version')
    .select(['version_id', 'label', sql<string | null>`to_char(effective_date, 'YYYY-MM-DD')`.as('effective_date'), 'source_kind', 'source_file', 'item_count', 'title'])
    .where('bureau_id', '=', bureauId)
    .orderBy('version_id')
    .execute();
}

/** The two versions compared: as asked, else `to` = latest and `from` = the version before `to`. */
export async function resolvePair(db: Db, bureauId: string, q: PairQuery) {
  const versions = await versionRows(db, bureauId);
  const ids = versions.map((v) => v.version_id);
  const hint = `loaded versions: ${ids.join(', ') || 'none'} (GET /api/reform/versions)`;
  for (const k of ['from', 'to'] as const) {
    if (q[k] !== undefined && !ids.includes(q[k]!)) throw new HttpError(400, `${k}=${q[k]}: no such list version; ${hint}`);
  }
  const to = q.to ?? ids.at(-1);
  const from = q.from ?? ids.filter((id) => to !== undefined && id < to).at(-1);
  if (to === undefined || from === undefined) {
    throw new HttpError(400, `comparing needs two list versions; ${hint}. Load another with npm run etl -- load FILE --label 2025年版`);
  }
  if (from === to) throw new HttpError(400, `from and to are both version ${from}; pick two different versions`);
  return { from: versions.find((v) => v.version_id === from)!, to: versions.find((v) => v.version_id === to)! };
}

async function loadReport(deps: AppDeps, q: PairQuery): Promise<ReformReport> {
  const { db, bureauId } = deps;
  const pair = await resolvePair(db, bureauId, q);
  const info = async (v: (typeof pair)['from']): Promise<VersionInfo> => ({
    versionId: v.version_id,
    label: v.label,
    effectiveDate: v.effective_date,
    title: v.title,
    items: (await readVersionList(db, bureauId, v.version_id)).items,
  });
  const bureau = await db.kysely.selectFrom('bureau').select('name').where('bureau_id', '=', bureauId).executeTakeFirst();
  return buildReform(bureau?.name ?? bureauId, await info(pair.from), await info(pair.to), (deps.now ?? (() => new Date()))());
}

const setPairHeaders = (reply: { header(k: string, v: string): unknown }, r: ReformReport) => {
  reply.header('x-reform-from', String(r.from.versionId));
  reply.header('x-reform-to', String(r.to.versionId));
};

/** 年度调整: what changed between two list versions, and the report to hand in. */
export function reformRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db, bureauId } = deps;
  const query = (extra: Record<string, unknown> = {}) => ({ querystring: { type: 'object', additionalProperties: false, properties: { ...pairSchema, ...extra } } });

  app.get<{ Querystring: { format?: Format } }>(
    '/api/reform/versions',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...formatSchema } } } },
    async (req, reply) => sendTable(reply, await versionRows(db, bureauId), VERSIONS_SPEC, req.query.format),
  );

  app.get<{ Querystring: PairQuery & { format?: Format; kind?: string } }>(
    '/api/reform/diff',
    { schema: query({ ...formatSchema, kind: { type: 'string', enum: [...CHANGE_KINDS] } }) },
    async (req, reply) => {
      const r = await loadReport(deps, req.query);
      setPairHeaders(reply, r);
      const rows = r.changes
        .filter((c) => !req.query.kind || c.kind === req.query.kind)
        .map((c) => ({
          ...c,
          kind_label: CHANGE_LABELS[c.kind],
          from_seq: c.from_seqs[0] ?? null,
          to_seq: c.to_seqs[0] ?? null,
          from_seqs: c.from_seqs.join(','),
          to_seqs: c.to_seqs.join(','),
        }));
      return sendTable(reply, rows, DIFF_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: PairQuery & { format?: Format; dimension?: string } }>(
    '/api/reform/summary',
    { schema: query({ ...formatSchema, dimension: { type: 'string', enum: ['power_type', 'section', 'change_kind'] } }) },
    async (req, reply) => {
      const r = await loadReport(deps, req.query);
      setPairHeaders(reply, r);
      const rows = [
        ...r.counts.map((c) => ({ ...c, label: c.category, changes: null })),
        ...r.kinds.map((k) => ({ dimension: 'change_kind', category: k.kind, label: k.label, from_items: null, to_items: null, delta: null, changes: k.changes })),
      ].filter((row) => !req.query.dimension || row.dimension === req.query.dimension);
      return sendTable(reply, rows, SUMMARY_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: { version: number; seq: number; format?: Format } }>(
    '/api/reform/item',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, required: ['version', 'seq'], properties: { ...formatSchema, version: { type: 'integer', minimum: 1 }, seq: { type: 'integer', minimum: 1 } } },
      },
    },
    async (req, reply) => {
      const { version, seq } = req.query;
      const found = await db.kysely.selectFrom('list_version').select('version_id').where('bureau_id', '=', bureauId).where('version_id', '=', version).executeTakeFirst();
      if (!found) throw new HttpError(400, `version=${version}: no such list version (GET /api/reform/versions)`);
      const it = (await readVersionList(db, bureauId, version)).items.find((x) => x.seq === seq);
      if (!it) throw new HttpError(404, `version ${version} has no item with 序号 ${seq}`);
      const row = { ...it, version_id: version, code: it.code ?? it.code_read, sub_items: it.sub_items.map((s) => `${s.name}${s.code ? `（${s.code}）` : ''}`).join('；') };
      return sendTable(reply, [row], ITEM_SPEC, req.query.format);
    },
  );

  app.get<{ Querystring: PairQuery }>('/api/reform/report.xlsx', { schema: query() }, async (req, reply) => {
    const r = await loadReport(deps, req.query);
    attachment(reply, `权责清单动态调整报告-第${r.from.versionId}版至第${r.to.versionId}版.xlsx`, `reform-v${r.from.versionId}-v${r.to.versionId}.xlsx`);
    return reply.type(XLSX_TYPE).send(await reportWorkbook(r));
  });

  app.get<{ Querystring: PairQuery }>('/api/reform/report.html', { schema: query() }, async (req, reply) => {
    const r = await loadReport(deps, req.query);
    return reply.type('text/html; charset=utf-8').send(reportHtml(r));
  });
}
