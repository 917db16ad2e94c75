/** Maps a header row of the list (which varies page to page) onto canonical columns. */

export const COLUMNS = [
  'seq',
  'name',
  'sub_name',
  'power_type',
  'code',
  'sub_code',
  'subject',
  'section',
  'basis',
  'duties',
  'accountability',
  'level',
  'remark',
] as const;
export type Column = (typeof COLUMNS)[number];

const LABELS: Record<Column, string> = {
  seq: '序号',
  name: '事项名称',
  sub_name: '子项名称',
  power_type: '权力类型',
  code: '地方权力编码',
  sub_code: '子项地方权力编码',
  subject: '行使主体',
  section: '承办机构',
  basis: '实施依据',
  duties: '责任事项内容',
  accountability: '追责情形',
  level: '办事层级',
  remark: '备注',
};

const squash = (s: string) => s.replace(/\s+/g, '');

/** A row is a header when its first cells read 序号 / 事项名称 (possibly split across cells as "序" + "号事项名称"). */
export function isHeaderRow(cells: string[]): boolean {
  const head = squash(cells.slice(0, 2).join(''));
  return head.startsWith('序号') && head.includes('事项');
}

function matchLabel(cell: string): Column | null {
  const c = squash(cell);
  if (!c) return null;
  for (const col of COLUMNS) if (LABELS[col] === c) return col;
  if (c.startsWith('备注') || c === '备') return 'remark';
  // OCR-damaged labels ("办哥层约"): the label sharing most characters, when it shares at least two.
  let best: Column | null = null;
  let bestScore = 1;
  for (const col of COLUMNS) {
    const score = [...new Set(c)].filter((ch) => LABELS[col].includes(ch)).length;
    if (score > bestScore) {
      best = col;
      bestScore = score;
    }
  }
  return best;
}

/** Column index → canonical column (null where the cell could not be mapped). */
export function mapHeader(cells: string[]): (Column | null)[] {
  const work = [...cells];
  // "序" | "号事项名称": the label of the first column was cut after its first character.
  if (squash(work[0] ?? '') === '序' && squash(work[1] ?? '').startsWith('号')) {
    work[0] = '序号';
    work[1] = squash(work[1]!).slice(1);
  }
  const mapped = work.map(matchLabel);
  // A blank or unreadable label between two known columns is the one canonical column between them.
  for (let i = 0; i < mapped.length; i++) {
    if (mapped[i] !== null) continue;
    const prev = i > 0 ? mapped[i - 1] : null;
    const next = mapped.slice(i + 1).find((m) => m !== null) ?? null;
    const lo = prev ? COLUMNS.indexOf(prev) : -1;
    const hi = next ? COLUMNS.indexOf(next) : COLUMNS.length;
    const gap = COLUMNS.slice(lo + 1, hi).filter((c) => !mapped.includes(c));
    if (gap.length >= 1 && (next !== null || prev !== null)) mapped[i] = gap[0]!;
  }
  // A label mapped twice keeps only its first position.
  const seen = new Set<Column>();
  return mapped.map((m) => {
    if (m === null || seen.has(m)) return null;
    seen.add(m);
    return m;
  });
}
