import { describe, expect, it } from 'vitest';
import { readOptions } from '../../etl/export/cli-options.ts';
import { sheetFormatOf } from '../../etl/export/export-sheet.ts';
import { versionTitle } from '../../etl/reform/report-data.ts';
import { beijingTime } from '../../etl/calendar/civil-date.ts';
import { checkEffectiveDate } from '../../etl/reform/version-meta.ts';

describe('version label and effective date', () => {
  it.each([
    ['2025-01-01', null],
    ['2024-02-29', null],
    ['2025-02-29', /not a calendar date/],
    ['2025-1-1', /YYYY-MM-DD/],
    ['明年', /YYYY-MM-DD/],
  ])('checks %s', (text, problem) => {
    const r = checkEffectiveDate(text);
    if (problem === null) expect(r).toBeNull();
    else expect(r).toMatch(problem);
  });

  it('titles a version with its label, number and effective date', () => {
    expect(versionTitle({ versionId: 2, label: '2025年版', effectiveDate: '2025-01-01', title: null, items: [] })).toBe(
      '2025年版（第 2 版，2025-01-01 起施行）',
    );
    expect(versionTitle({ versionId: 1, label: 'liangzhou', effectiveDate: null, title: null, items: [] })).toBe(
      'liangzhou（第 1 版）',
    );
  });

  it('dates the report in Beijing time whatever the host zone (tests run in Los Angeles)', () => {
    expect(beijingTime(new Date('2025-12-31T16:05:00Z'))).toBe('2026年01月01日 00:05');
  });
});

describe('etl CLI options', () => {
  it.each<[string[], Record<string, string>, string[]]>([
    [['list.xlsx', '--label', '2025年版'], { label: '2025年版' }, ['list.xlsx']],
    [['--effective-date=2025-01-01', 'list.csv'], { 'effective-date': '2025-01-01' }, ['list.csv']],
  ])('reads %j', (args, options, rest) =>
    expect(readOptions(args, ['label', 'effective-date'])).toEqual({ options, rest }),
  );

  it.each([
    [['--colour', 'red'], /unknown option --colour/],
    [['--label'], /needs a value/],
  ])('refuses %j', (args, message) => expect(() => readOptions(args, ['label'])).toThrow(message));

  it('names the sheet format by extension', () => {
    expect(sheetFormatOf('a/清单.XLSX')).toBe('xlsx');
    expect(sheetFormatOf('b.csv')).toBe('csv');
    expect(() => sheetFormatOf('c.xls')).toThrow(/\.xlsx or \.csv/);
  });
});
