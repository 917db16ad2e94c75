import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFineClauses, type FineClause } from '../../etl/parse/fine-clause.ts';

const src = { source: 'data/lists/liangzhou.txt', line: 1 };

type Expect = Pick<FineClause, 'kind' | 'min_yuan' | 'max_yuan' | 'min_multiple' | 'max_multiple' | 'per'> & {
  base?: string;
};
const fixed = (min: number | null, max: number): Expect => ({
  kind: min === null ? 'cap_only' : 'fixed_range',
  min_yuan: min,
  max_yuan: max,
  min_multiple: null,
  max_multiple: null,
  per: null,
});
const perPerson = (min: number, max: number): Expect => ({
  kind: 'per_person_range',
  min_yuan: min,
  max_yuan: max,
  min_multiple: null,
  max_multiple: null,
  per: 'person',
});
const multiple = (base: string, min: number | null, max: number, cap: number | null = null): Expect => ({
  kind: 'multiple',
  min_yuan: null,
  max_yuan: cap,
  min_multiple: min,
  max_multiple: max,
  per: null,
  base,
});
const unspecified: Expect = {
  kind: 'unspecified',
  min_yuan: null,
  max_yuan: null,
  min_multiple: null,
  max_multiple: null,
  per: null,
};

/** Every 行政处罚 item of the bundled list, by 序号: the fine clauses its 实施依据 states. */
const EXPECTED: Record<number, Expect[]> = {
  4: [perPerson(500, 2000)],
  5: [multiple('illegal_gains', 1, 5), fixed(null, 50000), perPerson(5000, 10000)],
  6: [],
  7: [],
  8: [],
  9: [], // basis cut off by the page break before any fine
  10: [multiple('owed_premiums', 1, 3), fixed(500, 3000)],
  11: [multiple('unpaid_premiums', 1, 3)],
  12: [perPerson(1000, 5000)],
  13: [unspecified, perPerson(100, 500)],
  14: [fixed(10000, 50000)],
  15: [fixed(2000, 20000)],
  16: [],
  17: [],
  18: [fixed(1000, 5000), fixed(5000, 10000)],
  19: [fixed(null, 100000)],
  20: [fixed(null, 1000)],
  21: [fixed(null, 1000)],
  22: [],
  23: [fixed(null, 1000)],
  24: [fixed(null, 1000)],
  25: [fixed(null, 10000), multiple('illegal_gains', null, 3, 30000)],
  26: [fixed(null, 1000)],
  27: [fixed(null, 5000)],
  28: [fixed(null, 10000), multiple('illegal_gains', null, 3, 30000)],
  29: [fixed(null, 10000)],
  30: [fixed(null, 10000)],
  31: [fixed(5000, 20000)],
  32: [],
  33: [fixed(10000, 50000)],
  34: [multiple('defrauded_amount', 2, 5)],
  35: [multiple('concealed_wages', 1, 3), multiple('defrauded_amount', 1, 3)],
  36: [multiple('defrauded_amount', 1, 3)],
  37: [fixed(500, 1000)],
  38: [fixed(2000, 10000)],
  39: [multiple('defrauded_amount', 2, 5)],
};

const rows = JSON.parse(
  readFileSync(new URL('../fixtures/legal/penalty-basis.json', import.meta.url), 'utf8'),
) as Array<{ line: number; seq: number; basis: string }>;

describe('fine clauses of every penalty item in the bundled list', () => {
  it('covers 序号 4–39', () => {
    expect(new Set(rows.map((r) => r.seq))).toEqual(new Set(Object.keys(EXPECTED).map(Number)));
  });
  it.each(Object.entries(EXPECTED))('序号 %s', (seq, expected) => {
    const got = rows
      .filter((r) => r.seq === Number(seq))
      .flatMap((r) => {
        const res = parseFineClauses(r.basis, { source: 'liangzhou.txt', line: r.line });
        expect(res.issues).toEqual([]);
        for (const c of res.clauses)
          expect(r.basis.slice(c.offset, c.offset + c.clause_text.length)).toBe(c.clause_text);
        return res.clauses;
      })
      .map((c) => ({
        kind: c.kind,
        min_yuan: c.min_yuan,
        max_yuan: c.max_yuan,
        min_multiple: c.min_multiple,
        max_multiple: c.max_multiple,
        per: c.per,
        ...(c.base ? { base: c.base.key } : {}),
      }));
    expect(got).toEqual(expected);
  });
});

describe('parseFineClauses', () => {
  it('keeps the two clauses of 劳动合同法 第九十二条 apart, with conditions and provenance', () => {
    const text =
      '由劳动行政部门责令停止违法行为，没收违法所得，并处违法所得一倍以上五倍以下的罚款；没有违法所得的，可以处五万元以下的罚款。';
    const { clauses } = parseFineClauses(text, src);
    expect(clauses.map((c) => [c.kind, c.clause_text, c.condition, c.base?.text ?? null])).toEqual([
      ['multiple', '并处违法所得一倍以上五倍以下的罚款', null, '违法所得'],
      ['cap_only', '可以处五万元以下的罚款', '没有违法所得的', null],
    ]);
    expect(clauses[0]).toMatchObject({ source: src.source, line: 1, offset: text.indexOf('并处') });
  });
  it('marks fines on responsible persons', () => {
    const { clauses } = parseFineClauses('对其直接负责的主管人员和其他直接责任人员处五百元以上三千元以下的罚款。', src);
    expect(clauses[0]).toMatchObject({
      kind: 'fixed_range',
      target: 'responsible_persons',
      min_yuan: 500,
      max_yuan: 3000,
    });
  });
  it('ignores 滞纳金 and 罚款单据', () => {
    expect(parseFineClauses('按日加收万分之五的滞纳金。不使用罚款单据的。', src).clauses).toEqual([]);
  });
  it('reports an unreadable amount instead of guessing', () => {
    const { clauses, issues } = parseFineClauses('处五千三千元以下的罚款', src);
    expect(clauses[0]!.max_yuan).toBeNull();
    expect(issues[0]!.message).toMatch(/unreadable/);
  });
  it('reports a range whose minimum exceeds its maximum', () => {
    expect(parseFineClauses('处5万元以上1万元以下的罚款', src).issues[0]!.message).toMatch(/exceeds/);
  });
});
