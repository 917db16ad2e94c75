import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basisRecords } from '../../etl/legal/basis-records.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import {
  formatRegistryError,
  indexOfRegistry,
  laterVersions,
  parseRegistry,
  registryIndex,
  resolveCitation,
  resolveInstrument,
} from '../../etl/registry/instruments.ts';
import { profile } from '../helpers/bundled.ts';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const shipped = parseRegistry(read('../../data/instruments.yaml'), 'data/instruments.yaml');

/**
 * Cited titles the registry cannot resolve: both were cut by a page break before their doc
 * number, so neither the title nor a number names the document. Shrink this list; never grow it quietly.
 */
const KNOWN_GAPS = new Set([
  '关于贯彻实施〈城乡养老保险制度衔接暂行办法〉有关问题的',
  '关于进一步完善社会救助和保障标准与物价上涨挂钩联动机制',
]);

/**
 * Instruments the list cites that still rest on a fact with no public source (an event with
 * `verified: false`, or no instrument-level `source`), each with why no source was found. Every
 * other cited instrument must have a public source for every fact; the test fails when an
 * unsourced one is added quietly, and when one is sourced but left here. Shrink it; never grow it.
 */
const UNSOURCED = new Map<string, string>([
  // rules
  [
    'employment-services-provisions',
    'the copies read stop at the 2015 revision: the 2018-12-14 and 2022-01-07 amendments are unconfirmed',
  ],
  ['social-insurance-premium-inspection-measures', 'no copy found of 劳动保障部令第3号 or its 1999-03-19 date'],
  // 规范性文件: no public copy of the document itself was found (only mentions in other texts)
  ['public-servants-pension-handling-rules-2015', 'no copy of 人社部发〔2015〕32号 found'],
  ['residents-pension-handling-rules-2014', 'no copy of 人社部发〔2014〕23号 found'],
  ['veterans-pension-transfer-notice-2015', 'only cited by a local notice; no copy of 后财〔2015〕1726号 found'],
  [
    'urban-pension-transfer-implementation-notice-2009',
    'only cited by a Beijing notice; no copy of 人社部发〔2009〕187号',
  ],
  ['work-injury-handling-rules-2012', 'no copy of 人社部发〔2012〕11号 found'],
  ['unemployment-insurance-process-guide-2006', 'no copy of 劳社厅发〔2006〕24号 found'],
  [
    'employment-registration-card-interim-measures-2010',
    'the copy read lacks its heading; 人社部发〔2010〕75号 only cited elsewhere',
  ],
  [
    'employment-subsidy-fund-measures-2017',
    'no copy of 财社〔2017〕164号 found (a 2023 successor is cited by a county page)',
  ],
  ['startup-guaranteed-loans-notice-2016', 'the copy read lacks title and number; 银发〔2016〕202号 not confirmed'],
  ['startup-loan-interest-subsidy-notice-2018', 'the copy read lacks title and number; 财金〔2018〕22号 not confirmed'],
  ['mobile-personnel-files-notice', 'the list gives no number and no copy of the national notice was found'],
  ['skills-appraisal-bodies-filing-notice-2019', 'only a news page cites 人社部发〔2019〕30号; no copy found'],
  [
    'skills-certificates-notice-2018',
    'only news reports (人社部办公厅印发, May 2018) of the notice; 人社厅发〔2018〕42号 not confirmed',
  ],
  [
    'skilled-workers-treatment-opinion-2018',
    'Xinhua printed the full text (中办、国办印发, 2018-03-22) but no number: 中办发〔2018〕16号 not confirmed',
  ],
  ['labour-employment-filing-notice-2006', 'only cited by local notices; no copy of the notice itself found'],
]);

function registry() {
  if (!shipped.ok) throw new Error(shipped.errors.map(formatRegistryError).join('\n'));
  return shipped.registry;
}

/** Basis citations of the bundled list, as the ETL derives them, each with the instrument it resolves to. */
function listCitations() {
  const parsed = parseListText(read('../../data/lists/liangzhou.txt'), 'liangzhou.txt', profile());
  const index = indexOfRegistry(registry());
  return basisRecords(parsed.items, 'liangzhou.txt').citations.map((c) => ({
    ...c,
    instrument_id: resolveCitation(index, c),
  }));
}

describe('data/instruments.yaml', () => {
  it('validates', () => {
    expect(shipped.ok ? [] : shipped.errors.map(formatRegistryError)).toEqual([]);
  });

  it('resolves every instrument the bundled list cites, or names it as a known gap', () => {
    const cites = listCitations();
    const unresolved = new Set(cites.filter((c) => c.instrument_id === null).map((c) => c.cited_title));
    expect([...unresolved].filter((t) => !KNOWN_GAPS.has(t))).toEqual([]);
    // A gap that now resolves must leave the list.
    expect([...KNOWN_GAPS].filter((t) => !unresolved.has(t))).toEqual([]);
    expect(cites.filter((c) => c.instrument_id === null).length / cites.length).toBeLessThanOrEqual(0.05);
  });

  it('every fact of an instrument the list cites has a public source, except the listed open tasks', () => {
    for (const [id, why] of UNSOURCED) expect(why.length, id).toBeGreaterThan(10);
    const cited = new Set(listCitations().map((c) => c.instrument_id));
    const open = registry()
      .instruments.filter((i) => cited.has(i.id))
      .filter((i) => i.source === undefined || i.events.some((e) => e.source === undefined))
      .map((i) => i.id);
    expect(open.filter((id) => !UNSOURCED.has(id))).toEqual([]);
    // An instrument sourced since must leave UNSOURCED.
    expect([...UNSOURCED.keys()].filter((id) => !open.includes(id))).toEqual([]);
  });

  it('gives an instrument-level source to every law and regulation the list cites that a source marks in force', () => {
    const cited = new Set(listCitations().map((c) => c.instrument_id));
    const inForce = registry().instruments.filter((i) => cited.has(i.id) && i.status === 'in_force');
    expect(inForce.length).toBeGreaterThan(10);
    expect(inForce.filter((i) => i.source === undefined).map((i) => i.id)).toEqual([]);
  });

  it('every dated fact with a source names an http(s) address', () => {
    for (const i of registry().instruments) {
      for (const e of i.events)
        if (e.source !== undefined) expect(e.source, `${i.id} ${e.event} ${e.date}`).toMatch(/^https?:\/\//);
    }
  });

  it('finds the superseded versions the list cites', () => {
    const reg = registry();
    const labour = resolveInstrument(reg, '中华人民共和国劳动法')!;
    expect(laterVersions(labour, '2009-08-27').map((e) => e.date)).toEqual(['2018-12-29']);
    expect(laterVersions(resolveInstrument(reg, '工伤保险条例')!, '2003-04-16').map((e) => e.date)).toEqual([
      '2010-12-20',
    ]);
    expect(laterVersions(resolveInstrument(reg, '社会保险法')!, '2018-12-29')).toEqual([]);
  });

  it('compares a year-only claimed date at year precision ("2015年修订" is not older than 2015-04-30)', () => {
    const rule = resolveInstrument(registry(), '就业服务与就业管理规定')!;
    expect(laterVersions(rule, '2015').map((e) => e.date)).not.toContain('2015-04-30');
    expect(laterVersions(rule, '2015').every((e) => e.date >= '2016')).toBe(true);
    expect(laterVersions(rule, '2014').map((e) => e.date)).toContain('2015-04-30');
  });
});

describe('resolveCitation', () => {
  const index = registryIndex([
    { id: 'rules', names: ['工伤保险经办规程'], doc_numbers: ['人社部发〔2012〕11号'] },
    { id: 'residents', names: ['城乡居民基本养老保险经办规程'], doc_numbers: ['人社部发〔2014〕23号'] },
    { id: 'inspection', names: ['社会保险费征缴监督检查办法'], doc_numbers: ['劳动保障部令第3号'] },
    { id: 'collection', names: ['社会保险费征缴暂行条例'], doc_numbers: ['国务院令第259号'] },
  ]);
  it.each([
    ['a title', { title_key: '工伤保险经办规程', title_quality: 'ok', doc_numbers: [] }, 'rules'],
    [
      'a title the OCR cut, by its unique prefix',
      { title_key: '工伤保险经办', title_quality: 'cut', doc_numbers: [] },
      'rules',
    ],
    [
      'an ambiguous cut prefix resolves to nothing',
      { title_key: '社会保险费征缴', title_quality: 'cut', doc_numbers: [] },
      null,
    ],
    [
      'a title that lost its 《, by its doc number',
      { title_key: '', title_quality: 'doc_number_only', doc_numbers: ['人社部发〔2014〕23号'] },
      'residents',
    ],
    [
      'an unregistered notice title, by its doc number',
      { title_key: '城乡居民基本养老保险经办规程的通知', title_quality: 'ok', doc_numbers: ['人社部发〔2014〕23号'] },
      'residents',
    ],
    // Item 27: the number belongs to another instrument; the legible title wins (and the mismatch is reported).
    [
      'a legible title is not overridden by its doc number',
      { title_key: '社会保险费征缴监督检查办法', title_quality: 'ok', doc_numbers: ['国务院令第259号'] },
      'inspection',
    ],
  ] as const)('%s', (_name, key, want) => {
    expect(resolveCitation(index, { ...key, doc_numbers: [...key.doc_numbers] })).toBe(want);
  });
});

describe('parseRegistry', () => {
  it('reports field errors with their line', () => {
    const yaml = [
      'instruments:',
      '  - id: x',
      '    title: 失业保险条例',
      '    kind: 行政法规',
      '    issuer: 国务院',
      '    status: in_force',
      '    events:',
      '      - { event: amended, date: 2019-03-24 }',
      '      - { event: repealed, date: 2020-01-01, verified: false }',
    ].join('\n');
    const r = parseRegistry(yaml, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.errors.map(formatRegistryError);
    expect(
      messages.some(
        (m) => m.startsWith('x.yaml on line 8: field instruments.0.events.0') && m.includes('public source'),
      ),
    ).toBe(true);
    expect(messages.some((m) => m.startsWith('x.yaml on line 9: field instruments.0.events.1.event'))).toBe(true);
  });
  it('reports YAML syntax errors with their line', () => {
    const r = parseRegistry('instruments:\n  - id: [x\n', 'y.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).not.toBeNull();
  });
  it('refuses one alias on two instruments', () => {
    const entry = (id: string) =>
      `  - { id: ${id}, title: T${id}, aliases: [同名], kind: 法律, issuer: I, status: in_force, events: [] }`;
    const r = parseRegistry(['instruments:', entry('a'), entry('b')].join('\n'), 'z.yaml');
    expect(r.ok ? [] : r.errors.map(formatRegistryError)).toEqual([
      'z.yaml on line 3: field instruments.1: title or alias "同名" already belongs to a',
    ]);
  });
});
