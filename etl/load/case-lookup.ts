/**
 * The item codes a case may name: every item and sub-item code of any loaded version of the
 * bureau's list (a case from an earlier year names the item as it was then). Small: a few hundred
 * codes per bureau, held in memory for the row-by-row check.
 */
import type { Session } from '../../db/connect.ts';
import type { CaseRowContext } from '../parse/case-csv.ts';
import type { PowerType } from '../parse/list-types.ts';

export async function itemLookup(
  s: Session,
  bureauId: string,
): Promise<{ lookupItem: CaseRowContext['lookupItem']; items: number }> {
  const rows = await s.query<{ code: string; power_type: PowerType | null; sub_code: string | null }>(
    `SELECT DISTINCT i.code, i.power_type, si.code AS sub_code
       FROM item i
       LEFT JOIN sub_item si ON si.bureau_id = i.bureau_id AND si.version_id = i.version_id AND si.seq = i.seq AND si.code IS NOT NULL
      WHERE i.bureau_id = $1 AND i.code IS NOT NULL`,
    [bureauId],
  );
  const items = new Map<string, { power_type: PowerType | null; subs: Set<string> }>();
  for (const r of rows) {
    let e = items.get(r.code);
    if (!e) items.set(r.code, (e = { power_type: r.power_type, subs: new Set() }));
    else if (e.power_type === null) e.power_type = r.power_type;
    if (r.sub_code) e.subs.add(r.sub_code);
  }
  return {
    items: items.size,
    lookupItem(code, sub) {
      const e = items.get(code);
      if (!e || (sub !== null && !e.subs.has(sub))) return null;
      return e;
    },
  };
}
