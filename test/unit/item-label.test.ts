import { describe, expect, it } from 'vitest';
import { itemLabel, type LabelInput } from '../../etl/derive/item-label.ts';

const base: LabelInput = {
  seq: 4,
  name: '对劳担向物止动他和对劳担',
  name_quality: 'scrambled',
  power_type: '行政处罚',
  basis_title: '中华人民共和国劳动合同法',
  basis_articles: ['第八十四条'],
  basis_text: '',
};

describe('itemLabel', () => {
  it.each<[string, Partial<LabelInput>, string, boolean]>([
    ['a scrambled name gets number, type and main basis', {}, '第4项 · 行政处罚 · 劳动合同法第八十四条', true],
    ['a truncated name too', { name_quality: 'truncated' }, '第4项 · 行政处罚 · 劳动合同法第八十四条', true],
    ['a readable name is its own label', { name: '工伤认定', name_quality: 'ok' }, '工伤认定', false],
    [
      'without a citation the article comes from the basis text',
      { basis_title: null, basis_articles: [], basis_text: '……16日)第六十三条:用人单位违反' },
      '第4项 · 行政处罚 · 实施依据第六十三条',
      true,
    ],
    [
      'a citation without article keeps the title',
      { basis_title: '工伤保险条例', basis_articles: [] },
      '第4项 · 行政处罚 · 工伤保险条例',
      true,
    ],
    [
      'nothing is invented when parts are missing',
      { power_type: null, basis_title: null, basis_articles: [], basis_text: '' },
      '第4项 · 权力类型未读出 · 实施依据未读出',
      true,
    ],
  ])('%s', (_, patch, label, substitute) => {
    expect(itemLabel({ ...base, ...patch })).toEqual({ label, label_is_substitute: substitute });
  });
});
