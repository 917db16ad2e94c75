import { describe, expect, it } from 'vitest';
import { mapHeader } from '../../etl/parse/list-header.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { readPowerType } from '../../etl/parse/power-type.ts';
import { matchCanonical } from '../../etl/parse/canonical-name.ts';
import { readPowerCode } from '../../etl/parse/power-code.ts';
import { bundledText, profile } from '../helpers/bundled.ts';

const P = profile();
const parsed = parseListText(bundledText(), 'liangzhou.txt', P);
const bySeq = new Map(parsed.items.map((i) => [i.seq, i]));

describe('bundled list, structure', () => {
  it('gives the 80 items once each, in order', () => {
    expect(parsed.items.map((i) => i.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(parsed.title).toBe('凉州区人社局权责清单');
  });

  it('recovers the damaged last 序号 from its code and says so', () => {
    const last = bySeq.get(80)!;
    expect(last.seq_origin).toBe('inferred');
    expect(last.code).toBe('11622301566438677P4621014041000');
    expect(parsed.issues.some((i) => i.field === 'seq' && i.seq === 80 && /404100/.test(i.message))).toBe(true);
  });

  it('merges page-break continuation rows of one item', () => {
    expect(bySeq.get(3)!.source_lines).toEqual([8, 9, 12, 13, 16]);
    expect(bySeq.get(55)!.source_lines.length).toBeGreaterThan(5);
  });

  it('keeps source lines inside the file', () => {
    const lines = bundledText().split('\n').length;
    for (const it of parsed.items) for (const l of it.source_lines) expect(l).toBeLessThanOrEqual(lines);
  });
});

describe('bundled list, fields', () => {
  it('reads power types, agreeing with the code type segment except where the list itself disagrees', () => {
    const counts: Record<string, number> = {};
    for (const it of parsed.items) counts[it.power_type ?? 'null'] = (counts[it.power_type ?? 'null'] ?? 0) + 1;
    expect(counts).toEqual({ 行政许可: 3, 行政处罚: 36, 其他行政权力: 41 });
    // Item 36 is a penalty whose code carries the licence segment 462011: flagged, not silently changed.
    expect(bySeq.get(36)!.power_type).toBe('行政处罚');
    expect(parsed.issues.some((i) => i.seq === 36 && i.field === 'power_type' && /462011/.test(i.message))).toBe(true);
  });

  it('takes the power type from the code when the column is empty, and says so', () => {
    expect(bySeq.get(1)!).toMatchObject({
      power_type: '行政许可',
      power_type_evidence: 'code',
      power_type_origin: 'inferred',
    });
  });

  it('reassembles split codes and keeps partial ones partial', () => {
    expect(bySeq.get(13)!.code).toBe('11622301566438677P4620214010000');
    expect(bySeq.get(3)!).toMatchObject({ code: null, code_partial: true, code_read: '01566438677P462011' });
    // Item 45 has only sub-item codes: the item code is inferred from them.
    expect(bySeq.get(45)!).toMatchObject({ code: '11622301566438677P4621014006000', code_origin: 'inferred' });
  });

  it('canonicalises split section names and leaves unreadable ones missing', () => {
    expect(bySeq.get(61)!.section).toBe('就业培训股');
    expect(bySeq.get(5)!).toMatchObject({ section: '劳动监察大队', section_origin: 'repaired' }); // "察大队"
    expect(bySeq.get(2)!.section).toBeNull(); // "仃以甲" is not a section
    for (const it of parsed.items) if (it.section) expect(P.sections).toContain(it.section);
  });

  it('flags scrambled names instead of accepting them', () => {
    expect(bySeq.get(15)!.name_quality).toBe('scrambled');
    expect(bySeq.get(28)!.name_quality).toBe('scrambled');
    expect(bySeq.get(16)!).toMatchObject({ name: '对用人单位应当参加工伤保险而未参加的处罚', name_quality: 'ok' });
    expect(bySeq.get(2)!.name).toBe('企业实行不定时工作制和综合计算工时工作制审批');
  });

  it('extracts the numbered stages of the duties column', () => {
    expect(bySeq.get(2)!.stages).toEqual(['受理', '审查', '决定', '送达', '事后监管']);
    expect(bySeq.get(13)!.stages.slice(0, 3)).toEqual(['立案', '调查', '审查']);
  });
});

describe('cell readers', () => {
  it.each([
    ['行政许可', '行政许可'],
    ['行政许 可', '行政许可'],
    ['可', '行政许可'],
    ['行政处', '行政处罚'],
    ['行政罚', '行政处罚'],
    ['行政处 罚', '行政处罚'],
    ['其他行', '其他行政权力'],
    ['其他行 政权力', '其他行政权力'],
    ['其他权力', '其他行政权力'],
    ['1', null],
    ['行政切', null],
    ['', null],
  ])('power type %s → %s', (cell, want) => {
    expect(readPowerType(cell)?.value ?? null).toBe(want);
  });

  it.each([
    ['劳动监 察大队', '劳动监察大队'],
    ['察大队', '劳动监察大队'],
    ['劳动监队', '劳动监察大队'],
    ['险股', '社会保险股'],
    ['行政审 批股', '行政审批股'],
    ['股', null],
    ['仃以甲', null],
  ])('section %s → %s', (cell, want) => {
    expect(matchCanonical(cell, P.sections)?.value ?? null).toBe(want);
  });

  it('reads full and partial codes', () => {
    const segs = Object.keys(P.power_type_segments);
    expect(readPowerCode('116223 015664 38677P 462021 400100 0', P.credit_code, segs)).toMatchObject({
      full: '11622301566438677P4620214001000',
      typeSegment: '462021',
      itemSegment: '400100',
      subDigit: '0',
    });
    expect(readPowerCode('015664 38677p 462011', P.credit_code, segs)).toMatchObject({
      full: null,
      typeSegment: '462011',
    });
    expect(readPowerCode('1', P.credit_code, segs)).toBeNull();
  });

  it('maps headers whose labels are missing, split or damaged', () => {
    const h =
      '序\t号事项名称\t子项 名称\t权力 类型\t地方权 力编码\t子项地 方权力 编码\t行使 主体\t承办 机构\t实施依据\t责任事项内容\t追责情形\t办哥层约\t事る\t主'.split(
        '\t',
      );
    expect(mapHeader(h).slice(0, 2)).toEqual(['seq', 'name']);
    expect(mapHeader(h)[11]).toBe('level');
    const noSubject =
      '序号\t事项名称\t子项 名称\t权力 类型\t地方权力编码\t子项地 方权力 编码\t\t承办 机构\t实施依据'.split('\t');
    expect(mapHeader(noSubject)[6]).toBe('subject');
  });
});

describe('unusable input', () => {
  it('names file and line when data comes before any header', () => {
    expect(() => parseListText('标题\n1\t名称\t\t行政许可', 'bad.txt', P)).toThrow(/bad\.txt: on line 2/);
  });

  it('recovers a damaged 序号 when the code says the row starts the next item', () => {
    const text = bundledText().split('\n');
    const i = text.findIndex((l) => l.startsWith('10\t'));
    text[i] = text[i]!.replace(/^10\t/, '97\t');
    const p = parseListText(text.join('\n'), 'damaged.txt', P);
    expect(p.items.map((x) => x.seq)).toEqual(Array.from({ length: 80 }, (_, k) => k + 1));
    expect(p.issues).toContainEqual(expect.objectContaining({ line: i + 1, field: 'seq', value: '97', seq: 10 }));
  });

  it('recovers a damaged 序号 from the numbering around it when the code cannot tell', () => {
    const text = bundledText().split('\n');
    const i = text.findIndex((l) => l.startsWith('10\t'));
    text[i] = text[i]!.replace(/^10\t/, '97\t').replace('462021 400700 0', '');
    const p = parseListText(text.join('\n'), 'jump.txt', P);
    expect(p.items.map((x) => x.seq)).toEqual(Array.from({ length: 80 }, (_, k) => k + 1));
    expect(p.issues).toContainEqual(
      expect.objectContaining({
        source: 'jump.txt',
        line: i + 1,
        seq: 10,
        field: 'seq',
        value: '97',
        kind: 'seq_unreadable',
        severity: 'warning',
        message: '序号 "97" unreadable; taken as 10: it follows item 9 and the next item reads 11',
      }),
    );
  });

  it('refuses a file without any header', () => {
    expect(() => parseListText('', 'empty.txt', P)).toThrow(/no header row/);
  });
});
