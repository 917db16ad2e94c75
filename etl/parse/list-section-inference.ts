import type { IssueFn } from './list-rows.ts';
import type { ParsedItem } from './list-types.ts';

/** At least this many items of a type must read their section, all the same, before it is inferred. */
export const INFER_MIN_EVIDENCE = 5;

/**
 * Fills a missing 承办机构 only from evidence inside the same list: when every item of the same power
 * type whose section is readable names one and the same section (at least INFER_MIN_EVIDENCE of them),
 * an item of that type without a readable section is taken to belong to it. The record says so
 * (section_origin 'inferred', section_evidence in words) and an issue names the evidence; with mixed
 * or thin evidence the section stays missing. Never from neighbouring rows.
 */
export function inferSections(items: ParsedItem[], issue: IssueFn): void {
  const byType = new Map<string, Map<string, number>>();
  for (const it of items) {
    if (!it.power_type || !it.section) continue;
    const m = byType.get(it.power_type) ?? new Map<string, number>();
    m.set(it.section, (m.get(it.section) ?? 0) + 1);
    byType.set(it.power_type, m);
  }
  for (const it of items) {
    if (it.section || !it.power_type) continue;
    const m = byType.get(it.power_type);
    if (m?.size !== 1) continue;
    const [section, n] = [...m.entries()][0]!;
    if (n < INFER_MIN_EVIDENCE) continue;
    it.section = section;
    it.section_origin = 'inferred';
    it.section_evidence = `all ${n} ${it.power_type} items of this list with a readable 承办机构 read ${section}`;
    issue(
      it.source_lines[0]!,
      it.seq,
      'section',
      '',
      `承办机构 missing; inferred as ${section}: ${it.section_evidence}`,
    );
  }
}
