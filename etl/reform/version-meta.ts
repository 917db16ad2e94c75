/**
 * Label and effective date of a list version (e.g. 2024年版, 2024-01-01). Loading never
 * overwrites a version; re-loading the same file only re-labels the version it already is.
 */
import type { Db } from '../../db/connect.ts';
import { parseIsoDate } from '../calendar/civil-date.ts';

export interface VersionMeta {
  label?: string;
  /** YYYY-MM-DD */
  effectiveDate?: string;
  /** The list's own date (published or adopted), YYYY-MM-DD: what statuses "as of the list's date" use. */
  listDate?: string;
}

/** Checks a YYYY-MM-DD that is a real calendar date; returns a message when it is not. */
export function checkEffectiveDate(text: string, what = 'effective date'): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return `${what} must be YYYY-MM-DD, got "${text}"`;
  return parseIsoDate(text) === null ? `${what} ${text} is not a calendar date` : null;
}

export async function setVersionMeta(db: Db, bureauId: string, versionId: number, meta: VersionMeta): Promise<void> {
  const set: { label?: string; effective_date?: string; list_date?: string } = {};
  if (meta.label) set.label = meta.label;
  if (meta.effectiveDate) set.effective_date = meta.effectiveDate;
  if (meta.listDate) set.list_date = meta.listDate;
  if (!Object.keys(set).length) return;
  await db.kysely
    .updateTable('list_version')
    .set(set)
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .execute();
}
