import { el } from './dom.ts';

/** One column of a hand-built table: its header and how a row fills its cell. */
export interface Column<R> {
  head: string;
  cell: (row: R) => Node | string | (Node | string)[];
  /** Class of the cell (`num` right-aligns), fixed or per row. */
  class?: string | ((row: R) => string);
  /** Further attributes of the cell (data-status …). */
  attrs?: (row: R) => Record<string, string>;
  /** The cell is a row header (<th>). */
  header?: boolean;
}

export interface TableOptions<R> {
  id?: string;
  /** Attributes of each row (data-seq …). */
  rowAttrs?: (row: R) => Record<string, string>;
  /** Shown in place of the table when there are no rows. */
  empty?: string;
  /** Limits the height, for long lists (the header stays visible). */
  tall?: boolean;
}

export interface DataTable<R> {
  /** The table in a wrapper that scrolls horizontally on narrow screens. */
  element: HTMLElement;
  rows: { row: R; tr: HTMLElement }[];
  /** Shows only the rows the predicate keeps; returns how many are shown. */
  filter(keep: (row: R) => boolean): number;
}

const cellText = (v: Node | string | (Node | string)[]) => (Array.isArray(v) ? v : [v]);

/** Text of a value, with a dash for nothing. */
export const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

/** The one table builder of the dashboard: every page's tables come from here. */
export function dataTable<R>(rows: Iterable<R>, columns: Column<R>[], options: TableOptions<R> = {}): DataTable<R> {
  const body = el('tbody');
  const made: { row: R; tr: HTMLElement }[] = [];
  for (const row of rows) {
    const tr = el(
      'tr',
      options.rowAttrs?.(row) ?? {},
      ...columns.map((c) => {
        const cls = typeof c.class === 'function' ? c.class(row) : c.class;
        return el(
          c.header ? 'th' : 'td',
          { ...(cls ? { class: cls } : {}), ...(c.attrs?.(row) ?? {}) },
          ...cellText(c.cell(row)),
        );
      }),
    );
    made.push({ row, tr });
    body.append(tr);
  }
  const head = el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c.head))));
  const table = el('table', { class: 'data', ...(options.id ? { id: options.id } : {}) }, head, body);
  const wrap = el('div', { class: options.tall ? 'table-wrap tall' : 'table-wrap' }, table);
  const element =
    made.length === 0 && options.empty ? el('div', {}, el('p', { class: 'note empty' }, options.empty), wrap) : wrap;
  if (made.length === 0 && options.empty) wrap.hidden = true;
  return {
    element,
    rows: made,
    filter(keep) {
      let shown = 0;
      for (const { row, tr } of made) {
        tr.hidden = !keep(row);
        if (!tr.hidden) shown++;
      }
      return shown;
    },
  };
}
