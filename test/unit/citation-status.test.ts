import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basisRecords } from '../../etl/legal/basis-records.ts';
import {
  citationStatuses,
  isFlagged,
  needsAction,
  unresolved,
  type CitationFact,
  type RegistryEventFact,
  type RegistryInstrumentFact,
} from '../../etl/legal/citation-status.ts';
import { resolveListDate } from '../../etl/legal/list-meta.ts';
import { comparePartial } from '../../etl/legal/partial-date.ts';
import { registryFacts } from '../../etl/legal/registry-facts.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { indexOfRegistry, parseRegistry, resolveCitation } from '../../etl/registry/instruments.ts';
import { profile } from '../helpers/bundled.ts';

const ev = (event: RegistryEventFact['event'], date: string, verified = true): RegistryEventFact => ({
  event,
  date,
  by: null,
  ordinal: null,
  doc_number: null,
  source: verified ? 'https://example.org/src' : null,
  verified,
});
const inst = (
  id: string,
  events: RegistryEventFact[],
  more: Partial<RegistryInstrumentFact> = {},
): RegistryInstrumentFact => ({
  id,
  title: id,
  status: 'in_force',
  replaced_by: null,
  replaced_on: null,
  source: 'https://example.org/inst',
  events,
  ...more,
});

// Fictional instruments: the computation is tested on its own, not on the registry's facts.
const REG = new Map<string, RegistryInstrumentFact>([
  ['law', inst('law', [ev('adopted', '1994-07-05'), ev('amended', '2009-08-27'), ev('amended', '2018-12-29')])],
  [
    'rule',
    inst('rule', [ev('promulgated', '2007-11-05'), ev('amended', '2015-04-30'), ev('amended', '2022-01-07', false)]),
  ],
  [
    'old',
    inst('old', [ev('promulgated', '1999-01-22')], {
      status: 'repealed',
      replaced_by: 'new',
      replaced_on: '2020-06-01',
    }),
  ],
  ['unsourced', inst('unsourced', [ev('promulgated', '2010-01-01', false)], { source: null })],
]);
const c = (
  instrument_id: string | null,
  claimed: string | null,
  seq = 1,
  doc_numbers: string[] = [],
): CitationFact => ({
  seq,
  instrument_id,
  claimed_version_date: claimed,
  doc_numbers,
});

describe('comparePartial', () => {
  it.each([
    ['2015', '2015-04-30', 0],
    ['2015-04', '2015-04-30', 0],
    ['2015-05', '2015-04-30', 1],
    ['2014', '2015-04-30', -1],
    ['2018-12-29', '2009-08-27', 1],
  ] as const)('%s vs %s → %i', (a, b, want) => expect(comparePartial(a, b)).toBe(want));
});

describe('citationStatuses, one citation at a time', () => {
  const cases: Array<
    [string, CitationFact, string, string, { list: string; now: string; newerNow?: string; verified?: boolean | null }]
  > = [
    [
      'cites the latest version',
      c('law', '2018-12-29'),
      '2020-01-01',
      '2026-11-29',
      { list: 'current', now: 'current', verified: true },
    ],
    [
      'cites a superseded version',
      c('law', '2009-08-27'),
      '2020-01-01',
      '2026-11-29',
      { list: 'outdated', now: 'outdated', newerNow: '2018-12-29', verified: true },
    ],
    [
      'superseded only after the list date',
      c('law', '2009-08-27'),
      '2010-01-01',
      '2026-11-29',
      { list: 'current', now: 'outdated', newerNow: '2018-12-29' },
    ],
    [
      'year-only date names the version of that year',
      c('rule', '2015'),
      '2016-01-01',
      '2016-01-01',
      { list: 'current', now: 'current' },
    ],
    [
      'year-only date, a later version exists',
      c('rule', '2015'),
      '2016-01-01',
      '2026-11-29',
      { list: 'current', now: 'outdated', newerNow: '2022-01-07', verified: false },
    ],
    [
      'original version cited, amended since',
      c('rule', '2007-11-05'),
      '2016-01-01',
      '2016-01-01',
      { list: 'outdated', now: 'outdated', newerNow: '2015-04-30', verified: true },
    ],
    [
      'repealed before the list date',
      c('old', '1999-01-22'),
      '2021-01-01',
      '2026-11-29',
      { list: 'repealed', now: 'repealed' },
    ],
    [
      'repealed after the list date',
      c('old', '1999-01-22'),
      '2019-01-01',
      '2026-11-29',
      { list: 'current', now: 'repealed' },
    ],
    [
      'not in the registry',
      c(null, '2012-02-06'),
      '2020-01-01',
      '2026-11-29',
      { list: 'unknown', now: 'unknown', verified: null },
    ],
    [
      'no version date stated',
      c('law', null),
      '2020-01-01',
      '2026-11-29',
      { list: 'undated', now: 'undated', verified: null },
    ],
    [
      'current but resting on unsourced facts',
      c('unsourced', '2010-01-01'),
      '2020-01-01',
      '2026-11-29',
      { list: 'current', now: 'current', verified: false },
    ],
  ];
  it.each(cases)('%s', (_name, cite, listDate, today, want) => {
    const [r] = citationStatuses([cite], REG, { listDate, today });
    expect(r!.at_list.status).toBe(want.list);
    expect(r!.now.status).toBe(want.now);
    if (want.newerNow) expect(r!.now.newer?.date).toBe(want.newerNow);
    if (want.verified !== undefined) expect(r!.now.verified).toBe(want.verified);
  });

  it('names what repealed it and when', () => {
    const [r] = citationStatuses([c('old', '1999-01-22')], REG, { listDate: '2021-01-01', today: '2026-11-29' });
    expect(r!.now).toMatchObject({ repealed_by: 'new', repealed_on: '2020-06-01', verified: true });
  });

  it('counts every newer version at the date', () => {
    const [r] = citationStatuses([c('law', '1994-07-05')], REG, { listDate: '2020-01-01', today: '2026-11-29' });
    expect(r!.now).toMatchObject({
      status: 'outdated',
      newer_count: 2,
      newer: { date: '2018-12-29', event: 'amended' },
    });
    expect(r!.latest_version?.date).toBe('2018-12-29');
    expect(r!.claimed_date_in_registry).toBe(true);
  });
});

describe('citationStatuses across a list', () => {
  it('several versions in the list: a flag on the older citations only, pointing at the items citing the newer one', () => {
    const rs = citationStatuses(
      [c('law', '2009-08-27', 2), c('law', '2018-12-29', 13), c('law', '2018-12-29', 70)],
      REG,
      {
        listDate: '2020-01-01',
        today: '2026-11-29',
      },
    );
    // The items citing the current text read current, and need no action.
    expect(rs.map((r) => r.now.status)).toEqual(['outdated', 'current', 'current']);
    expect(rs.map((r) => r.inconsistent)).toEqual([true, false, false]);
    expect(rs[0]!.newer_cited_by).toEqual([13, 70]);
    expect(rs[1]!.newer_cited_by).toEqual([]);
    expect(rs.every((r) => r.versions_in_list.join() === '2009-08-27,2018-12-29')).toBe(true);
    expect(rs.map(isFlagged)).toEqual([true, false, false]);
  });

  it('two dates of one version (adoption and promulgation) are not inconsistent', () => {
    const reg = new Map([['r', inst('r', [ev('adopted', '2004-10-26'), ev('promulgated', '2004-11-01')])]]);
    const rs = citationStatuses([c('r', '2004-10-26'), c('r', '2004-11-01')], reg, {
      listDate: '2020-01-01',
      today: '2026-11-29',
    });
    expect(rs.map((r) => r.now.status)).toEqual(['current', 'current']);
    expect(rs.some(isFlagged)).toBe(false);
  });

  it('undated and unknown citations take no part in the version comparison', () => {
    const rs = citationStatuses([c('law', '2018-12-29'), c('law', null), c(null, '2001')], REG, {
      listDate: '2020-01-01',
      today: '2026-11-29',
    });
    expect(rs.map((r) => r.now.status)).toEqual(['current', 'undated', 'unknown']);
    expect(rs.map((r) => r.inconsistent)).toEqual([false, false, false]);
  });
});

describe('undated citations', () => {
  it('an instrument never amended by that date has one text: undated reads current', () => {
    const reg = new Map([['once', inst('once', [ev('promulgated', '1999-01-22')])]]);
    const [r] = citationStatuses([c('once', null)], reg, { listDate: '2020-01-01', today: '2026-11-29' });
    expect(r!.at_list).toMatchObject({ status: 'current', verified: true });
    expect(r!.now.status).toBe('current');
    expect(isFlagged(r!)).toBe(false);
  });
  it('amended after the list date: current at the list date, undated now', () => {
    const [r] = citationStatuses([c('law', null)], REG, { listDate: '2005-01-01', today: '2026-11-29' });
    expect([r!.at_list.status, r!.now.status]).toEqual(['current', 'undated']);
    expect(unresolved(r!)).toBe(true);
  });
  it('current without a registry fact to rest on is unverified', () => {
    const [r] = citationStatuses([c('unsourced', null)], REG, { listDate: '2020-01-01', today: '2026-11-29' });
    expect(r!.now).toMatchObject({ status: 'current', verified: false });
  });
});

describe('doc-number mismatch', () => {
  const reg = new Map<string, RegistryInstrumentFact>([
    [
      'collection',
      inst('collection', [{ ...ev('promulgated', '1999-01-22'), doc_number: '国务院令第259号' }], {
        title: '社会保险费征缴暂行条例',
      }),
    ],
    ['inspection', inst('inspection', [ev('promulgated', '1999-03-19')], { doc_number: '劳动保障部令第3号' })],
    [
      'hours',
      inst(
        'hours',
        [
          { ...ev('promulgated', '1994-02-03'), doc_number: '国务院令第146号' },
          ev('revised', '1995-03-25'),
          { ...ev('promulgated', '1995-03-25'), doc_number: '国务院令第174号' },
        ],
        { title: '国务院关于职工工作时间的规定' },
      ),
    ],
    ['law', inst('law', [{ ...ev('adopted', '1994-07-05'), doc_number: '主席令第28号' }, ev('amended', '2009-08-27')])],
  ]);
  const run = (cite: CitationFact) =>
    citationStatuses([cite], reg, { listDate: '2019-07-01', today: '2026-11-29' })[0]!;

  it('item 27: 国务院令第259号 on 社会保险费征缴监督检查办法 is the number of 社会保险费征缴暂行条例', () => {
    const r = run(c('inspection', '1999-03-19', 27, ['国务院令第259号']));
    expect(r.doc_number_mismatch).toEqual({
      doc_number: '国务院令第259号',
      belongs_to: '社会保险费征缴暂行条例',
      belongs_to_version: null,
    });
    expect(r.now.status).toBe('current');
    expect(needsAction(r)).toBe(true);
  });
  it('item 2: 第146号 with "1995年3月25日修订" is the number of the 1994 text, not of the 1995 one', () => {
    const r = run(c('hours', '1995-03-25', 2, ['国务院令第146号']));
    expect(r.doc_number_mismatch).toEqual({
      doc_number: '国务院令第146号',
      belongs_to: '国务院关于职工工作时间的规定',
      belongs_to_version: '1994-02-03',
    });
    expect(run(c('hours', '1995-03-25', 2, ['国务院令第174号'])).doc_number_mismatch).toBeNull();
    expect(run(c('hours', '1994-02-03', 2, ['国务院令第146号'])).doc_number_mismatch).toBeNull();
  });
  it('an amendment by decision keeps the original number: 主席令第28号 with the 2009 amendment is no mismatch', () => {
    expect(run(c('law', '2009-08-27', 2, ['主席令第28号'])).doc_number_mismatch).toBeNull();
  });
  it('a number the registry does not know is no mismatch', () => {
    expect(run(c('inspection', '1999-03-19', 27, ['国务院令第999号'])).doc_number_mismatch).toBeNull();
  });
});

describe('resolveListDate', () => {
  it('uses a stated date with its source', () => {
    expect(
      resolveListDate({ list_date: '2021-03-01', list_date_basis: 'stated', source: 'https://example.org' }, [
        '2019-07-01',
      ]),
    ).toEqual({
      date: '2021-03-01',
      basis: 'stated',
      source: 'https://example.org',
      verified: true,
    });
  });
  it('falls back to the latest cited date, unverified, and says so', () => {
    expect(resolveListDate({ list_date_basis: 'latest_cited_date' }, ['2015', '2019-07-01', '2018-12-29'])).toEqual({
      date: '2019-07-01',
      basis: 'latest_cited_date',
      source: null,
      verified: false,
    });
    expect(resolveListDate(null, [])).toBeNull();
  });
});

describe('the bundled list against the shipped registry', () => {
  const reg = parseRegistry(
    readFileSync(new URL('../../data/instruments.yaml', import.meta.url), 'utf8'),
    'instruments.yaml',
  );
  if (!reg.ok) throw new Error('registry invalid');
  const parsed = parseListText(
    readFileSync(new URL('../../data/lists/liangzhou.txt', import.meta.url), 'utf8'),
    'liangzhou.txt',
    profile(),
  );
  const { citations } = basisRecords(parsed.items, 'liangzhou.txt');
  const index = indexOfRegistry(reg.registry);
  const facts = citations.map((x) => ({
    seq: x.seq,
    instrument_id: resolveCitation(index, x),
    claimed_version_date: x.claimed_version_date,
    doc_numbers: x.doc_numbers,
  }));
  const rs = citationStatuses(facts, registryFacts(reg.registry.instruments), {
    listDate: '2019-07-01',
    today: '2026-11-29',
  });
  const at = (seq: number, id: string) => rs[facts.findIndex((f) => f.seq === seq && f.instrument_id === id)]!;
  const all = (seq: number, id: string) => rs.filter((_, i) => facts[i]!.seq === seq && facts[i]!.instrument_id === id);

  it('item 2 cites 劳动法 as amended 2009: outdated by the 2018 amendment, flagged as an older version than items 13 and 70 cite', () => {
    expect(at(2, 'labour-law').at_list).toMatchObject({
      status: 'outdated',
      newer: { date: '2018-12-29', event: 'amended' },
    });
    expect(at(2, 'labour-law')).toMatchObject({ inconsistent: true, newer_cited_by: [13, 70] });
    expect(at(13, 'labour-law')).toMatchObject({
      inconsistent: false,
      at_list: { status: 'current', verified: true },
      now: { status: 'current' },
    });
    expect(isFlagged(at(13, 'labour-law'))).toBe(false);
  });
  it("item 78's 劳动合同法 note is cut off by the cell: undated, and items 4 and 5 (the 2012 text) are current without a flag", () => {
    expect(at(78, 'labour-contract-law')).toMatchObject({ at_list: { status: 'undated' }, inconsistent: false });
    for (const seq of [4, 5])
      expect(at(seq, 'labour-contract-law')).toMatchObject({
        now: { status: 'current' },
        inconsistent: false,
        versions_in_list: [],
      });
  });
  it('items 48–54 cite 工伤保险条例 as revised 2010: current; items 38 and 39 cite the 2003 text', () => {
    for (const seq of [48, 49, 50, 51, 52, 53, 54])
      for (const r of all(seq, 'work-injury-insurance-regulations'))
        expect(r.now.status, `item ${seq}`).toBe('current');
    expect(at(38, 'work-injury-insurance-regulations')).toMatchObject({
      inconsistent: true,
      now: { status: 'outdated', newer: { date: '2010-12-20' } },
    });
  });
  it('item 60 cites 就业服务与就业管理规定 "2015年修订": not outdated by the 2015-04-30 revision itself', () => {
    const r = at(60, 'employment-services-provisions');
    expect(r.at_list.newer?.date).toBe('2018-12-14');
    expect(r.at_list.newer?.date).not.toBe('2015-04-30');
  });
  it('later versions the registry lacked before: 人才市场管理规定 2019, 甘肃省就业促进条例 2021, 中外合作办学条例 2013', () => {
    for (const seq of [28, 29, 30])
      expect(at(seq, 'talent-market-provisions')).toMatchObject({
        at_list: { status: 'current' },
        now: { status: 'outdated', newer: { date: '2019-12-31' } },
      });
    for (const seq of [31, 33])
      expect(at(seq, 'gansu-employment-promotion-regulations').now).toMatchObject({
        status: 'outdated',
        newer: { date: '2021-07-28', event: 'revised' },
        verified: true,
      });
    expect(at(19, 'sino-foreign-cooperative-education-regulations').at_list).toMatchObject({
      status: 'outdated',
      newer_count: 2,
      newer: { date: '2019-03-02' },
    });
    expect(
      citationStatuses([facts[facts.findIndex((f) => f.seq === 19)]!], registryFacts(reg.registry.instruments), {
        listDate: '2014-01-01',
        today: '2014-01-01',
      })[0]!.now.newer?.date,
    ).toBe('2013-07-18');
  });
  it('失业保险条例 cited without a date (item 55) and never amended: current', () => {
    expect(all(55, 'unemployment-insurance-regulations').map((r) => r.now.status)).toEqual([
      'current',
      'current',
      'current',
    ]);
  });
  it('doc-number mismatches of the list: item 27 (第259号) and item 2 (第146号)', () => {
    expect(at(27, 'social-insurance-premium-inspection-measures').doc_number_mismatch).toMatchObject({
      doc_number: '国务院令第259号',
      belongs_to: '社会保险费征缴暂行条例',
    });
    expect(at(2, 'working-hours-provisions').doc_number_mismatch).toMatchObject({
      doc_number: '国务院令第146号',
      belongs_to_version: '1994-02-03',
    });
    expect(rs.filter((r) => r.doc_number_mismatch !== null)).toHaveLength(2);
  });
  it('at most 5% of the citations are unknown', () => {
    const unknown = rs.filter((r) => r.now.status === 'unknown').length;
    expect(unknown).toBe(facts.filter((f) => f.instrument_id === null).length);
    expect(unknown / rs.length).toBeLessThanOrEqual(0.05);
  });
});
