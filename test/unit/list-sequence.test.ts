import { describe, expect, it } from 'vitest';
import { formatIssue, summariseIssues } from '../../etl/parse/issue-summary.ts';
import { listQuality } from '../../etl/parse/list-quality.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import type { ParsedList } from '../../etl/parse/list-types.ts';
import { bundledText, profile } from '../helpers/bundled.ts';

/**
 * The item sequence as next year's lists and real exports bring it: gaps where items were removed,
 * a 序号 printed twice, a file cut off inside an item. Each case edits the bundled list in place
 * (blanking a line keeps every other line number) and checks the message a user sees.
 */
const P = profile();
const LINES = bundledText().split('\n');
const lineOf = (seq: number) => LINES.findIndex((l) => l.startsWith(`${seq}\t`)) + 1;
const parse = (lines: string[], name: string) => parseListText(lines.join('\n'), name, P);
const kinds = (p: ParsedList) =>
  p.issues.filter((i) => i.kind !== 'field' && i.kind !== 'row_repeat' && i.kind !== 'continuation');
const base = parse(LINES, 'liangzhou.txt');

describe('numbering gaps', () => {
  it('accepts a gap, keeps 序号 as written and reports it as info on the line after the gap', () => {
    const lines = [...LINES];
    lines[lineOf(73) - 1] = '';
    const p = parse(lines, 'v2.txt');
    expect(p.items.map((i) => i.seq)).toEqual([
      ...Array.from({ length: 72 }, (_, k) => k + 1),
      ...Array.from({ length: 7 }, (_, k) => k + 74),
    ]);
    expect(p.items.find((i) => i.seq === 74)).toMatchObject({
      seq_origin: 'read',
      name: '职称评审',
      code: '11622301566438677P4621014035000',
    });
    expect(kinds(p)).toEqual([
      expect.objectContaining({
        source: 'v2.txt',
        line: lineOf(74),
        seq: 74,
        field: 'seq',
        value: '74',
        kind: 'seq_gap',
        severity: 'info',
        message: '序号 "74" follows item 72: 73 is not in the list (items removed?); 序号 kept as written',
      }),
      expect.objectContaining({ line: 276, seq: 80, kind: 'seq_unreadable' }),
    ]);
  });

  it('names the whole range when several items are missing', () => {
    const lines = [...LINES];
    for (const s of [20, 21, 22]) lines[lineOf(s) - 1] = '';
    const p = parse(lines, 'v2.txt');
    expect(p.items).toHaveLength(77);
    expect(p.issues).toContainEqual(
      expect.objectContaining({
        line: lineOf(23),
        kind: 'seq_gap',
        message: '序号 "23" follows item 19: 20–22 are not in the list (items removed?); 序号 kept as written',
      }),
    );
  });
});

describe('a repeated 序号 (序号重复)', () => {
  it('keeps a row whose name and code differ as a separate item, flagged on its own line, and renumbers nothing after it', () => {
    const lines = [...LINES];
    const at = lineOf(11);
    lines[at - 1] = lines[at - 1]!.replace(/^11\t/, '10\t');
    const p = parse(lines, 'dup.txt');
    expect(p.items).toHaveLength(80);
    expect(p.items.slice(8, 13).map((i) => [i.seq, i.code?.slice(-7), i.seq_duplicate ?? false, i.seq_origin])).toEqual(
      [
        [9, '4006000', false, 'read'],
        [10, '4007000', true, 'read'],
        [10, '4008000', true, 'read'],
        [12, '4009000', false, 'read'],
        [13, '4010000', false, 'read'],
      ],
    );
    expect(p.items[10]!.source_lines).toEqual([at]);
    expect(kinds(p).filter((i) => i.line < 276)).toEqual([
      expect.objectContaining({
        source: 'dup.txt',
        line: at,
        seq: 10,
        field: 'seq',
        value: '10',
        kind: 'seq_duplicate',
        severity: 'warning',
        message:
          '序号 "10" repeats item 10 of line 29 (序号重复): its name "对用人单位未按时足额缴纳社会保险费的处罚" is not the item\'s "对用人单位不办理社会保险登记的处罚" and its code 11622301566438677P4620214008000 is not the item\'s 11622301566438677P4620214007000 (its code\'s item segment 400800 follows 400700: 11 may have been meant); kept as a separate item with the same 序号, expected a 序号 of its own',
      }),
      expect.objectContaining({ line: lineOf(12), seq: 12, kind: 'seq_gap', severity: 'info' }),
    ]);
    expect(p.issues.some((i) => i.kind === 'seq_unreadable' && i.line < 276)).toBe(false);
    // On 数据质量 both items' 序号 are flagged, each on its own line.
    expect(
      listQuality(p)
        .filter((q) => q.field === 'seq' && q.seq === 10)
        .map((q) => [q.status, q.lines]),
    ).toEqual([
      ['flagged', [29]],
      ['flagged', [at]],
    ]);
  });

  it('flags a 序号 repeated further down as a separate item too', () => {
    const lines = [...LINES];
    const at = lineOf(60);
    lines[at - 1] = lines[at - 1]!.replace(/^60\t/, '5\t').replace('401900', '409900');
    const p = parse(lines, 'dup.txt');
    expect(p.items.filter((i) => i.seq === 5).map((i) => i.name)).toHaveLength(2);
    expect(p.items.find((i) => i.source_lines[0] === at)).toMatchObject({
      seq: 5,
      seq_duplicate: true,
      name: '就业失业登记',
    });
    expect(p.issues).toContainEqual(
      expect.objectContaining({
        line: at,
        kind: 'seq_duplicate',
        message:
          '序号 "5" repeats item 5 of line 20 (序号重复); kept as a separate item with the same 序号, expected a 序号 of its own',
      }),
    );
    expect(p.items.find((i) => i.source_lines[0] === lineOf(61))).toMatchObject({ seq: 61, seq_origin: 'read' });
  });

  it('merges a repeated 序号 whose name is another reading of the item (a page break), and says so when only the code could tell', () => {
    // Item 41's line 105 is a continuation row; give it a foreign name and no code: ambiguous, kept as a continuation.
    const lines = [...LINES];
    const cells = lines[104]!.split('\t');
    cells[1] = '工伤认定';
    cells[4] = '';
    lines[104] = cells.join('\t');
    const p = parse(lines, 'amb.txt');
    expect(p.items).toHaveLength(80);
    expect(p.items.find((i) => i.seq === 41)!.source_lines).toEqual([101, 104, 105, 108]);
    expect(p.issues).toContainEqual(
      expect.objectContaining({
        line: 105,
        seq: 41,
        field: 'seq',
        kind: 'continuation',
        severity: 'warning',
        message:
          '序号 "41" repeated with a different name: name "工伤认定" differs from the item\'s "社会保险缴费申报" but it has no code to tell; taken as a continuation of item 41 (line 101) — check whether it is a separate item with a repeated 序号',
      }),
    );
  });

  it("reads the bundled list with no sequence issue but item 80's damaged 序号", () => {
    expect(kinds(base).map((i) => [i.line, i.kind])).toEqual([[276, 'seq_unreadable']]);
    expect(base.items.some((i) => i.seq_duplicate)).toBe(false);
  });
});

describe('a file that ends inside an item', () => {
  it('is loaded with a truncated warning naming the cut item and the last complete one', () => {
    const lines = LINES.slice(0, 276);
    const cells = lines[275]!.split('\t');
    lines[275] = [...cells.slice(0, 8), cells[8]!.slice(0, 40)].join('\t');
    const p = parse(lines, 'cut.txt');
    expect(p.items).toHaveLength(80);
    expect(p.truncated).toEqual({ seq: 80, line: 276, last_complete_seq: 79 });
    const warning = p.issues.find((i) => i.kind === 'truncated')!;
    expect(warning).toMatchObject({
      source: 'cut.txt',
      line: 276,
      seq: 80,
      field: 'basis',
      severity: 'warning',
      value: [...cells[8]!.slice(0, 40)].slice(-8).join(''),
    });
    expect(listQuality(p).find((q) => q.seq === 80 && q.field === 'basis')).toMatchObject({
      status: 'flagged',
      message: warning.message,
      lines: [276],
    });
    expect(warning.message).toBe(
      `the file ends inside item 80 (truncated): the line has 9 cells and stops before the 责任事项内容 column and 实施依据 stops mid-sentence at "…${[...cells[8]!.slice(0, 40)].slice(-8).join('')}"; the last complete item is 79 (line 273); item 80 is loaded as far as it was read, expected the rest of its rows`,
    );
  });

  it('is seen when the file stops after a row whose long cell a page break cut', () => {
    const p = parse(LINES.slice(0, 9), 'cut.txt');
    expect(p.items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(p.truncated).toEqual({ seq: 3, line: 9, last_complete_seq: 2 });
    expect(p.issues.find((i) => i.kind === 'truncated')!.message).toMatch(
      /^the file ends inside item 3 \(truncated\): 实施依据 stops mid-sentence at "…[^"]*"; the last complete item is 2 \(line 5\)/,
    );
  });

  it('is not reported for the whole bundled list', () => {
    expect(base.truncated).toBeNull();
    expect(base.issues.some((i) => i.kind === 'truncated')).toBe(false);
  });
});

describe('the issue summary a load prints', () => {
  it('counts issues by kind and severity and shows the first ones with file, line, field and value', () => {
    const lines = [...LINES];
    lines[lineOf(73) - 1] = '';
    const s = summariseIssues(parse(lines, 'v2.txt').issues, 2);
    expect(s.counts.find((c) => c.kind === 'seq_gap')).toEqual({ kind: 'seq_gap', severity: 'info', issues: 1 });
    expect(s.counts.reduce((n, c) => n + c.issues, 0)).toBe(parse(lines, 'v2.txt').issues.length);
    expect(s.first).toHaveLength(2);
    expect(s.first[0]).toMatch(/^v2\.txt: on line \d+: \w+/);
    expect(s.truncated).toBe(false);
    expect(formatIssue(parse(lines, 'v2.txt').issues.find((i) => i.kind === 'seq_gap')!)).toBe(
      'v2.txt: on line 264: seq "74": 序号 "74" follows item 72: 73 is not in the list (items removed?); 序号 kept as written',
    );
  });
});
