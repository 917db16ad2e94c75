import { DataType, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toArrowIpc } from '../../server/table-reply.ts';

describe('toArrowIpc', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    section: ['劳动监察大队', '行政审批股', null][i % 3],
    case_id: `C${i}`,
    cases: i,
  }));
  const spec = { section: 'string', case_id: 'string', cases: 'int' } as const;

  it('sends a string column that repeats its values as a dictionary, read back as the same strings', () => {
    const t = tableFromIPC(toArrowIpc(rows, spec));
    expect(DataType.isDictionary(t.getChild('section')!.type)).toBe(true);
    expect(DataType.isDictionary(t.getChild('case_id')!.type)).toBe(false);
    expect(t.getChild('section')!.toArray()).toEqual(rows.map((r) => r.section));
    expect([...t].map((r) => r.toJSON())).toEqual(rows);
  });

  it('keeps small answers plain', () => {
    const t = tableFromIPC(toArrowIpc(rows.slice(0, 10), spec));
    expect(DataType.isDictionary(t.getChild('section')!.type)).toBe(false);
    expect([...t].map((r) => r.toJSON())).toEqual(rows.slice(0, 10));
  });
});
