/**
 * Citations and fine clauses of one list version (derived by etl/derive/list-derived.ts), stored
 * in the caller's transaction (the list load, or the ETL's catch-up for versions loaded before
 * this derivation existed). Instrument ids are resolved against the registry as loaded now and
 * refreshed on every registry load; statuses are never stored (they depend on "today").
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DerivedList } from '../derive/list-derived.ts';
import { insertRows } from '../../db/insert-rows.ts';

export interface LegalKey {
  bureau_id: string;
  version_id: number;
}

/** Replaces the citations and fine clauses of one list version with the ones derived from it. */
export async function writeLegal(tx: Kysely<Database>, key: LegalKey, records: Pick<DerivedList, 'citations' | 'fines'>): Promise<{ citations: number; fineClauses: number }> {
  const { citations, fines } = records;
  await tx.deleteFrom('citation').where('bureau_id', '=', key.bureau_id).where('version_id', '=', key.version_id).execute();
  await tx.deleteFrom('fine_clause').where('bureau_id', '=', key.bureau_id).where('version_id', '=', key.version_id).execute();
  await insertRows(tx, 'citation', citations.map((c) => ({ ...key, ...c, instrument_id: null })));
  await insertRows(tx, 'fine_clause', fines.map((f) => ({ ...key, ...f })));
  await resolveInstruments(tx, key);
  await tx
    .insertInto('legal_derivation')
    .values({ ...key, citations: citations.length, fine_clauses: fines.length })
    .onConflict((oc) => oc.columns(['bureau_id', 'version_id']).doUpdateSet({ citations: citations.length, fine_clauses: fines.length }))
    .execute();
  return { citations: citations.length, fineClauses: fines.length };
}

/** Points citations at the registry entry their title or alias names (null when none does). */
export async function resolveInstruments(tx: Kysely<Database>, scope?: { bureau_id: string; version_id: number }): Promise<void> {
  let q = tx.updateTable('citation').set({
    instrument_id: sql<string | null>`(SELECT a.instrument_id FROM instrument_alias a WHERE a.title_key = citation.title_key)`,
  });
  if (scope) q = q.where('bureau_id', '=', scope.bureau_id).where('version_id', '=', scope.version_id);
  await q.execute();
}
