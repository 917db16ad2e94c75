import { describe, expect, it } from 'vitest';
import { deriveList } from '../../etl/derive/list-derived.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import { zhMessage } from '../../web/zh.ts';
import { bundledText, profile } from '../helpers/bundled.ts';

describe('Chinese for the messages the dashboard shows', () => {
  it('every data-quality message the parser writes for the bundled list has a Chinese text', () => {
    const parsed = parseListText(bundledText(), 'liangzhou.txt', profile());
    const messages = [
      ...new Set(
        deriveList(parsed, 'liangzhou.txt')
          .quality.map((q) => q.message)
          .filter((m): m is string => !!m),
      ),
    ];
    expect(messages.length).toBeGreaterThan(10);
    expect(messages.filter((m) => zhMessage(m) === null)).toEqual([]);
    for (const m of messages) expect(zhMessage(m)!, m).not.toMatch(/[A-Za-z]{3,}/);
  });

  it.each([
    ['expected 15 fields, got 2', '应有 15 个字段，实有 2 个'],
    ['not an item of the list', '不是清单中的事项'],
    ['is before accepted_at; stages must be in order', '早于 accepted_at；各环节时间须依次排列'],
    ['above 10000000 yuan; check the unit', '超过 10000000 元，请核对单位'],
    [
      'repeats the case_id of line 7 of this file; the first row is kept',
      '与本文件第 7 行的 case_id 重复，保留首次出现的行',
    ],
    ['事项名称 scrambled: reading order broken', '事项名称乱序：原文阅读顺序错乱'],
    [
      'stage label "告知的段责任" is OCR-damaged; read as 告知; stage label "送达的段责任" is OCR-damaged; read as 送达',
      '环节名称“告知的段责任”识别受损，读作告知；环节名称“送达的段责任”识别受损，读作送达',
    ],
  ])('%s', (message, zh) => {
    expect(zhMessage(message)).toBe(zh);
  });

  it('an unknown message has no made-up translation', () => {
    expect(zhMessage('something new went wrong')).toBeNull();
  });
});
