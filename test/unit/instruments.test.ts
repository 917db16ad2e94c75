import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCitations } from '../../etl/parse/citation.ts';
import { formatRegistryError, laterVersions, parseRegistry, resolveInstrument } from '../../etl/registry/instruments.ts';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const shipped = parseRegistry(read('../../data/instruments.yaml'), 'data/instruments.yaml');

/**
 * Instruments the list cites that the registry does not hold yet (mostly 规范性文件 whose
 * history nobody has checked against a public source). Shrink this list; never grow it quietly.
 */
const KNOWN_GAPS = new Set([
  '关于企业实行不定时工作制和综合计算工时工作制的审批办法', '国务院关于机关事业单位工作人员养老保险制度改革的决定',
  '机关事业单位工作人员基本养老保险经办规程', '关于进一步做好建筑业工伤保险工作的意见',
  '国务院关于建立统一的城乡居民基本养老保险制度的意见', '国务院关于工人退休、退职的暂行办法',
  '城乡居民基本养老保险经办规程', '国务院关于完善企业职工基本养老保险制度的决定',
  '城镇企业职工基本养老保险关系转移接续暂行办法', '机关事业单位基本养老保险关系和职业年金转移接续经办规程(暂行)',
  '城乡养老保险制度衔接暂行办法', '关于军人退役基本养老保险关系转移接续有关问题的通知',
  '城镇企业职工基本养老保险关系转移接续暂行办法的通知', '关于城镇企业职工基本养老保险关系转移接续若干问题的通知',
  '关于贯彻落实国务院办公厅转发城镇企业职工基本养老保险关系转移接续暂行办法的通知', '工伤保险经办规程',
  '优化失业保险经办业务流程指南', '关于领取失业保险金人员参加职工基本医疗保险有关问题的通知',
  '国务院关于做好当前和今后一段时期就业创业工作的意见', '关于进一步做好企业年金方案备案工作的意见',
  '关于进一步完善公共就业服务体系有关问题的通知', '就业失业登记证管理暂行办法', '就业补助资金管理办法',
  '关于进一步加大就业扶贫政策支持力度着力提高劳务组织化程度的通知', '国务院关于进一步做好新形势下就业创业工作的意见',
  '关于实施创业担保贷款支持创业就业工作的通知', '关于进一步做好创业担保贷款财政贴息工作的通知',
  '关于进一步加强流动人员人事档案管理服务工作的通知', '人力资源社会保障部关于实行职业技能考核鉴定机构备案管理的通知',
  '关于进一步做好技能人员职业资格证书发放管理有关工作的通知', '职业技能鉴定规定', '关于提高技术工人待遇的意见',
  '中共中央国务院关于构建和谐劳动关系的意见', '关于建立劳动用工备案制度的通知', '事业单位工作人员申诉规定',
]);

function registry() {
  if (!shipped.ok) throw new Error(shipped.errors.map(formatRegistryError).join('\n'));
  return shipped.registry;
}

/** Basis citations of every row of the bundled list (every cell: the column shifts by page). */
function listCitations() {
  const lines = read('../../data/lists/liangzhou.txt').split('\n');
  return lines.flatMap((text, i) =>
    text.split('\t').flatMap((cell) => parseCitations(cell, { source: 'liangzhou.txt', line: i + 1 }).citations),
  ).filter((c) => c.role === 'basis' && c.form !== 'plain' || c.role === 'basis' && !/(?:证|表|书|函|凭证|目录)$/.test(c.title));
}

describe('data/instruments.yaml', () => {
  it('validates', () => {
    expect(shipped.ok ? [] : shipped.errors.map(formatRegistryError)).toEqual([]);
  });

  it('resolves every instrument the bundled list cites, or names it as a known gap', () => {
    const reg = registry();
    const unresolved = new Set(listCitations().filter((c) => !resolveInstrument(reg, c.cited_title)).map((c) => c.cited_title));
    expect([...unresolved].filter((t) => !KNOWN_GAPS.has(t))).toEqual([]);
    // A gap that now resolves must leave the list.
    expect([...KNOWN_GAPS].filter((t) => !unresolved.has(t))).toEqual([]);
  });

  it('finds the superseded versions the list cites', () => {
    const reg = registry();
    const labour = resolveInstrument(reg, '中华人民共和国劳动法')!;
    expect(laterVersions(labour, '2009-08-27').map((e) => e.date)).toEqual(['2018-12-29']);
    expect(laterVersions(resolveInstrument(reg, '工伤保险条例')!, '2003-04-16').map((e) => e.date)).toEqual(['2010-12-20']);
    expect(laterVersions(resolveInstrument(reg, '社会保险法')!, '2018-12-29')).toEqual([]);
  });

  it('compares a year-only claimed date at year precision ("2015年修订" is not older than 2015-04-30)', () => {
    const rule = resolveInstrument(registry(), '就业服务与就业管理规定')!;
    expect(laterVersions(rule, '2015').map((e) => e.date)).not.toContain('2015-04-30');
    expect(laterVersions(rule, '2015').every((e) => e.date >= '2016')).toBe(true);
    expect(laterVersions(rule, '2014').map((e) => e.date)).toContain('2015-04-30');
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
    expect(messages.some((m) => m.startsWith('x.yaml on line 8: field instruments.0.events.0') && m.includes('public source'))).toBe(true);
    expect(messages.some((m) => m.startsWith('x.yaml on line 9: field instruments.0.events.1.event'))).toBe(true);
  });
  it('reports YAML syntax errors with their line', () => {
    const r = parseRegistry('instruments:\n  - id: [x\n', 'y.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).not.toBeNull();
  });
  it('refuses one alias on two instruments', () => {
    const entry = (id: string) => `  - { id: ${id}, title: T${id}, aliases: [同名], kind: 法律, issuer: I, status: in_force, events: [] }`;
    const r = parseRegistry(['instruments:', entry('a'), entry('b')].join('\n'), 'z.yaml');
    expect(r.ok ? [] : r.errors.map(formatRegistryError)).toEqual(['z.yaml on line 3: field instruments.1: title or alias "同名" already belongs to a']);
  });
});
