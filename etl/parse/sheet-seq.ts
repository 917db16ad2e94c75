import { parseChineseNumber } from './chinese-number.ts';

/** How a clean sheet writes its 序号: `1`, `1.`, `1、`, `（1）`, `一` / `（一）` / `一、`, or not at all. */
export type SeqForm = 'plain' | 'dot' | 'comma' | 'paren' | 'chinese' | 'empty';

const fold = (s: string) =>
  s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');

/** Reads a 序号 cell of a clean sheet; null when it is no positive whole number in any of the forms. */
export function readSheetSeq(cell: string): { value: number; form: Exclude<SeqForm, 'empty'> } | null {
  const t = fold(cell);
  const m = /^(\d+)$/.exec(t)
    ? { body: t, form: 'plain' as const }
    : /^(\d+)[.．]$/.exec(t)
      ? { body: t.slice(0, -1), form: 'dot' as const }
      : /^(\d+)、$/.exec(t)
        ? { body: t.slice(0, -1), form: 'comma' as const }
        : /^[（(](\d+)[)）]$/.exec(t)
          ? { body: t.slice(1, -1), form: 'paren' as const }
          : /^[（(]?([〇零一二两三四五六七八九十百]+)[)）]?[、.．]?$/.exec(t)
            ? { body: /[〇零一二两三四五六七八九十百]+/.exec(t)![0], form: 'chinese' as const }
            : null;
  if (!m) return null;
  // Brackets must pair: "（1" or "1）" is no form the sheet uses.
  if (/[（(]/.test(t) !== /[)）]/.test(t)) return null;
  const n = m.form === 'chinese' ? parseChineseNumber(m.body) : { ok: true as const, value: Number(m.body) };
  if (!n.ok || !Number.isInteger(n.value) || n.value < 1) return null;
  return { value: n.value, form: m.form };
}
