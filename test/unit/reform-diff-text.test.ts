import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCorrections } from '../../etl/parse/apply-corrections.ts';
import { parseCorrectionsOrThrow } from '../../etl/parse/corrections.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { diffLists } from '../../etl/reform/diff.ts';
import { bundledText, profile } from '../helpers/bundled.ts';
import { ROOT } from '../helpers/test-db.ts';

/**
 * The PDF-text reform fixture (test/fixtures/reform/README.md, "liangzhou-v2.txt"): next year's list
 * as the bureau would publish it, with the same OCR damage. Pure: both files parsed, then diffed.
 */
const P = profile();
const V2 = 'test/fixtures/reform/liangzhou-v2.txt';
const v1 = parseListText(bundledText(), 'liangzhou.txt', P);
const v2 = parseListText(readFileSync(join(ROOT, V2), 'utf8'), 'liangzhou-v2.txt', P);
const changes = (a: typeof v1, b: typeof v2) =>
  diffLists(a.items, b.items).map((c) => [c.kind, c.from_seqs, c.to_seqs, c.before, c.after]);

/** The documented changes (README.md beside the fixture), as [kind, v1 序号, v2 序号, before, after]. */
const DOCUMENTED = [
  ['added', [], [81], null, '人力资源服务机构年度报告公示'],
  ['removed', [73], [], '设立高技能领军人才服务窗口', null],
  ['renamed', [42], [42], '职工正常退休(职)审核', '职工正常退休（退职）审核'],
  ['moved', [76], [76], '劳动监察大队', '劳动权益保障股'],
  [
    'basis_changed',
    [38],
    [38],
    expect.stringContaining('国务院令第375号,2003年4月16日'),
    expect.stringContaining('国务院令第586号,2010年12月20日'),
  ],
];

describe('the PDF-text next version of the bundled list', () => {
  it('parses with the gap reported as info, and no refusal, duplicate or truncation', () => {
    expect(v2.items).toHaveLength(80);
    expect(v2.items.map((i) => i.seq)).toEqual([
      ...Array.from({ length: 72 }, (_, k) => k + 1),
      ...Array.from({ length: 8 }, (_, k) => k + 74),
    ]);
    expect(v2.issues.filter((i) => i.kind === 'seq_gap')).toEqual([
      {
        source: 'liangzhou-v2.txt',
        line: 263,
        seq: 74,
        field: 'seq',
        value: '74',
        kind: 'seq_gap',
        severity: 'info',
        message: '序号 "74" follows item 72: 73 is not in the list (items removed?); 序号 kept as written',
      },
    ]);
    expect(v2.issues.filter((i) => ['seq_duplicate', 'seq_order', 'truncated'].includes(i.kind))).toEqual([]);
    expect(v2.truncated).toBeNull();
  });

  it('diffs against the bundled list to exactly the documented changes, and no others', () => {
    expect(changes(v1, v2)).toEqual(DOCUMENTED);
    const basis = diffLists(v1.items, v2.items).find((c) => c.kind === 'basis_changed')!;
    expect(basis.detail).toBe('《工伤保险条例》版本 2003-04-16 → 2010-12-20');
  });

  it('keeps the OCR damage of every untouched item as it is in the bundled list', () => {
    const byCode = new Map(v2.items.map((i) => [i.code ?? `seq ${i.seq}`, i]));
    let compared = 0;
    for (const a of v1.items) {
      if (a.seq === 73 || a.seq === 42) continue;
      const b = byCode.get(a.code ?? `seq ${a.seq}`)!;
      expect([
        b.seq,
        b.name,
        b.name_quality,
        b.power_type,
        b.code_partial,
        b.sub_items.map((s) => [s.name, s.name_quality, s.code]),
      ]).toEqual([
        a.seq,
        a.name,
        a.name_quality,
        a.power_type,
        a.code_partial,
        a.sub_items.map((s) => [s.name, s.name_quality, s.code]),
      ]);
      compared += 1;
    }
    expect(compared).toBe(78);
    expect(v2.items.filter((i) => i.name_quality === 'scrambled')).toHaveLength(
      v1.items.filter((i) => i.name_quality === 'scrambled').length,
    );
  });

  // Corrections follow the item (data/corrections/liangzhou.yaml names items by code and the damaged
  // text they fix), so the same reviewed fixes apply to both versions. Laid over one side only, each
  // corrected name would read as a rename: the loader must never do that.
  const file = 'data/corrections/liangzhou.yaml';
  const entries = parseCorrectionsOrThrow(readFileSync(join(ROOT, file), 'utf8'), file).entries;

  it('would report false renames if corrections were applied to one side only', () => {
    const extra = changes(applyCorrections(v1, entries).list, v2).filter(
      (c) => !DOCUMENTED.some((d) => d[0] === c[0] && JSON.stringify(d[1]) === JSON.stringify(c[1])),
    );
    expect(extra.map((c) => [c[0], c[1]])).toEqual([
      ['renamed', [19]],
      ['renamed', [21]],
      ['renamed', [23]],
      ['renamed', [27]],
    ]);
  });

  it('finds exactly the documented changes with the corrections applied to both versions, none stale', () => {
    const a = applyCorrections(v1, entries);
    const b = applyCorrections(v2, entries);
    expect([a.stale, b.stale]).toEqual([[], []]);
    expect(changes(a.list, b.list)).toEqual(DOCUMENTED);
  });
});
