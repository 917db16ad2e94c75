import { describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../etl/parse/list-types.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { compareSubItems, diffLists } from '../../etl/reform/diff.ts';
import { matchItems } from '../../etl/reform/match.ts';
import { kindCounts, versionCounts } from '../../etl/reform/summary.ts';
import { bundledText, profile } from '../helpers/bundled.ts';

const item = (seq: number, name: string, over: Partial<ParsedItem> = {}): ParsedItem => ({
  seq,
  seq_origin: 'read',
  name,
  name_quality: 'ok',
  power_type: '行政处罚',
  power_type_origin: 'read',
  power_type_evidence: 'column',
  code: `C${seq}`,
  code_origin: 'read',
  code_read: null,
  code_partial: false,
  section: '劳动监察大队',
  section_origin: 'read',
  subject: null,
  level: null,
  basis: `《劳动保障监察条例》第${seq}条 ${name}`,
  duties: '',
  accountability: '',
  stages: [],
  sub_items: [],
  source_lines: [seq],
  ...over,
});
const sub = (name: string, code: string | null = null) => ({
  name,
  name_quality: 'ok' as const,
  code,
  section: null,
  source_lines: [],
});
const kinds = (a: ParsedItem[], b: ParsedItem[]) =>
  diffLists(a, b).map((c) => [c.kind, c.from_seqs, c.to_seqs, c.method]);

const A = item(1, '对用人单位违法延长劳动者工作时间的处罚');
const B = item(2, '对用人单位不办理社会保险登记的处罚');
const C = item(3, '工伤认定', { power_type: '其他行政权力', section: '社会保险股', basis: '《工伤保险条例》第十七条' });

describe('diffLists classifies each change', () => {
  it.each<[string, ParsedItem[], ParsedItem[], unknown[]]>([
    [
      'no change, even renumbered',
      [A, B],
      [
        { ...B, seq: 1 },
        { ...A, seq: 2 },
      ],
      [],
    ],
    [
      'removed and added',
      [A, B],
      [A, C],
      [
        ['added', [], [3], null],
        ['removed', [2], [], null],
      ],
    ],
    ['renamed (same code)', [A], [{ ...A, name: '对用人单位违法延长工作时间的处罚' }], [['renamed', [1], [1], 'code']]],
    [
      'retyped and moved',
      [C],
      [{ ...C, power_type: '行政确认', section: '劳动权益保障股' }],
      [
        ['retyped', [3], [3], 'code'],
        ['moved', [3], [3], 'code'],
      ],
    ],
    ['a new code matched by name and basis', [A], [{ ...A, code: 'NEW' }], [['recoded', [1], [1], 'similarity']]],
    [
      'a new code and a different name stays removed + added',
      [A],
      [{ ...A, code: 'NEW', name: '对用人单位的处罚', basis: '《劳动法》' }],
      [
        ['added', [], [1], null],
        ['removed', [1], [], null],
      ],
    ],
    [
      'merged into the surviving code',
      [A, B],
      [{ ...A, name: `${A.name}及${B.name}`, basis: `${A.basis} ${B.basis}` }],
      [['merged', [1, 2], [1], 'containment']],
    ],
    [
      'merged into a new code',
      [A, B],
      [{ ...A, code: 'N', name: `${A.name}及${B.name}`, basis: `${A.basis} ${B.basis}` }],
      [['merged', [1, 2], [1], 'containment']],
    ],
    [
      'split, one part keeping the code',
      [C],
      [
        { ...C, name: '工伤认定（职工）' },
        { ...C, seq: 4, code: 'N', name: '工伤认定（其他）' },
      ],
      [['split', [3], [3, 4], 'containment']],
    ],
    [
      'split into new codes',
      [C],
      [
        { ...C, code: 'N1', name: '工伤认定（职工）' },
        { ...C, seq: 4, code: 'N2', name: '工伤认定（其他）' },
      ],
      [['split', [3], [3, 4], 'containment']],
    ],
    [
      'a removed near-duplicate is not a merge when the survivor did not grow',
      [A, { ...A, seq: 2, code: 'C2' }],
      [A],
      [['removed', [2], [], null]],
    ],
    [
      'basis updated',
      [C],
      [{ ...C, basis: '《工伤保险条例》(国务院令第586号,2010年12月20日)第十七条' }],
      [['basis_changed', [3], [3], 'code']],
    ],
    [
      'sub-items added and removed',
      [{ ...C, sub_items: [sub('甲', 'S1'), sub('乙')] }],
      [{ ...C, sub_items: [sub('甲 ', 'S1'), sub('丙')] }],
      [
        ['sub_items_added', [3], [3], 'code'],
        ['sub_items_removed', [3], [3], 'code'],
      ],
    ],
  ])('%s', (_what, from, to, expected) => expect(kinds(from, to)).toEqual(expected));

  it('records before and after values and the match score', () => {
    const [c] = diffLists([C], [{ ...C, power_type: '行政确认' }]);
    expect(c).toMatchObject({
      kind: 'retyped',
      before: '其他行政权力',
      after: '行政确认',
      code_before: 'C3',
      code_after: 'C3',
      score: 1,
    });
    const [r] = diffLists([A], [{ ...A, code: 'NEW', name: A.name.replace('劳动者', '职工') }]);
    expect(r!.kind).toBe('renamed');
    expect(r!.method).toBe('similarity');
    expect(r!.score).toBeGreaterThanOrEqual(0.75);
    expect(r!.score).toBeLessThan(1);
  });

  it('pairs sub-items by code, then by name', () => {
    expect(compareSubItems([sub('旧名', 'S1'), sub('乙')], [sub('新名', 'S1'), sub('乙')])).toEqual({
      added: [],
      removed: [],
    });
  });
});

describe('on the bundled list', () => {
  const items = parseListText(bundledText(), 'liangzhou.txt', profile()).items;

  it('finds no change between the list and itself, and every item paired', () => {
    expect(diffLists(items, items)).toEqual([]);
    expect(matchItems(items, items).pairs.length).toBe(items.length);
  });

  it('removing any single item gives exactly one removal, never a false merge', () => {
    for (const gone of items) {
      const changes = diffLists(
        items,
        items.filter((x) => x !== gone),
      );
      expect(changes.map((c) => [c.kind, c.from_seqs])).toEqual([['removed', [gone.seq]]]);
    }
  });

  it('counts by type and section in each version, and changes by kind', () => {
    const counts = versionCounts(items, items.slice(1));
    const types = counts.filter((r) => r.dimension === 'power_type');
    expect(types.reduce((n, r) => n + r.from_items, 0)).toBe(items.length);
    expect(types.reduce((n, r) => n + r.to_items, 0)).toBe(items.length - 1);
    expect(types.find((r) => r.category === '行政许可')).toMatchObject({ delta: -1 });
    expect(kindCounts(diffLists(items, items.slice(1))).find((k) => k.kind === 'removed')).toEqual({
      kind: 'removed',
      label: '取消事项',
      changes: 1,
    });
  });
});
