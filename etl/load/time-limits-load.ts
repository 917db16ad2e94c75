/**
 * Loads data/time-limits.yaml into time_limit, replacing the previous registry in one
 * transaction, and reads it back as TimeLimit entries for the resolver.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../registry/time-limits.ts';
import type { TimeLimit } from '../registry/time-limits.ts';
import type { CaseStage } from '../parse/case-csv.ts';

export async function loadTimeLimits(db: Db, limits: readonly TimeLimit[], sourceFile: string): Promise<number> {
  await db.kysely.transaction().execute(async (tx) => {
    await tx.deleteFrom('time_limit').execute();
    if (limits.length === 0) return;
    await tx
      .insertInto('time_limit')
      .values(
        limits.map((l) => ({
          limit_id: l.id,
          applies_to: sql`${JSON.stringify(l.applies_to)}::jsonb`,
          span_from: l.span.from,
          span_to: l.span.to,
          days: l.days,
          unit: l.unit,
          applies_from: l.applies_from?.date ?? null,
          applies_from_source: l.applies_from
            ? sql`${JSON.stringify({ article: l.applies_from.article, checked_at: l.applies_from.checked_at })}::jsonb`
            : null,
          extension_days: l.extension?.days ?? null,
          extension_unit: l.extension?.unit ?? null,
          extension_approval: l.extension?.approval ?? null,
          note: l.note ?? null,
          instrument: l.source.instrument,
          article: l.source.article,
          checked_at: l.source.checked_at,
          verified: l.verified,
          source_file: sourceFile,
          source_line: l.line,
        })),
      )
      .execute();
  });
  return limits.length;
}

export async function loadTimeLimitsFile(db: Db, path: string): Promise<number> {
  const limits = timeLimitsOrThrow(parseTimeLimits(await readFile(path, 'utf8'), basename(path)));
  return loadTimeLimits(db, limits, basename(path));
}

/** The registry as loaded, in file order, shaped as the resolver expects. */
export async function readTimeLimits(db: Pick<Db, 'kysely'>): Promise<TimeLimit[]> {
  const rows = await db.kysely.selectFrom('time_limit').selectAll().orderBy('source_line').execute();
  return rows.map((r) => ({
    id: r.limit_id,
    applies_to: r.applies_to as TimeLimit['applies_to'],
    span: { from: r.span_from as CaseStage, to: r.span_to as CaseStage },
    days: r.days,
    unit: r.unit as TimeLimit['unit'],
    extension:
      r.extension_days === null
        ? null
        : { days: r.extension_days, unit: r.extension_unit as TimeLimit['unit'], approval: r.extension_approval ?? '' },
    ...(r.note === null ? {} : { note: r.note }),
    ...(r.applies_from === null
      ? {}
      : {
          applies_from: {
            date: r.applies_from,
            ...(r.applies_from_source as { article: string; checked_at: string[] }),
          },
        }),
    source: { instrument: r.instrument, article: r.article, checked_at: r.checked_at },
    verified: r.verified,
    line: r.source_line,
  }));
}
