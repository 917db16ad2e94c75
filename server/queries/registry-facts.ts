import type { Db } from '../../db/connect.ts';
import type { RegistryInstrumentFact } from '../../etl/legal/citation-status.ts';

/** A registry instrument's facts as the status rules read them, plus what the tables show beside them. */
export type RegistryEntry = RegistryInstrumentFact & { kind: string; source_line: number | null };

/** The instrument registry as loaded (shared by every bureau), by instrument id, events in order. */
export async function registryFacts(db: Db): Promise<Map<string, RegistryEntry>> {
  const [instruments, events] = await Promise.all([
    db.kysely.selectFrom('instrument').selectAll().execute(),
    db.kysely.selectFrom('instrument_event').selectAll().orderBy('instrument_id').orderBy('event_no').execute(),
  ]);
  const map = new Map<string, RegistryEntry>();
  for (const i of instruments) {
    map.set(i.instrument_id, {
      id: i.instrument_id,
      title: i.title,
      kind: i.kind,
      status: i.status,
      replaced_by: i.replaced_by,
      replaced_on: i.replaced_on,
      doc_number: i.doc_number,
      source: i.source,
      source_line: i.source_line,
      events: [],
    });
  }
  for (const e of events) {
    map.get(e.instrument_id)?.events.push({
      event: e.event,
      date: e.event_date,
      by: e.by_text,
      ordinal: e.ordinal,
      doc_number: e.doc_number,
      source: e.source,
      verified: e.verified,
    });
  }
  return map;
}
