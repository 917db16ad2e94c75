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

const entry = (over: string) => `list: liangzhou.txt
corrections:
  - seq: 15
    field: name
    value: 某名称
    reason: a reason long enough to say why, with its evidence
    author: tester
    date: 2026-11-29
${over}`;

describe('the corrections file', () => {
  it('validates the shipped file', () => {
    const r = parseCorrectionsOrThrow(text, FILE);
    expect(r.list).toBe('liangzhou.txt');
    expect(r.entries.map((e) => [e.seq, e.field, e.line])).toEqual([[19, 'name', 13], [21, 'name', 23], [23, 'name', 33], [27, 'name', 44]]);
  });

  it.each([
    ['  - seq: 16\n    field: colour\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n', 10, /expected one of "name"/],
    ['  - field: name\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n', 9, /code or seq/],
    ['  - seq: 16\n    field: name\n    value: x\n    reason: short\n    author: a\n    date: 2026-11-29\n', 12, /at least 20/],
    ['  - seq: 16\n    field: name\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 29.11.2026\n', 14, /YYYY-MM-DD/],
    ['  - seq: 15\n    field: name\n    value: x\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n', 9, /corrected on line 3 already/],
    ['  - seq: 16\n    field: power_type\n    value: 行政处\n    reason: a reason long enough to say why, with its evidence\n    author: a\n    date: 2026-11-29\n', 11, /power_type must be one of/],
  ])('refuses a bad entry, naming file and line (%#)', (extra, line, message) => {
    const r = parseCorrections(entry(extra), 'c.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ source: 'c.yaml', line });
    expect(r.issues.map((i) => i.message).join(' ')).toMatch(message);
  });

  it('names file and line of broken YAML', () => {
    expect(() => parseCorrectionsOrThrow('list: x\ncorrections:\n  - seq: [1\n', 'broken.yaml')).toThrow(/broken\.yaml on line \d/);
  });
});

describe('applying corrections', () => {
  const { entries } = parseCorrectionsOrThrow(text, FILE);
  const fixed = applyCorrections(parsed, entries);

  it('sets the value with origin corrected and keeps what was read, leaving the parse untouched', () => {
    const it21 = fixed.items.find((i) => i.seq === 21)!;
    expect(it21).toMatchObject({ name: '对用人单位招用人员时违反规定将乙肝病毒血清学指标作为体检标准的处罚', name_origin: 'corrected', name_quality: 'ok' });
    expect(it21.corrections).toEqual([expect.objectContaining({ field: 'name', original: '对用人单位招用人单位招用人的', author: 'quanze list-parser engineer', source: FILE, line: 23 })]);
    expect(parsed.items.find((i) => i.seq === 21)!.name).toBe('对用人单位招用人单位招用人的');
  });

  it('only names the item text establishes: every corrected value quotes text of its own item', () => {
    for (const e of entries) {
      const it = parsed.items.find((i) => i.seq === e.seq)!;
      // The offence in the corrected name stands in the item's own basis or duties.
      const offence = e.value.replace(/^对/, '').replace(/的处罚$/, '');
      const pieces = offence.split(/[,、]/).filter((p) => p.length >= 4);
      for (const p of pieces) expect(`${it.basis}${it.duties}`.replace(/[,,、]/g, ''), `${e.seq}: ${p}`).toContain(p.replace(/^(或|未按规定)?/, '').slice(0, 6));
      expect(e.reason).toContain(`line ${it.source_lines[0]}`);
    }
  });

  it('counts corrected names as corrected, not flagged', () => {
    const q = listQuality(fixed).filter((x) => x.field === 'name');
    expect(q.filter((x) => x.status === 'corrected').map((x) => x.seq)).toEqual([19, 21, 23, 27]);
    expect(q.filter((x) => x.status === 'flagged').length).toBe(listQuality(parsed).filter((x) => x.field === 'name' && x.status === 'flagged').length - 4);
  });

  it.each([
    ['seq 99', { seq: 99 }, /has no item 99/],
    ['code of another item', { seq: 20, code: '11622301566438677P4620214016000' }, /is item 19, not item 20/],
    ['unknown code', { code: '11622301566438677P4620219999000' }, /no item of liangzhou\.txt has code/],
    ['sub-item out of range', { seq: 40, field: 'sub_name', sub_no: 5 }, /1 sub-items; there is no sub_no 5/],
  ] as const)('refuses a correction that does not fit the list: %s', (_, over, message) => {
    const e = { field: 'name' as const, value: 'x', reason: 'r'.repeat(20), author: 'a', date: '2026-11-29', source: 'c.yaml', line: 7, ...over };
    expect(() => applyCorrections(parsed, [e])).toThrow(CorrectionsError);
    expect(() => applyCorrections(parsed, [e])).toThrow(/c\.yaml on line 7: /);
    expect(() => applyCorrections(parsed, [e])).toThrow(message);
  });
});
