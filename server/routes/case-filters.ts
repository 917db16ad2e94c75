import type { FastifyReply, FastifyRequest } from 'fastify';
import { POWER_TYPES } from '../../etl/parse/list-types.ts';
import type { Db } from '../../db/connect.ts';
import { HttpError } from '../http-error.ts';
import { sectionsWithCases, type Filters } from '../queries/case-filters.ts';
import { aggregateStamp } from '../queries/case-meta.ts';
import {
  ARROW_STREAM,
  formatSchema,
  sendTable,
  toArrowIpc,
  type Format,
  type RowOf,
  type TableSpec,
} from '../table-reply.ts';

/** The plumbing shared by the case endpoints: filter schema and checks, and the answer cache. */
export type { Filters };

export const str = { type: 'string', maxLength: 200 } as const;
const filterSchema = {
  ...formatSchema,
  from: str,
  to: str,
  section: str,
  power_type: str,
  item: str,
  per: { type: 'string', enum: ['month', 'window'] },
};
export const querystring = (extra: Record<string, unknown> = {}) => ({
  schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...filterSchema, ...extra } } },
});

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const ITEM_RE = /^[0-9A-Za-z]{1,40}$/;

/** Checks a month window: each month written YYYY-MM, from not after to. */
export function checkMonths(q: { from?: string; to?: string; month?: string }): void {
  for (const key of ['from', 'to', 'month'] as const) {
    const v = q[key];
    if (v !== undefined && !MONTH_RE.test(v))
      throw new HttpError(400, `${key} must be a month written YYYY-MM (e.g. 2024-03), got "${v}"`);
  }
  if (q.from && q.to && q.from > q.to) throw new HttpError(400, `from (${q.from}) is after to (${q.to}); swap them`);
}

/** Checks the filters a request gives; every refusal says what would be accepted. */
export async function checkFilters(db: Db, bureauId: string, q: Filters & { month?: string }): Promise<void> {
  checkMonths(q);
  if (q.power_type !== undefined && !(POWER_TYPES as readonly string[]).includes(q.power_type)) {
    throw new HttpError(400, `power_type must be one of ${POWER_TYPES.join(', ')}; got "${q.power_type}"`);
  }
  if (q.item !== undefined && !ITEM_RE.test(q.item))
    throw new HttpError(400, `item must be an item code (letters and digits), got "${q.item}"`);
  if (q.section !== undefined) {
    const names = await sectionsWithCases(db, bureauId);
    if (!names.includes(q.section)) {
      throw new HttpError(
        400,
        `section "${q.section}" has no cases; sections with cases: ${names.length ? names.join(', ') : '(none loaded yet)'}`,
      );
    }
  }
}

export interface TableAnswer {
  rows: readonly RowOf<TableSpec>[];
  spec: TableSpec;
}

/** An answer whose rows are checked against its spec. */
export const answer = <S extends TableSpec>(rows: readonly NoInfer<RowOf<S>>[], spec: S): TableAnswer => ({
  rows,
  spec,
});

/**
 * Answers are cached per process by URL (format aside) and reused while the aggregates are the
 * same: every request first reads the refresh stamp (one indexed row), so a refresh by any
 * process, or a calendar reload, is seen at once. Bounded; oldest entries go first. Concurrent
 * identical requests wait for one computation rather than each running it.
 *
 * On PGlite a load holds the one connection for its whole transaction. What readers may see
 * meanwhile is what was committed before it, which is the stamp last read (this process owns the
 * database): when the reading has not come back within STAMP_WAIT_MS, that stamp is used, so an
 * answer already cached is served at once instead of after the load.
 */
const CACHE_LIMIT = 500;
const STAMP_WAIT_MS = 100;
type CacheEntry = { stamp: string; answer: TableAnswer; arrow?: Buffer };

export type TableCache = ReturnType<typeof tableCache>;

export function tableCache(db: Db) {
  const cache = new Map<string, CacheEntry>();
  const inflight = new Map<string, Promise<CacheEntry>>();
  // Requests for a bureau arriving while its stamp is being read share that reading (under 50
  // clients, one round trip instead of fifty); it started at most one round trip before them.
  const stamps = new Map<string, Promise<string>>();
  const lastStamp = new Map<string, string>();
  const stampOf = (bureauId: string): Promise<string> => {
    let r = stamps.get(bureauId);
    if (!r) {
      r = aggregateStamp(db, bureauId)
        .then((stamp) => {
          lastStamp.set(bureauId, stamp);
          return stamp;
        })
        .finally(() => stamps.delete(bureauId));
      stamps.set(bureauId, r);
    }
    const last = lastStamp.get(bureauId);
    if (db.backend !== 'pglite' || last === undefined) return r;
    let timer: NodeJS.Timeout | undefined;
    const held = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(last), STAMP_WAIT_MS)));
    return Promise.race([r, held]).finally(() => clearTimeout(timer));
  };
  return <Q extends { format?: Format }>(compute: (req: FastifyRequest<{ Querystring: Q }>) => Promise<TableAnswer>) =>
    async (req: FastifyRequest<{ Querystring: Q }>, reply: FastifyReply) => {
      const params = Object.entries(req.query as Record<string, unknown>)
        .filter(([k]) => k !== 'format')
        .sort(([a], [b]) => a.localeCompare(b));
      const key = `${req.routeOptions.url}?${JSON.stringify(params)}`;
      const stamp = await stampOf(req.bureauId);
      const hit = cache.get(key);
      let entry = hit && hit.stamp === stamp ? hit : undefined;
      if (!entry) {
        // Identical requests arriving while the answer is being computed share that computation.
        const flight = `${stamp}\u0000${key}`;
        let pending = inflight.get(flight);
        if (!pending) {
          pending = compute(req)
            .then((answer) => {
              const e: CacheEntry = { stamp, answer };
              cache.delete(key);
              cache.set(key, e);
              if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
              return e;
            })
            .finally(() => inflight.delete(flight));
          inflight.set(flight, pending);
        }
        entry = await pending;
      }
      const format = (req.query as { format?: Format }).format ?? 'arrow';
      // The Arrow stream, the dashboard's format, is kept encoded.
      if (format === 'arrow')
        return reply
          .type(ARROW_STREAM)
          .send((entry.arrow ??= Buffer.from(toArrowIpc(entry.answer.rows, entry.answer.spec))));
      return sendTable(reply, entry.answer.rows, entry.answer.spec, format);
    };
}
