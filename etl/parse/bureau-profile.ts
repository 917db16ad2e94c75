import type { BureauProfile } from './list-types.ts';

/** Validates the bureau profile (data/bureau.json) so a bad edit fails with the field named. */
export function parseBureauProfile(json: string, source: string): BureauProfile {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const need = (key: string, ok: (v: unknown) => boolean) => {
    if (!ok(raw[key])) throw new Error(`${source}: field "${key}" is missing or has the wrong type`);
  };
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  const strs = (v: unknown) => Array.isArray(v) && v.every(str);
  need('bureau_id', str);
  need('name', str);
  need('short_name', str);
  need('credit_code', (v) => typeof v === 'string' && /^[0-9A-Z]{18}$/.test(v));
  need('sections', strs);
  need('levels', strs);
  need('power_type_segments', (v) => typeof v === 'object' && v !== null);
  const segments = Object.fromEntries(
    Object.entries(raw.power_type_segments as Record<string, unknown>).filter(([k, v]) => /^\d{6}$/.test(k) && str(v)),
  ) as Record<string, string>;
  return {
    bureau_id: raw.bureau_id as string,
    name: raw.name as string,
    short_name: raw.short_name as string,
    credit_code: raw.credit_code as string,
    ...(str(raw.region) ? { region: raw.region as string } : {}),
    sections: raw.sections as string[],
    levels: raw.levels as string[],
    power_type_segments: segments,
  };
}
