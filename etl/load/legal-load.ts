/**
 * Citations and fine clauses of one list version, derived from its items' 实施依据 and stored
 * in the caller's transaction (the list load, or the ETL's catch-up for versions loaded before
 * this derivation existed). Instrument ids are resolved against the registry as loaded now and
 * refreshed on every registry load; statuses are never stored (they depend on "today").
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { basisRecords, type BasisItem } from '../legal/basis-records.ts';

export interface LegalDeriveInput {
  bureauId: string;
  versionId: number;
  sourceFile: string;
  items: readonly BasisItem[];
}

export async function deriveLegal(tx: Kysely<Database>, input: LegalDeriveInput): Promise<{ citations: number; fineClauses: number }> {
  const key = { bureau_id: input.bureauId, version_id: input.versionId };
  const { citations, fines } = basisRecords(input.items, input.sourceFile);
  await tx.deleteFrom('citation').where('bureau_id', '=', key.bureau_id).where('version_id', '=', key.version_id).execute();
  await tx.deleteFrom('fine_clause').where('bureau_id', '=', key.bureau_id).where('version_id', '=', key.version_id).execute();
  for (let i = 0; i < citations.length; i += 500) {
    await tx
      .insertInto('citation')
      .values(
        citations.slice(i, i + 500).map((c) => ({
          ...key,
          seq: c.seq,
          citation_no: c.citation_no,
          list_no: c.list_no,
          title: c.title,
          cited_title: c.cited_title,
          title_key: c.title_key,
          form: c.form,
          notice_title: c.notice_title,
          instrument_id: null,
          doc_numbers: c.doc_numbers,
          claimed_version_date: c.claimed_version_date,
          stated_dates: c.stated_dates,
          articles: c.articles,
          passage: c.passage,
          source_lines: c.source_lines,
        })),
      )
      .execute();
  }
  for (let i = 0; i < fines.length; i += 500) {
    await tx
      .insertInto('fine_clause')
      .values(fines.slice(i, i + 500).map((f) => ({ ...key, ...f })))
      .execute();
  }
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
