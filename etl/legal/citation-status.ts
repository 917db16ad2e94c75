/**
 * The status of each citation of one list against the instrument registry, as of a given date
 * (the list's own date, and "today" passed in by the caller). Pure: the registry arrives as
 * plain records, from data/instruments.yaml or from the database alike.
 *
 * A status is only as good as the registry facts it rests on: every status that depends on a
 * registry fact carries `verified` (false when any fact it needs has no public source); statuses
 * that rest on no registry fact (unknown, undated) carry null.
 */
import { comparePartial } from './partial-date.ts';

export const CITATION_STATUSES = ['current', 'outdated', 'repealed', 'inconsistent', 'unknown', 'undated'] as const;
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

export interface CitationStatusResult {
  at_list: StatusAt;
  now: StatusAt;
  /** The same instrument is cited in other versions elsewhere in the list. */
  inconsistent: boolean;
  /** The version the claimed date falls in: the date of the amendment, or 'original'. */
  cited_version: string | null;
  /** Every version of this instrument the list cites (sorted), when more than one. */
  versions_in_list: string[];
  /** Whether the claimed date is a date the registry knows for this instrument. */
  claimed_date_in_registry: boolean | null;
  latest_version: VersionRef | null;
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

function statusAt(
  c: CitationFact,
  inst: RegistryInstrumentFact | undefined,
  asOf: string,
  inconsistent: { flag: boolean; verified: boolean },
): StatusAt {
  const base: StatusAt = { as_of: asOf, status: 'current', verified: null, newer: null, newer_count: 0, repealed_by: null, repealed_on: null };
  if (!inst) return { ...base, status: 'unknown' };
  const instVerified = inst.source !== null;
  if (inst.status === 'repealed' && (inst.replaced_on === null || comparePartial(inst.replaced_on, asOf) <= 0)) {
    return { ...base, status: 'repealed', verified: instVerified, repealed_by: inst.replaced_by, repealed_on: inst.replaced_on };
  }
  const claimed = c.claimed_version_date;
  if (claimed === null) return { ...base, status: 'undated' };
  const newer = newerVersions(inst, claimed, asOf);
  if (newer.length > 0) {
    // One sourced later version is enough to call the citation outdated.
    return { ...base, status: 'outdated', verified: newer.some((v) => v.verified), newer: newer[newer.length - 1]!, newer_count: newer.length };
  }
  if (inconsistent.flag) return { ...base, status: 'inconsistent', verified: inconsistent.verified };
  // "Current" rests on the instrument being in force and on the cited version being real.
  const matched = inst.events.filter((e) => comparePartial(e.date, claimed) === 0);
  const versionVerified = matched.length > 0 && matched.some((e) => e.verified);
  return { ...base, status: 'current', verified: instVerified && versionVerified && inst.status === 'in_force' };
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
  const versionsOf = new Map<string, Set<string>>();
  citations.forEach((c, i) => {
    if (keys[i] === null || c.instrument_id === null) return;
    const set = versionsOf.get(c.instrument_id) ?? new Set<string>();
    set.add(keys[i]!);
    versionsOf.set(c.instrument_id, set);
  });

  return citations.map((c, i) => {
    const inst = c.instrument_id === null ? undefined : registry.get(c.instrument_id);
    const versions = c.instrument_id !== null && keys[i] !== null ? [...versionsOf.get(c.instrument_id)!].sort() : [];
    const flag = versions.length > 1;
    // The versions told apart are real only if their amendment dates are sourced.
    const distinguishing = inst ? inst.events.filter((e) => isVersionEvent(e) && versions.includes(e.date)) : [];
    const inconsistent = { flag, verified: distinguishing.length > 0 && distinguishing.every((e) => e.verified) };
    const latest = inst ? inst.events.filter(isVersionEvent).sort(byDate).at(-1) : undefined;
    const claimed = c.claimed_version_date;
    return {
      at_list: statusAt(c, inst, listDate, inconsistent),
      now: statusAt(c, inst, today, inconsistent),
      inconsistent: flag,
      cited_version: keys[i] ?? null,
      versions_in_list: flag ? versions : [],
      claimed_date_in_registry: inst && claimed !== null ? inst.events.some((e) => comparePartial(e.date, claimed) === 0) : null,
      latest_version: latest ? versionRef(latest) : null,
    };
  });
}

/** A citation needs the legal section's review unless it is current both at the list date and now. */
export function isFlagged(r: CitationStatusResult): boolean {
  return r.at_list.status !== 'current' || r.now.status !== 'current';
}
