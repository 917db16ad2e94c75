import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basisRecords } from '../../etl/legal/basis-records.ts';
import {
  citationStatuses,
  isFlagged,
  type CitationFact,
  type RegistryEventFact,
  type RegistryInstrumentFact,
} from '../../etl/legal/citation-status.ts';
import { resolveListDate } from '../../etl/legal/list-meta.ts';
import { comparePartial } from '../../etl/legal/partial-date.ts';
import { registryFacts } from '../../etl/legal/registry-facts.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { parseRegistry, resolveInstrument } from '../../etl/registry/instruments.ts';
import { profile } from '../helpers/bundled.ts';

const ev = (event: RegistryEventFact['event'], date: string, verified = true): RegistryEventFact => ({
  event, date, by: null, ordinal: null, doc_number: null, source: verified ? 'https://example.org/src' : null, verified,
});
const inst = (id: string, events: RegistryEventFact[], more: Partial<RegistryInstrumentFact> = {}): RegistryInstrumentFact => ({
  id, title: id, status: 'in_force', replaced_by: null, replaced_on: null, source: 'https://example.org/inst', events, ...more,
});

// Fictional instruments: the computation is tested on its own, not on the registry's facts.
const REG = new Map<string, RegistryInstrumentFact>([
  ['law', inst('law', [ev('adopted', '1994-07-05'), ev('amended', '2009-08-27'), ev('amended', '2018-12-29')])],
  ['rule', inst('rule', [ev('promulgated', '2007-11-05'), ev('amended', '2015-04-30'), ev('amended', '2022-01-07', false)])],
  ['old', inst('old', [ev('promulgated', '1999-01-22')], { status: 'repealed', replaced_by: 'new', replaced_on: '2020-06-01' })],
  ['unsourced', inst('unsourced', [ev('promulgated', '2010-01-01', false)], { source: null })],
]);
const c = (instrument_id: string | null, claimed: string | null, seq = 1): CitationFact => ({ seq, instrument_id, claimed_version_date: claimed });

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
  const cases: Array<[string, CitationFact, string, string, { list: string; now: string; newerNow?: string; verified?: boolean | null }]> = [
    ['cites the latest version', c('law', '2018-12-29'), '2020-01-01', '2026-11-29', { list: 'current', now: 'current', verified: true }],
    ['cites a superseded version', c('law', '2009-08-27'), '2020-01-01', '2026-11-29', { list: 'outdated', now: 'outdated', newerNow: '2018-12-29', verified: true }],
    ['superseded only after the list date', c('law', '2009-08-27'), '2010-01-01', '2026-11-29', { list: 'current', now: 'outdated', newerNow: '2018-12-29' }],
    ['year-only date names the version of that year', c('rule', '2015'), '2016-01-01', '2016-01-01', { list: 'current', now: 'current' }],
    ['year-only date, a later version exists', c('rule', '2015'), '2016-01-01', '2026-11-29', { list: 'current', now: 'outdated', newerNow: '2022-01-07', verified: false }],
    ['original version cited, amended since', c('rule', '2007-11-05'), '2016-01-01', '2016-01-01', { list: 'outdated', now: 'outdated', newerNow: '2015-04-30', verified: true }],
    ['repealed before the list date', c('old', '1999-01-22'), '2021-01-01', '2026-11-29', { list: 'repealed', now: 'repealed' }],
    ['repealed after the list date', c('old', '1999-01-22'), '2019-01-01', '2026-11-29', { list: 'current', now: 'repealed' }],
    ['not in the registry', c(null, '2012-02-06'), '2020-01-01', '2026-11-29', { list: 'unknown', now: 'unknown', verified: null }],
    ['no version date stated', c('law', null), '2020-01-01', '2026-11-29', { list: 'undated', now: 'undated', verified: null }],
    ['current but resting on unsourced facts', c('unsourced', '2010-01-01'), '2020-01-01', '2026-11-29', { list: 'current', now: 'current', verified: false }],
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
    expect(r!.now).toMatchObject({ status: 'outdated', newer_count: 2, newer: { date: '2018-12-29', event: 'amended' } });
    expect(r!.latest_version?.date).toBe('2018-12-29');
    expect(r!.claimed_date_in_registry).toBe(true);
  });
});

describe('citationStatuses across a list', () => {
  it('flags the same instrument cited in two versions; both citations carry the flag', () => {
    const rs = citationStatuses([c('law', '2009-08-27', 2), c('law', '2018-12-29', 13), c('law', '2018-12-29', 70)], REG, {
      listDate: '2020-01-01', today: '2026-11-29',
    });
    expect(rs.map((r) => r.inconsistent)).toEqual([true, true, true]);
    expect(rs.map((r) => r.now.status)).toEqual(['outdated', 'inconsistent', 'inconsistent']);
    expect(rs[1]!.versions_in_list).toEqual(['2009-08-27', '2018-12-29']);
    expect(rs.every(isFlagged)).toBe(true);
  });

  it('two dates of one version (adoption and promulgation) are not inconsistent', () => {
    const reg = new Map([['r', inst('r', [ev('adopted', '2004-10-26'), ev('promulgated', '2004-11-01')])]]);
    const rs = citationStatuses([c('r', '2004-10-26'), c('r', '2004-11-01')], reg, { listDate: '2020-01-01', today: '2026-11-29' });
    expect(rs.map((r) => r.now.status)).toEqual(['current', 'current']);
    expect(rs.some(isFlagged)).toBe(false);
  });

  it('undated and unknown citations take no part in the version comparison', () => {
    const rs = citationStatuses([c('law', '2018-12-29'), c('law', null), c(null, '2001')], REG, { listDate: '2020-01-01', today: '2026-11-29' });
    expect(rs.map((r) => r.now.status)).toEqual(['current', 'undated', 'unknown']);
  });
});

describe('resolveListDate', () => {
  it('uses a stated date with its source', () => {
    expect(resolveListDate({ list_date: '2021-03-01', list_date_basis: 'stated', source: 'https://example.org' }, ['2019-07-01'])).toEqual({
      date: '2021-03-01', basis: 'stated', source: 'https://example.org', verified: true,
    });
  });
  it('falls back to the latest cited date, unverified, and says so', () => {
    expect(resolveListDate({ list_date_basis: 'latest_cited_date' }, ['2015', '2019-07-01', '2018-12-29'])).toEqual({
      date: '2019-07-01', basis: 'latest_cited_date', source: null, verified: false,
    });
    expect(resolveListDate(null, [])).toBeNull();
  });
});

describe('the bundled list against the shipped registry', () => {
  const reg = parseRegistry(readFileSync(new URL('../../data/instruments.yaml', import.meta.url), 'utf8'), 'instruments.yaml');
  if (!reg.ok) throw new Error('registry invalid');
  const parsed = parseListText(readFileSync(new URL('../../data/lists/liangzhou.txt', import.meta.url), 'utf8'), 'liangzhou.txt', profile());
  const { citations } = basisRecords(parsed.items, 'liangzhou.txt');
  const facts = citations.map((x) => ({ seq: x.seq, instrument_id: resolveInstrument(reg.registry, x.cited_title)?.id ?? null, claimed_version_date: x.claimed_version_date }));
  const rs = citationStatuses(facts, registryFacts(reg.registry.instruments), { listDate: '2019-07-01', today: '2026-11-29' });
  const at = (seq: number, id: string) => rs[facts.findIndex((f) => f.seq === seq && f.instrument_id === id)]!;

  it('item 2 cites 劳动法 as amended 2009: outdated by the 2018 amendment, and inconsistent with item 13', () => {
    expect(at(2, 'labour-law').at_list).toMatchObject({ status: 'outdated', newer: { date: '2018-12-29', event: 'amended' } });
    expect(at(2, 'labour-law').inconsistent).toBe(true);
    expect(at(13, 'labour-law').at_list.status).toBe('inconsistent');
  });
  it('item 60 cites 就业服务与就业管理规定 "2015年修订": not outdated by the 2015-04-30 amendment itself', () => {
    const r = at(60, 'employment-services-provisions');
    expect(r.at_list.newer?.date).toBe('2018-12-14');
    expect(r.at_list.newer?.date).not.toBe('2015-04-30');
  });
  it('shows the unregistered notices as unknown', () => {
    const unknown = rs.filter((r) => r.now.status === 'unknown').length;
    expect(unknown).toBe(facts.filter((f) => f.instrument_id === null).length);
    expect(unknown).toBeGreaterThan(30);
  });
});
