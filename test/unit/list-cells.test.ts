import { describe, expect, it } from 'vitest';
import { matchCanonical } from '../../etl/parse/canonical-name.ts';
import { wrapBroken } from '../../etl/parse/name-quality.ts';
import { extractStages, findStages } from '../../etl/parse/stages.ts';
import { mergeFragments, unwrap } from '../../etl/parse/text-merge.ts';

describe('stages', () => {
  it.each([
    [
      '1. 受理阶段责任:公示 2. 审查阶段责任:对 3. 决定阶段责任:作出 4. 送达阶段责任:准予 5. 事后监管责任:开展',
      ['受理', '审查', '决定', '送达', '事后监管'],
    ],
    ['1. 受理所投页任:公示 2. 审核阶段责任:按照', ['受理', '审核']],
    ['1. 文理所权页任:公尔应 2. 审核阶段责任', ['受理', '审核']],
    ['日. 受理所权页任:公示', ['受理']],
    ['2. 调查阶段页位: 主官部门', ['调查']],
    ['3. 审查的是是是一个人。 4. 告知的段责任:调查 5. 送达的段责任:', ['告知', '送达']],
    ['3. 审查所及时当出员应案 3. 审查所及为责任:调查', ['审查']],
    ['2. 审查及决定阶段责任:按照 3. 监管阶段责任:加强', ['审查及决定', '监管']],
    ['4. 送达责任:经审核 2. 实施责任:组织', ['实施', '送达']],
    ['性告知补正材料。 2. 审核阶段责任:按照 1. 受理阶段责任:公示', ['受理', '审核']],
    ['5. 其他法律法规规章文件规定应履行的其他责任。', []],
  ])('%s → %j', (text, want) => {
    expect(extractStages(text)).toEqual(want);
  });

  it('marks damaged labels as repaired', () => {
    expect(findStages('1. 受理阶段责任: 2. 告知的段责任:').map((h) => [h.stage, h.repaired])).toEqual([
      ['受理', false],
      ['告知', true],
    ]);
  });
});

describe('fragments', () => {
  it.each([
    [['abcdefgh', 'abcdefgh'], 'abcdefgh'],
    [['依法受理或不 予受理', '依法受理或不予受理'], '依法受理或不予受理'],
    [['第一条规定如下内容', '规定如下内容。第二条'], '第一条规定如下内容。第二条'],
    [['规定如下内容。第二条', '第一条规定如下内容'], '第一条规定如下内容。第二条'],
    [['甲乙丙丁', '戊己庚辛'], '甲乙丙丁 戊己庚辛'],
  ])('%j → %s', (frags, want) => {
    expect(mergeFragments(frags)).toBe(want);
  });

  it('drops wrap spaces between Chinese characters but keeps the ones before numbers', () => {
    expect(unwrap('材料。 2. 审查 阶段')).toBe('材料。 2.审查阶段');
    expect(unwrap('补正材料 2. 审查')).toBe('补正材料 2.审查');
  });
});

describe('names and short cells', () => {
  it.each([
    ['企业实行不定时 工作制和综合计 算工时工作制审 批', false],
    ['对用人单位违反 劳动合同法有关 建立职工名册 定的处罚', true],
    ['对违反规定, 伪 造、涂改、转让 、买卖就业失业 登记证的处罚', false],
    ['对就业困难人员 (含建档立卡贫 困劳动力)实施 就业援助', false],
    ['对用人单位违 规定未及时 动者 办理就 识手 续的 处罚', true],
    ['人力资源服务许可', false],
  ])('wrap of %s broken: %s', (cell, want) => {
    expect(wrapBroken(cell)).toBe(want);
  });

  it.each([
    ['县组', ['县级'], '县级'],
    ['县级', ['县级'], '县级'],
    ['乡组', ['县级'], null],
    ['八江川', ['凉州区人社局'], null],
    ['凉州区人', ['凉州区人社局'], '凉州区人社局'],
  ])('%s → %s', (cell, names, want) => {
    expect(matchCanonical(cell, names)?.value ?? null).toBe(want);
  });
});
