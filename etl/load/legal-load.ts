/**
 * Citations and fine clauses of one list version (derived by etl/derive/list-derived.ts), stored
 * in the caller's transaction (the list load, or the ETL's catch-up for versions loaded before
 * this derivation existed). Instrument ids are resolved against the registry as loaded now and
 * refreshed on every registry load; statuses are never stored (they depend on "today").
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DerivedList } from '../derive/list-derived.ts';
import { insertRows } from '../../db/insert-rows.ts';
import { registryIndex, resolveCitation } from '../registry/instruments.ts';

export interface LegalKey {
  bureau_id: string;
  version_id: number;
}

/** Replaces the citations and fine clauses of one list version with the ones derived from it. */
export async function writeLegal(
  tx: Kysely<Database>,
  key: LegalKey,
  records: Pick<DerivedList, 'citations' | 'fines'>,
): Promise<{ citations: number; fineClauses: number }> {
  const { citations, fines } = records;
  await tx
    .deleteFrom('citation')
    .where('bureau_id', '=', key.bureau_id)
    .where('version_id', '=', key.version_id)
    .execute();
  await tx
    .deleteFrom('fine_clause')
    .where('bureau_id', '=', key.bureau_id)
    .where('version_id', '=', key.version_id)
    .execute();
  await insertRows(
    tx,
    'citation',
    citations.map((c) => ({ ...key, ...c, instrument_id: null })),
  );
  await insertRows(
    tx,
    'fine_clause',
    fines.map((f) => ({ ...key, ...f })),
  );
  await resolveInstruments(tx, key);
  await tx
    .insertInto('legal_derivation')
    .values({ ...key, citations: citations.length, fine_clauses: fines.length })
    .onConflict((oc) =>
      oc.columns(['bureau_id', 'version_id']).doUpdateSet({ citations: citations.length, fine_clauses: fines.length }),
    )
    .execute();
  return { citations: citations.length, fineClauses: fines.length };
}

/**
 * Points citations at the registry entry they name (null when none does): by title or alias, a
 * cut title by its unique prefix, else by a doc number the registry records (resolveCitation).
 */
export async function resolveInstruments(
  tx: Kysely<Database>,
  scope?: { bureau_id: string; version_id: number },
): Promise<void> {
  const [aliases, instruments, events] = await Promise.all([
    tx.selectFrom('instrument_alias').select(['instrument_id', 'alias']).execute(),
    tx.selectFrom('instrument').select(['instrument_id', 'doc_number']).execute(),
    tx
      .selectFrom('instrument_event')
      .select(['instrument_id', 'doc_number'])
      .where('doc_number', 'is not', null)
      .execute(),
  ]);
  const index = registryIndex(
    instruments.map((i) => ({
      id: i.instrument_id,
      names: aliases.filter((a) => a.instrument_id === i.instrument_id).map((a) => a.alias),
      doc_numbers: [
        i.doc_number,
        ...events.filter((e) => e.instrument_id === i.instrument_id).map((e) => e.doc_number),
      ],
    })),
  );
  let q = tx
    .selectFrom('citation')
    .select([
      'bureau_id',
      'version_id',
      'seq',
      'citation_no',
      'title_key',
      'title_quality',
      'doc_numbers',
      'instrument_id',
    ]);
  if (scope) q = q.where('bureau_id', '=', scope.bureau_id).where('version_id', '=', scope.version_id);
  for (const c of await q.execute()) {
    const id = resolveCitation(index, c);
    if (id === c.instrument_id) continue;
    await tx
      .updateTable('citation')
      .set({ instrument_id: id })
      .where('bureau_id', '=', c.bureau_id)
      .where('version_id', '=', c.version_id)
      .where('seq', '=', c.seq)
      .where('citation_no', '=', c.citation_no)
      .execute();
  }
}
