import { describe, expect, it } from 'vitest';
import { compareBasis, citedVersions } from '../../etl/reform/citation-diff.ts';
import {
  MATCH_THRESHOLD,
  containment,
  containedIn,
  dice,
  fingerprint,
  similarity,
  textBigrams,
} from '../../etl/reform/similarity.ts';

describe('character-bigram measures', () => {
  it.each([
    ['劳动争议仲裁', ['劳动', '动争', '争议', '议仲', '仲裁']],
    ['工伤 登记，', ['工伤', '伤登', '登记']],
    ['a', []],
  ])('bigrams of %s', (text, expected) => expect([...textBigrams(text)]).toEqual(expected));

  it.each([
    ['工伤登记', '工伤登记', 1],
    ['工伤登记', '工伤认定', 2 / 6],
    ['', '', 1],
    ['工伤登记', '', 0],
  ])('Dice(%s, %s) = %d', (a, b, d) => expect(dice(textBigrams(a), textBigrams(b))).toBeCloseTo(d, 6));

  it('containment is one-sided', () => {
    const part = textBigrams('人事争议仲裁');
    const whole = textBigrams('劳动人事争议仲裁');
    expect(containment(part, whole)).toBe(1);
    expect(containment(whole, part)).toBeCloseTo(5 / 7, 6);
  });

  it('weighs name and basis, and the name alone when neither has a basis', () => {
    const a = fingerprint({ name: '工伤登记', basis: '《工伤保险条例》第十七条' });
    const b = fingerprint({ name: '工伤认定', basis: '《工伤保险条例》第十七条' });
    expect(similarity(a, b)).toBeCloseTo(0.6 * (2 / 6) + 0.4, 6);
    expect(similarity(a, b)).toBeLessThan(MATCH_THRESHOLD);
    expect(similarity(fingerprint({ name: '工伤登记', basis: '' }), fingerprint({ name: '工伤登记', basis: '' }))).toBe(
      1,
    );
    expect(
      containedIn(
        fingerprint({ name: '人事争议仲裁', basis: '甲乙丙' }),
        fingerprint({ name: '劳动人事争议仲裁', basis: '甲乙丙丁' }),
      ),
    ).toBe(1);
  });
});

describe('basis comparison by citations', () => {
  const old =
    '1.《工伤保险条例》(中华人民共和国国务院令第375号,2003年4月16日)第十七条 2.《劳动保障监察条例》(中华人民共和国国务院令第423号,2004年10月26日)第十一条';
  it('reads the cited instruments and the version each names', () => {
    expect([...citedVersions(old).values()]).toEqual([
      { title: '工伤保险条例', version: '2003-04-16' },
      { title: '劳动保障监察条例', version: '2004-10-26' },
    ]);
  });
  it.each([
    ['identical text', old, null],
    ['only spaces differ', old.replace('第十七条', '第十七条 '), null],
    [
      'a newer version cited',
      old.replace('第375号,2003年4月16日', '第586号,2010年12月20日'),
      {
        added: [],
        removed: [],
        updated: [{ title: '工伤保险条例', before: '2003-04-16', after: '2010-12-20' }],
        textOnly: false,
      },
    ],
    [
      'a citation dropped',
      old.split(' 2.')[0]!,
      { added: [], removed: ['劳动保障监察条例'], updated: [], textOnly: false },
    ],
    [
      'a citation added',
      `${old} 3.《中华人民共和国社会保险法》第五十八条`,
      { added: ['中华人民共和国社会保险法'], removed: [], updated: [], textOnly: false },
    ],
    [
      'the article changed only',
      old.replace('第十一条', '第十八条'),
      { added: [], removed: [], updated: [], textOnly: true },
    ],
  ])('%s', (_what, after, expected) => expect(compareBasis(old, after)).toEqual(expected));
});
