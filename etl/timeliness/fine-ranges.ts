/**
 * Statutory fine ranges an imposed fine can be checked against, and the kind-aware verdict on a
 * fine. Pure. The database refresh applies the same rules in SQL (etl/load/case-aggregates.ts);
 * this module is the reference the tests hold the SQL to.
 */
import type { FineTerms, ItemFineRangeTable } from '../../db/schema.ts';

/** A checkable clause of an item (item_fine_range without its key). */
export type FineRangeRow = Omit<ItemFineRangeTable, 'bureau_id' | 'item_code'>;

const yuan = (n: number) => (n >= 10_000 && n % 10_000 === 0 ? `${n / 10_000}万` : String(n));

export function rangeLabel(
  r: Pick<FineRangeRow, 'kind' | 'min_yuan' | 'max_yuan' | 'min_multiple' | 'max_multiple' | 'per_person'>,
): string {
  const per = r.per_person ? '每人 ' : '';
  switch (r.kind) {
    case 'fixed_range':
    case 'per_person_range':
      return r.max_yuan === null
        ? `${per}${yuan(r.min_yuan ?? 0)} 元以上`
        : `${per}${yuan(r.min_yuan ?? 0)}–${yuan(r.max_yuan)} 元`;
    case 'cap_only':
      return `${per}${r.max_yuan === null ? '?' : yuan(r.max_yuan)} 元以下`;
    case 'multiple': {
      const m =
        r.min_multiple === null
          ? `不超过 ${r.max_multiple ?? '?'} 倍`
          : `${r.min_multiple}–${r.max_multiple ?? '?'} 倍`;
      return r.max_yuan === null ? `基数的 ${m}` : `基数的 ${m}，最高 ${yuan(r.max_yuan)} 元`;
    }
  }
}

/** The clauses of an item that name an amount; a fine with no amount ("处以罚款") checks nothing. */
export function fineRangeRows(clauses: readonly (FineTerms & { clause_text: string })[]): FineRangeRow[] {
  const rows: FineRangeRow[] = [];
  for (const c of clauses) {
    if (c.kind === 'unspecified') continue;
    if (c.kind !== 'multiple' && c.max_yuan === null && c.min_yuan === null) continue;
    const row = {
      clause_no: rows.length + 1,
      kind: c.kind,
      min_yuan: c.min_yuan,
      max_yuan: c.max_yuan,
      min_multiple: c.min_multiple,
      max_multiple: c.max_multiple,
      per_person: c.per === 'person' || c.kind === 'per_person_range',
      clause_text: c.clause_text,
    };
    rows.push({ ...row, label: rangeLabel(row) });
  }
  return rows;
}

export type ClauseVerdict = 'inside' | 'below' | 'above' | 'unknown';
export type FineVerdict = 'inside' | 'below' | 'above' | 'outside' | 'not_checkable' | 'no_range';

/** What a verdict reads of a clause. */
export type FineRangeTerms = Pick<FineRangeRow, 'kind' | 'min_yuan' | 'max_yuan' | 'per_person'>;

/**
 * One clause against one fine. A per-person range scales with persons (unknown without them);
 * a multiple needs its base amount, which the case format does not carry, so it can only say
 * "above" when the fine passes the clause's own yuan cap.
 */
export function judgeClause(r: FineRangeTerms, fine: number, persons: number | null): ClauseVerdict {
  if (r.kind === 'multiple') return r.max_yuan !== null && fine > r.max_yuan ? 'above' : 'unknown';
  let factor = 1;
  if (r.per_person) {
    if (persons === null) return 'unknown';
    factor = persons;
  }
  const lo = r.kind === 'cap_only' ? 0 : (r.min_yuan ?? 0) * factor;
  const hi = r.max_yuan === null ? Infinity : r.max_yuan * factor;
  return fine < lo ? 'below' : fine > hi ? 'above' : 'inside';
}

/**
 * A fine against all the clauses of its item (the case does not say which clause applied):
 * inside any clause is inside; else a clause that cannot decide makes it not checkable; else it
 * is below (or above) when every clause says so, and outside when it falls between ranges.
 */
export function judgeFine(ranges: readonly FineRangeTerms[], fine: number, persons: number | null): FineVerdict {
  if (ranges.length === 0) return 'no_range';
  const v = ranges.map((r) => judgeClause(r, fine, persons));
  if (v.includes('inside')) return 'inside';
  if (v.includes('unknown')) return 'not_checkable';
  if (v.every((x) => x === 'below')) return 'below';
  if (v.every((x) => x === 'above')) return 'above';
  return 'outside';
}
