import { describe, expect, it } from 'vitest';
import { isCaseHeader, uploadFileName } from '../../etl/sources/inbox.ts';

describe('uploadFileName', () => {
  it.each([
    ['cases.csv', 'cases.csv'],
    ['B.CSV', 'B.csv'],
    ['../../etc/passwd', 'passwd.csv'],
    ['C:\\exports\\一月 案件.csv', '一月_案件.csv'],
    ['book.xlsx', 'book.xlsx.csv'],
  ])('%j → %j', (given, name) => expect(uploadFileName(given, ['.csv'])).toEqual({ ok: true, name }));

  it.each(['x.rejects.csv', '.hidden.csv', 'a.csv.part', 'x.csv.reason.txt', '..'])(
    'refuses the reserved name %j',
    (given) => {
      expect(uploadFileName(given, ['.csv'])).toEqual({ ok: false, reason: expect.stringContaining('is reserved') });
    },
  );

  it('cuts a name too long for the file system, keeping two long names apart', () => {
    const cjk = `${'劳动保障'.repeat(23)}.csv`; // 92 CJK characters, 276 bytes
    const a = uploadFileName(cjk, ['.csv']),
      b = uploadFileName(`${'劳动保障'.repeat(22)}劳动保险.csv`, ['.csv']);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(Buffer.byteLength(a.name)).toBeLessThanOrEqual(160);
    expect(a.name).toMatch(/^(劳动保障)+劳?动?保?-[0-9a-f]{10}\.csv$/);
    expect(a.name).not.toBe(b.name);
    const long = uploadFileName('a'.repeat(5000), ['.csv']);
    expect(long.ok && Buffer.byteLength(long.name)).toBe(160);
  });
});

describe('isCaseHeader', () => {
  it.each([
    ['case_id,bureau_id', true],
    ['"case_id","bureau_id"', true],
    ['\uFEFF case_id ,x', true],
    ['\uFEFF"case_id"\r\nx', true],
    ['序号,事项名称', false],
    ['case_idx,bureau_id', false],
  ])('%j → %s', (head, yes) => expect(isCaseHeader(Buffer.from(head))).toBe(yes));
});
