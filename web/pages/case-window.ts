import type { Table } from 'apache-arrow';
import { el } from '../dom.ts';

export interface CaseMeta {
  min_month: string | null;
  max_month: string | null;
  cases: number;
  synthetic_cases: number;
  any_synthetic: boolean;
  all_synthetic: boolean;
}

/** The one row of /api/cases/meta. */
export function readMeta(table: Table): CaseMeta {
  const row = table.get(0);
  return {
    min_month: (row?.min_month as string | null) ?? null,
    max_month: (row?.max_month as string | null) ?? null,
    cases: Number(row?.cases ?? 0),
    synthetic_cases: Number(row?.synthetic_cases ?? 0),
    any_synthetic: Boolean(row?.any_synthetic),
    all_synthetic: Boolean(row?.all_synthetic),
  };
}

/** The data window and, when any case is synthetic, a label nobody can miss. */
export function caseWindowBanner(meta: CaseMeta): HTMLElement {
  const window = meta.min_month ? `${meta.min_month} 至 ${meta.max_month}` : '暂无案件数据';
  const parts: (Node | string)[] = [
    el('span', { 'data-window': '' }, `数据期间：${window}`),
    `，共 `,
    el('strong', { 'data-total': '' }, String(meta.cases)),
    ' 件案件',
  ];
  if (meta.any_synthetic) {
    const text = meta.all_synthetic ? '合成数据' : `合成数据（${meta.synthetic_cases} 件）`;
    parts.push(
      ' ',
      el(
        'span',
        { class: 'flag synthetic', 'data-synthetic': '', title: '由生成器产生的演示数据，并非真实案件' },
        text,
      ),
    );
  }
  return el('p', { class: 'note case-window' }, ...parts);
}
