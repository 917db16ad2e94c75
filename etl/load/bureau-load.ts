import type { Insertable } from 'kysely';
import type { BureauTable } from '../../db/schema.ts';
import type { BureauProfile } from '../parse/list-types.ts';

/** The bureau registry row of a profile: written with every list load, so the bureau stays known. */
export function bureauRow(p: BureauProfile): Insertable<BureauTable> {
  return {
    bureau_id: p.bureau_id,
    name: p.name,
    short_name: p.short_name,
    credit_code: p.credit_code,
    region: p.region ?? null,
    profile: JSON.stringify(p),
  };
}
