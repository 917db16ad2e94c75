/** The registry as the status computation reads it, from the parsed YAML. */
import type { Instrument } from '../registry/instruments.ts';
import type { RegistryInstrumentFact } from './citation-status.ts';

export function instrumentFacts(inst: Instrument): RegistryInstrumentFact {
  return {
    id: inst.id,
    title: inst.title,
    status: inst.status,
    replaced_by: inst.replaced_by ?? null,
    replaced_on: inst.replaced_on ?? null,
    doc_number: inst.doc_number ?? null,
    source: inst.source ?? null,
    events: inst.events.map((e) => ({
      event: e.event,
      date: e.date,
      by: e.by ?? null,
      ordinal: e.ordinal ?? null,
      doc_number: e.doc_number ?? null,
      source: e.source ?? null,
      verified: e.source !== undefined,
    })),
  };
}

export function registryFacts(instruments: readonly Instrument[]): Map<string, RegistryInstrumentFact> {
  return new Map(instruments.map((i) => [i.id, instrumentFacts(i)]));
}
