import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';
import { registryFacts } from './registry-facts.ts';
import { citedVersion } from '../../etl/legal/citation-status.ts';

export const INSTRUMENT_SPEC = {
  instrument_id: 'string',
  title: 'string',
  kind: 'string',
  issuer: 'string',
  doc_number: 'string',
  status: 'string',
  replaced_by: 'string',
  replaced_on: 'string',
  in_registry: 'bool',
  versions: 'int',
  latest_version_date: 'string',
  latest_version_event: 'string',
  latest_version_verified: 'bool',
  dated_facts: 'int',
  unverified_facts: 'int',
  verified: 'bool',
  source: 'string',
  citations: 'int',
  citing_items: 'int',
  versions_in_list: 'string',
  several_versions: 'bool',
  registry_line: 'int',
} as const satisfies TableSpec;

export type InstrumentRow = RowOf<typeof INSTRUMENT_SPEC>;

/** Nothing known beyond the cited title: the columns of an instrument the registry lacks. */
const UNREGISTERED = {
  kind: null,
  issuer: null,
  doc_number: null,
  replaced_by: null,
  replaced_on: null,
  versions: null,
  latest_version_date: null,
  latest_version_event: null,
  latest_version_verified: null,
  dated_facts: null,
  unverified_facts: null,
  verified: null,
  source: null,
  registry_line: null,
  versions_in_list: null,
  several_versions: null,
} as const;

/** The registry with how often this list version cites each entry; unregistered titles follow. */
export async function instrumentRows(
  db: Db,
  bureauId: string,
  { version }: { version: number },
): Promise<InstrumentRow[]> {
  const [registry, instruments, counts, claimed] = await Promise.all([
    registryFacts(db),
    db.kysely.selectFrom('instrument').selectAll().orderBy('instrument_id').execute(),
    db.kysely
      .selectFrom('citation')
      .select([
        'instrument_id',
        sql<string>`min(cited_title)`.as('cited_title'),
        sql<number>`count(*)::int`.as('citations'),
        sql<number>`count(DISTINCT seq)::int`.as('citing_items'),
      ])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .groupBy(['instrument_id', sql`CASE WHEN instrument_id IS NULL THEN title_key END`])
      .execute(),
    db.kysely
      .selectFrom('citation')
      .select(['instrument_id', 'claimed_version_date'])
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .where('instrument_id', 'is not', null)
      .where('claimed_version_date', 'is not', null)
      .execute(),
  ]);
  // "The list cites this instrument in several versions": the versions its dated citations fall in.
  const versionsOf = new Map<string, Set<string>>();
  for (const c of claimed) {
    const facts = registry.get(c.instrument_id!);
    if (!facts) continue;
    versionsOf.set(
      c.instrument_id!,
      (versionsOf.get(c.instrument_id!) ?? new Set<string>()).add(citedVersion(facts, c.claimed_version_date!)),
    );
  }
  const countOf = new Map(counts.filter((c) => c.instrument_id !== null).map((c) => [c.instrument_id!, c]));
  const rows = instruments.map((i) => {
    const facts = registry.get(i.instrument_id)!;
    const versions = facts.events
      .filter((e) => e.event === 'amended' || e.event === 'revised')
      .sort((a, b) => (a.date < b.date ? -1 : 1));
    const latest = versions.at(-1);
    return {
      ...i,
      in_registry: true,
      versions: versions.length + 1,
      latest_version_date: latest?.date ?? null,
      latest_version_event: latest?.event ?? null,
      latest_version_verified: latest?.verified ?? null,
      dated_facts: facts.events.length,
      unverified_facts: facts.events.filter((e) => !e.verified).length,
      citations: countOf.get(i.instrument_id)?.citations ?? 0,
      citing_items: countOf.get(i.instrument_id)?.citing_items ?? 0,
      versions_in_list: [...(versionsOf.get(i.instrument_id) ?? [])].sort(),
      several_versions: (versionsOf.get(i.instrument_id)?.size ?? 0) > 1,
      registry_line: i.source_line,
    } satisfies InstrumentRow;
  });
  rows.sort((a, b) => b.citations - a.citations || a.instrument_id.localeCompare(b.instrument_id));
  const unknown = counts
    .filter((c) => c.instrument_id === null)
    .map(
      (c) =>
        ({
          ...UNREGISTERED,
          instrument_id: null,
          title: c.cited_title,
          in_registry: false,
          status: 'unknown',
          citations: c.citations,
          citing_items: c.citing_items,
        }) satisfies InstrumentRow,
    )
    .sort((a, b) => b.citations - a.citations || a.title.localeCompare(b.title));
  return [...rows, ...unknown];
}
