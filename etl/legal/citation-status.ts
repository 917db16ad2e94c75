/**
 * The status of each citation of one list against the instrument registry, as of a given date
 * (the list's own date, and "today" passed in by the caller). Pure: the registry arrives as
 * plain records, from data/instruments.yaml or from the database alike.
 *
 * A status is only as good as the registry facts it rests on: every status that depends on a
 * registry fact carries `verified` (false when any fact it needs has no public source); statuses
 * that rest on no registry fact (unknown, undated) carry null.
 *
 * "The list cites this instrument in several versions" is not a status: it is a flag on the
 * citations of the older versions (pointing at the items that cite the newest one), so an item
 * that cites the current text still reads `current`.
 */
import { parseDocNumbers } from '../parse/citation.ts';
import { comparePartial } from './partial-date.ts';

export const CITATION_STATUSES = ['current', 'outdated', 'repealed', 'unknown', 'undated'] as const;
export type CitationStatus = (typeof CITATION_STATUSES)[number];

export interface RegistryEventFact {
  event: 'adopted' | 'promulgated' | 'effective' | 'amended' | 'revised' | 'issued';
  date: string;
  by: string | null;
  ordinal: number | null;
  doc_number: string | null;
  source: string | null;
  verified: boolean;
}

export interface RegistryInstrumentFact {
  id: string;
  title: string;
  status: 'in_force' | 'repealed' | 'unknown';
  replaced_by: string | null;
  replaced_on: string | null;
  /** The instrument's own doc number (of its original text), when known. */
  doc_number?: string | null;
  /** Public source of the instrument-level facts (status, replacement); null = unverified. */
  source: string | null;
  events: RegistryEventFact[];
}

export interface CitationFact {
  /** Item of the list the citation belongs to. */
  seq: number;
  instrument_id: string | null;
  /** Latest version date the citation states (YYYY, YYYY-MM or YYYY-MM-DD), or null. */
  claimed_version_date: string | null;
  /** Doc numbers the citation states, normalised (国务院令第259号); optional. */
  doc_numbers?: readonly string[];
}

export interface VersionRef {
  date: string;
  event: 'amended' | 'revised';
  by: string | null;
  ordinal: number | null;
  source: string | null;
  verified: boolean;
}

export interface StatusAt {
  as_of: string;
  status: CitationStatus;
  /** null when the status rests on no registry fact. */
  verified: boolean | null;
  /** For outdated: the version in force at `as_of` (the latest newer one). */
  newer: VersionRef | null;
  /** How many newer versions existed at `as_of`. */
  newer_count: number;
  repealed_by: string | null;
  repealed_on: string | null;
}

/** A doc number the citation states that belongs to another instrument or another version. */
export interface DocNumberMismatch {
  doc_number: string;
  /** Title of the instrument the number belongs to (this one, for another version). */
  belongs_to: string;
  /** The version date the number belongs to, when it is another version of the same instrument. */
  belongs_to_version: string | null;
}

export interface CitationStatusResult {
  at_list: StatusAt;
  now: StatusAt;
  /** The list cites a newer version of this instrument elsewhere: this citation's version is older. */
  inconsistent: boolean;
  /** Items citing the newest version the list cites, when `inconsistent`. */
  newer_cited_by: number[];
  /** The version the claimed date falls in: the date of the amendment, or 'original'. */
  cited_version: string | null;
  /** Every version of this instrument the list cites (sorted), when more than one. */
  versions_in_list: string[];
  /** Whether the claimed date is a date the registry knows for this instrument. */
  claimed_date_in_registry: boolean | null;
  latest_version: VersionRef | null;
  doc_number_mismatch: DocNumberMismatch | null;
}

const isVersionEvent = (e: RegistryEventFact): e is RegistryEventFact & { event: 'amended' | 'revised' } =>
  e.event === 'amended' || e.event === 'revised';

const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function versionRef(e: RegistryEventFact & { event: 'amended' | 'revised' }): VersionRef {
  return { date: e.date, event: e.event, by: e.by, ordinal: e.ordinal, source: e.source, verified: e.verified };
}

/** The amendment the claimed date falls in (the latest one not after it), or 'original'. */
export function citedVersion(inst: RegistryInstrumentFact, claimed: string): string {
  const versions = inst.events.filter(isVersionEvent).sort(byDate);
  let key = 'original';
  for (const v of versions) if (comparePartial(v.date, claimed) <= 0) key = v.date;
  return key;
}

/** Amendments and revisions later than the claimed version and in existence at `asOf`. */
export function newerVersions(inst: RegistryInstrumentFact, claimed: string, asOf: string): VersionRef[] {
  return inst.events
    .filter(isVersionEvent)
    .filter((e) => comparePartial(e.date, claimed) > 0 && comparePartial(e.date, asOf) <= 0)
    .sort(byDate)
    .map(versionRef);
}

function statusAt(c: CitationFact, inst: RegistryInstrumentFact | undefined, asOf: string): StatusAt {
  const base: StatusAt = {
    as_of: asOf,
    status: 'current',
    verified: null,
    newer: null,
    newer_count: 0,
    repealed_by: null,
    repealed_on: null,
  };
  if (!inst) return { ...base, status: 'unknown' };
  const instVerified = inst.source !== null;
  if (inst.status === 'repealed' && (inst.replaced_on === null || comparePartial(inst.replaced_on, asOf) <= 0)) {
    return {
      ...base,
      status: 'repealed',
      verified: instVerified,
      repealed_by: inst.replaced_by,
      repealed_on: inst.replaced_on,
    };
  }
  const claimed = c.claimed_version_date;
  if (claimed === null) {
    // No version stated: only an instrument never amended by that date has one text to cite.
    const versions = inst.events.filter((e) => isVersionEvent(e) && comparePartial(e.date, asOf) <= 0);
    if (versions.length > 0) return { ...base, status: 'undated' };
    const facts = inst.events.filter((e) => comparePartial(e.date, asOf) <= 0);
    return {
      ...base,
      status: 'current',
      verified: instVerified && inst.status === 'in_force' && facts.length > 0 && facts.every((e) => e.verified),
    };
  }
  const newer = newerVersions(inst, claimed, asOf);
  if (newer.length > 0) {
    // One sourced later version is enough to call the citation outdated.
    return {
      ...base,
      status: 'outdated',
      verified: newer.some((v) => v.verified),
      newer: newer[newer.length - 1]!,
      newer_count: newer.length,
    };
  }
  // "Current" rests on the instrument being in force and on the cited version being real.
  const matched = inst.events.filter((e) => comparePartial(e.date, claimed) === 0);
  const versionVerified = matched.length > 0 && matched.some((e) => e.verified);
  return { ...base, status: 'current', verified: instVerified && versionVerified && inst.status === 'in_force' };
}

const normalDoc = (text: string): string | null => parseDocNumbers(text)[0]?.normalized ?? null;

/** Which instrument (and which of its versions) each registry doc number belongs to. */
export function docNumberOwners(
  registry: ReadonlyMap<string, RegistryInstrumentFact>,
): Map<string, { id: string; version: string }> {
  const owners = new Map<string, { id: string; version: string }>();
  for (const inst of registry.values()) {
    // An event's number belongs to the version in force from that event's date on.
    for (const e of inst.events) {
      const d = e.doc_number ? normalDoc(e.doc_number) : null;
      if (d && !owners.has(d)) owners.set(d, { id: inst.id, version: citedVersion(inst, e.date) });
    }
    const d = inst.doc_number ? normalDoc(inst.doc_number) : null;
    if (d && !owners.has(d)) owners.set(d, { id: inst.id, version: 'original' });
  }
  return owners;
}

/**
 * A doc number the citation gives that the registry records for another instrument, or for
 * another version of this one when the cited version was promulgated under a number of its own
 * (第146号 with "1995年3月25日修订": the 1995 text has its own order number). An amendment by
 * decision keeps the original number, so "主席令第28号 … 2009年修正" is no mismatch.
 */
export function docNumberMismatch(
  c: CitationFact,
  inst: RegistryInstrumentFact,
  registry: ReadonlyMap<string, RegistryInstrumentFact>,
  owners: ReadonlyMap<string, { id: string; version: string }>,
): DocNumberMismatch | null {
  const cited = c.claimed_version_date === null ? null : citedVersion(inst, c.claimed_version_date);
  const ownNumber = cited !== null && [...owners.entries()].some(([, o]) => o.id === inst.id && o.version === cited);
  for (const d of c.doc_numbers ?? []) {
    const owner = owners.get(d);
    if (!owner) continue;
    if (owner.id !== inst.id)
      return { doc_number: d, belongs_to: registry.get(owner.id)?.title ?? owner.id, belongs_to_version: null };
    if (cited !== null && owner.version !== cited && ownNumber) {
      const original = inst.events.filter((e) => !isVersionEvent(e)).sort(byDate)[0]?.date ?? null;
      return {
        doc_number: d,
        belongs_to: inst.title,
        belongs_to_version: owner.version === 'original' ? original : owner.version,
      };
    }
  }
  return null;
}

/**
 * Statuses of every citation of one list, in input order. `listDate` and `today` are dates as
 * precise as known (YYYY[-MM[-DD]]).
 */
export function citationStatuses(
  citations: readonly CitationFact[],
  registry: ReadonlyMap<string, RegistryInstrumentFact>,
  { listDate, today }: { listDate: string; today: string },
): CitationStatusResult[] {
  const keys = citations.map((c) => {
    const inst = c.instrument_id === null ? undefined : registry.get(c.instrument_id);
    return inst && c.claimed_version_date !== null ? citedVersion(inst, c.claimed_version_date) : null;
  });
  const versionsOf = new Map<string, Map<string, Set<number>>>();
  citations.forEach((c, i) => {
    if (keys[i] === null || c.instrument_id === null) return;
    const versions = versionsOf.get(c.instrument_id) ?? new Map<string, Set<number>>();
    versions.set(keys[i]!, (versions.get(keys[i]!) ?? new Set<number>()).add(c.seq));
    versionsOf.set(c.instrument_id, versions);
  });
  const owners = docNumberOwners(registry);

  return citations.map((c, i) => {
    const inst = c.instrument_id === null ? undefined : registry.get(c.instrument_id);
    const cited = versionsOf.get(c.instrument_id ?? '');
    const versions = cited && keys[i] !== null ? [...cited.keys()].sort() : [];
    // 'original' sorts after dates: the newest cited version is the latest date, or the original alone.
    const dated = versions.filter((v) => v !== 'original');
    const newest = dated.length > 0 ? dated[dated.length - 1]! : 'original';
    const older = versions.length > 1 && keys[i] !== newest;
    const latest = inst ? inst.events.filter(isVersionEvent).sort(byDate).at(-1) : undefined;
    const claimed = c.claimed_version_date;
    return {
      at_list: statusAt(c, inst, listDate),
      now: statusAt(c, inst, today),
      inconsistent: older,
      newer_cited_by: older ? [...cited!.get(newest)!].sort((a, b) => a - b) : [],
      cited_version: keys[i] ?? null,
      versions_in_list: versions.length > 1 ? versions : [],
      claimed_date_in_registry:
        inst && claimed !== null ? inst.events.some((e) => comparePartial(e.date, claimed) === 0) : null,
      latest_version: latest ? versionRef(latest) : null,
      doc_number_mismatch: inst ? docNumberMismatch(c, inst, registry, owners) : null,
    };
  });
}

/** Outdated, repealed or a wrong doc number: the legal section has to change the citation. */
export function needsAction(r: CitationStatusResult): boolean {
  const acts = (s: CitationStatus) => s === 'outdated' || s === 'repealed';
  return acts(r.at_list.status) || acts(r.now.status) || r.doc_number_mismatch !== null;
}

/** Unknown or undated: the registry or the list does not say enough to judge the citation. */
export function unresolved(r: CitationStatusResult): boolean {
  const open = (s: CitationStatus) => s === 'unknown' || s === 'undated';
  return !needsAction(r) && (open(r.at_list.status) || open(r.now.status));
}

/** A citation goes to the legal section's review when it needs action or cannot be judged. */
export function isFlagged(r: CitationStatusResult): boolean {
  return needsAction(r) || unresolved(r);
}
