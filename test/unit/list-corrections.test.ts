import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCorrections, CorrectionsError } from '../../etl/parse/apply-corrections.ts';
import { parseCorrections, parseCorrectionsOrThrow } from '../../etl/parse/corrections.ts';
import { listQuality } from '../../etl/parse/list-quality.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { bundledText, profile } from '../helpers/bundled.ts';
import { ROOT } from '../helpers/test-db.ts';

const FILE = 'data/corrections/liangzhou.yaml';
const text = readFileSync(join(ROOT, FILE), 'utf8');
const parsed = parseListText(bundledText(), 'liangzhou.txt', profile());

const entry = (over: string) => `bureau: 11622301566438677P
corrections:
  - seq: 15
    field: name
    reads: x
    value: 某名称
    reason: a reason long enough to say why, with its evidence
    author: tester
    date: 2026-11-29
${over}`;

describe('the corrections file', () => {
  it('validates the shipped file', () => {
    const r = parseCorrectionsOrThrow(text, FILE);
    expect(r.bureau).toBe('11622301566438677P');
    expect(r.entries.map((e) => [e.seq, e.field, e.line])).toEqual([
      [19, 'name', 16],
      [21, 'name', 27],
      [23, 'name', 38],
      [27, 'name', 50],
    ]);
  });

  it.each([
    [
      '  - seq: 16\n    field: colour\n    reads: x\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n',
      11,
      /expected one of "name"/,
    ],
    [
      '  - field: name\n    reads: x\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n',
      10,
      /code or seq/,
    ],
    [
      '  - seq: 16\n    field: name\n    reads: x\n    value: x\n    reason: short\n    author: a\n    date: 2026-11-29\n',
      14,
      /at least 20/,
    ],
    [
      '  - seq: 16\n    field: name\n    reads: x\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 29.11.2026\n',
      16,
      /YYYY-MM-DD/,
    ],
    [
      '  - seq: 15\n    field: name\n    reads: x\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n',
      10,
      /corrected on line 3 already/,
    ],
    [
      '  - seq: 16\n    field: power_type\n    reads: x\n    value: 行政处\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n',
      13,
      /power_type must be one of/,
    ],
  ])('refuses a bad entry, naming file and line (%#)', (extra, line, message) => {
    const r = parseCorrections(entry(extra), 'c.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ source: 'c.yaml', line });
    expect(r.issues.map((i) => i.message).join(' ')).toMatch(message);
  });

  it('names file and line of broken YAML', () => {
    expect(() => parseCorrectionsOrThrow('bureau: x\ncorrections:\n  - seq: [1\n', 'broken.yaml')).toThrow(
      /broken\.yaml on line \d/,
    );
  });
});

describe('applying corrections', () => {
  const { entries } = parseCorrectionsOrThrow(text, FILE);
  const { list: fixed, stale } = applyCorrections(parsed, entries);

  it('sets the value with origin corrected and keeps what was read, leaving the parse untouched', () => {
    const it21 = fixed.items.find((i) => i.seq === 21)!;
    expect(it21).toMatchObject({
      name: '对用人单位招用人员时违反规定将乙肝病毒血清学指标作为体检标准的处罚',
      name_origin: 'corrected',
      name_quality: 'ok',
    });
    expect(it21.corrections).toEqual([
      expect.objectContaining({
        field: 'name',
        original: '对用人单位招用人单位招用人的',
        author: 'quanze list-parser engineer',
        source: FILE,
        line: 27,
      }),
    ]);
    expect(stale).toEqual([]);
    expect(parsed.items.find((i) => i.seq === 21)!.name).toBe('对用人单位招用人单位招用人的');
  });

  it('only names the item text establishes: every corrected value quotes text of its own item', () => {
    for (const e of entries) {
      const it = parsed.items.find((i) => i.seq === e.seq)!;
      // The offence in the corrected name stands in the item's own basis or duties.
      const offence = e.value.replace(/^对/, '').replace(/的处罚$/, '');
      const pieces = offence.split(/[,、]/).filter((p) => p.length >= 4);
      for (const p of pieces)
        expect(`${it.basis}${it.duties}`.replace(/[,,、]/g, ''), `${e.seq}: ${p}`).toContain(
          p.replace(/^(或|未按规定)?/, '').slice(0, 6),
        );
      expect(e.reason).toContain(`line ${it.source_lines[0]}`);
    }
  });

  it('counts corrected names as corrected, not flagged', () => {
    const q = listQuality(fixed).filter((x) => x.field === 'name');
    expect(q.filter((x) => x.status === 'corrected').map((x) => x.seq)).toEqual([19, 21, 23, 27]);
    expect(q.filter((x) => x.status === 'flagged').length).toBe(
      listQuality(parsed).filter((x) => x.field === 'name' && x.status === 'flagged').length - 4,
    );
  });

  const base = {
    field: 'name' as const,
    value: 'x',
    reason: 'r'.repeat(20),
    author: 'a',
    date: '2026-11-29',
    source: 'c.yaml',
    line: 7,
  };

  it.each([
    ['no item with that seq', { seq: 99, reads: '' }, /has no item 99/, null],
    [
      'no item with that code',
      { code: '11622301566438677P4620219999000', reads: '' },
      /no item of liangzhou\.txt has code/,
      null,
    ],
    [
      'no such sub-item',
      { seq: 40, field: 'sub_name', sub_no: 5, reads: '' },
      /4 sub-items; there is no sub_no 5/,
      null,
    ],
    [
      'the item reads other text',
      { seq: 21, reads: '对某某的处罚' },
      /item 21 now reads "对用人单位招用人单位招用人的" where the correction fixes "对某某的处罚"/,
      '对用人单位招用人单位招用人的',
    ],
  ] as const)(
    'lists a correction that does not fit this list as stale, applying nothing: %s',
    (_, over, message, found) => {
      const r = applyCorrections(parsed, [{ ...base, ...over }]);
      expect(r.stale).toEqual([
        expect.objectContaining({ source: 'c.yaml', line: 7, found, message: expect.stringMatching(message) }),
      ]);
      expect(r.list.items.flatMap((i) => i.corrections ?? [])).toEqual([]);
    },
  );

  it('follows the code, not the seq, when the list renumbers: the damaged text decides', () => {
    const r = applyCorrections(parsed, [
      { ...base, seq: 20, code: '11622301566438677P4620214018000', reads: '对用人单位招用人单位招用人的' },
    ]);
    expect(r.stale).toEqual([]);
    expect(r.list.items.find((i) => i.seq === 21)!.name).toBe('x');
  });

  it('skips silently a correction the list already reads, and refuses a malformed code by file and line', () => {
    expect(
      applyCorrections(parsed, [{ ...base, seq: 21, reads: 'y', value: '对用人单位招用人单位招用人的' }]),
    ).toMatchObject({ stale: [] });
    expect(() => applyCorrections(parsed, [{ ...base, seq: 21, field: 'code', reads: '', value: '123' }])).toThrow(
      CorrectionsError,
    );
    expect(() => applyCorrections(parsed, [{ ...base, seq: 21, field: 'code', reads: '', value: '123' }])).toThrow(
      /c\.yaml on line 7: code "123" is not a full/,
    );
  });
});
