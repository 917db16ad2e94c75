/**
 * The legal section's triage of the list's citations: three bands (needs action, unresolved,
 * current), each grouped by instrument. Pure: rows in, bands out. The band follows the API's own
 * `needs_action` and `flagged` — the fields the review export sorts by — so the page and the
 * workbook always agree on what needs action.
 */
import type { CITATION_SPEC } from '../../server/queries/citations.ts';
import type { ColumnKind } from '../../server/table-reply.ts';

interface Decoded {
  string: string;
  int: number;
  float: number;
  bool: boolean;
}
/** One row of GET /api/citations as Arrow decodes it (lists arrive joined into one string). */
export type CitationWire = {
  [C in keyof typeof CITATION_SPEC]: Decoded[(typeof CITATION_SPEC)[C] & ColumnKind] | null;
};

export type BandKey = 'needs' | 'unresolved' | 'current';

export interface BandSpec {
  key: BandKey;
  title: string;
  hint: string;
  /** Open unless the URL says otherwise. */
  open: boolean;
}

/** In triage order. */
export const BANDS: readonly BandSpec[] = [
  {
    key: 'needs',
    title: '需处理',
    hint: '引用了旧版本或已废止的文件，文号与版本不符，或本清单对同一文件引用了不同版本',
    open: true,
  },
  { key: 'unresolved', title: '待核实/未解决', hint: '登记册未收录所引文件，或引用未注明版本，无法判断', open: true },
  { key: 'current', title: '现行', hint: '引用的是现行有效版本', open: false },
];

/**
 * Needs action: the API's `needs_action` (outdated or repealed at the list's date or now, doc number
 * of another version). An older-version citation of an instrument the list cites in several
 * versions belongs there too (it always reads outdated; the flag makes sure).
 */
export function bandOf(r: CitationWire): BandKey {
  if (r.needs_action || r.inconsistent) return 'needs';
  return r.flagged ? 'unresolved' : 'current';
}

export interface CitationFilter {
  /** A status at the list's date or now (as the export filters). */
  status: string;
  /** instrument_label */
  instrument: string;
  section: string;
}

export function keeps(r: CitationWire, f: CitationFilter): boolean {
  return (
    (!f.status || r.status_now === f.status || r.status_list === f.status) &&
    (!f.instrument || r.instrument_label === f.instrument) &&
    (!f.section || r.section === f.section)
  );
}

export interface InstrumentGroup {
  /** instrument_label: the registry title, or the title as cited when the registry does not know it. */
  label: string;
  inRegistry: boolean;
  kind: string | null;
  rows: CitationWire[];
  /** Distinct items citing it. */
  items: number;
  /** The API's `version_to_cite` of the group's rows, distinct. */
  versionsToCite: string[];
}

export interface Band extends BandSpec {
  rows: CitationWire[];
  groups: InstrumentGroup[];
}

const distinct = <T>(xs: Iterable<T | null>) => [...new Set([...xs].filter((x): x is T => x !== null && x !== ''))];

/** Largest group first (where the work is), then by title; rows in list order. */
function groupsOf(rows: CitationWire[]): InstrumentGroup[] {
  const by = new Map<string, CitationWire[]>();
  for (const r of rows) by.set(r.instrument_label ?? '', [...(by.get(r.instrument_label ?? '') ?? []), r]);
  return [...by]
    .map(([label, rs]) => {
      const sorted = [...rs].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || (a.citation_no ?? 0) - (b.citation_no ?? 0));
      return {
        label,
        inRegistry: sorted.some((r) => r.instrument_id !== null),
        kind: sorted[0]?.instrument_kind ?? null,
        rows: sorted,
        items: new Set(sorted.map((r) => r.seq)).size,
        versionsToCite: distinct(sorted.map((r) => r.version_to_cite)),
      };
    })
    .sort((a, b) => b.rows.length - a.rows.length || a.label.localeCompare(b.label, 'zh-CN'));
}

/** The three bands, in triage order, each with the rows the filter keeps. */
export function triageBands(rows: Iterable<CitationWire>, filter: CitationFilter): Band[] {
  const kept = [...rows].filter((r) => keeps(r, filter));
  return BANDS.map((spec) => {
    const rs = kept.filter((r) => bandOf(r) === spec.key);
    return { ...spec, rows: rs, groups: groupsOf(rs) };
  });
}

/** Which bands are open: the URL's `open` (comma list, `none` for none), else the defaults. */
export function openBands(param: string | null): Set<BandKey> {
  if (param === null) return new Set(BANDS.filter((b) => b.open).map((b) => b.key));
  const keys = new Set<string>(param.split(','));
  return new Set(BANDS.filter((b) => keys.has(b.key)).map((b) => b.key));
}

/** The `open` parameter for a set of open bands: null when it is the default. */
export function openParam(open: Set<BandKey>): string | null {
  const defaults = openBands(null);
  if (open.size === defaults.size && [...open].every((k) => defaults.has(k))) return null;
  return open.size
    ? BANDS.filter((b) => open.has(b.key))
        .map((b) => b.key)
        .join(',')
    : 'none';
}
