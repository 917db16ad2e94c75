/**
 * The legal section's work list: citations in three bands (需处理, 待核实/未解决, 现行 — the last
 * closed), each grouped by instrument. The filters and which bands are open live in the hash
 * (?status=&instrument=&section=&open=), so a reload or a shared link shows the same view; a
 * change redraws the bands in place, without reloading the page.
 */
import { STATUS_LABEL } from '../charts/citation-status.ts';
import { el } from '../dom.ts';
import { num } from '../format.ts';
import { setParams } from '../hash.ts';
import type { ItemLabels } from '../labels.ts';
import {
  openBands,
  openParam,
  triageBands,
  type Band,
  type CitationFilter,
  type CitationWire,
  type InstrumentGroup,
} from './legal-bands.ts';
import { citationTable } from './legal-citation.ts';

function options(values: Iterable<unknown>, all: string, labels: Record<string, string> = {}): HTMLElement[] {
  const distinct = [...new Set([...values].filter((v) => v !== null && v !== undefined).map(String))].sort((a, b) =>
    a.localeCompare(b, 'zh'),
  );
  return [el('option', { value: '' }, all), ...distinct.map((v) => el('option', { value: v }, labels[v] ?? v))];
}

function select(id: string, label: string, opts: HTMLElement[], value: string | null): HTMLSelectElement {
  const s = el('select', { 'aria-label': label, id }, ...opts) as HTMLSelectElement;
  s.value = value ?? '';
  // A value the list no longer has (an old link) shows as "all" rather than an empty select.
  if (s.selectedIndex < 0) s.value = '';
  return s;
}

function groupView(g: InstrumentGroup, band: Band, open: boolean, labels: ItemLabels): HTMLElement {
  const summary = el(
    'summary',
    {},
    el('strong', { class: 'group-title' }, `《${g.label}》`),
    g.inRegistry ? '' : el('span', { class: 'flag truncated' }, '登记册未收录'),
    ' ',
    el(
      'span',
      { class: 'note group-counts' },
      el('span', { class: 'group-count' }, num(g.rows.length)),
      ' 处引用 · ',
      el('span', { class: 'group-items' }, num(g.items)),
      ' 个事项',
      g.kind ? ` · ${g.kind}` : '',
    ),
  );
  const cite = g.versionsToCite.length
    ? el('p', { class: 'version-to-cite' }, '应引用的版本：', g.versionsToCite.map((v) => `《${v}》`).join('；'))
    : '';
  const details = el(
    'details',
    { class: 'instrument-group', 'data-instrument': g.label, 'data-count': String(g.rows.length) },
    summary,
    cite,
    citationTable(g.rows, band.key, labels),
  );
  (details as HTMLDetailsElement).open = open;
  return details;
}

function bandView(band: Band, open: boolean, filter: CitationFilter, labels: ItemLabels): HTMLDetailsElement {
  // The current band is an overview: its groups start closed, unless one instrument is asked for.
  const groupsOpen = band.key !== 'current' || filter.instrument !== '';
  const details = el(
    'details',
    {
      class: `band band-${band.key}`,
      id: `band-${band.key}`,
      'data-band': band.key,
      'data-count': String(band.rows.length),
    },
    el(
      'summary',
      {},
      el('span', { class: 'band-title' }, band.title),
      ' ',
      el('span', { class: 'band-count' }, num(band.rows.length)),
      ' 处引用 · ',
      `${num(band.groups.length)} 个文件`,
      el('span', { class: 'note band-hint' }, ` — ${band.hint}`),
    ),
    ...(band.groups.length
      ? band.groups.map((g) => groupView(g, band, groupsOpen, labels))
      : [el('p', { class: 'note empty' }, '没有符合筛选条件的引用。')]),
  ) as HTMLDetailsElement;
  details.open = open;
  return details;
}

/** Filters, counts, export link and the three bands. */
export function citationTriage(citations: CitationWire[], labels: ItemLabels, params: URLSearchParams): HTMLElement {
  const status = select(
    'filter-status',
    '按状态筛选（清单日期时或当前）',
    options([...citations.map((r) => r.status_now), ...citations.map((r) => r.status_list)], '全部状态', STATUS_LABEL),
    params.get('status'),
  );
  const instrument = select(
    'filter-instrument',
    '按文件筛选',
    options(
      citations.map((r) => r.instrument_label),
      '全部文件',
    ),
    params.get('instrument'),
  );
  const section = select(
    'filter-section',
    '按承办机构筛选',
    options(
      citations.map((r) => r.section),
      '全部承办机构',
    ),
    params.get('section'),
  );
  const open = openBands(params.get('open'));
  const exportLink = el(
    'a',
    { class: 'button', href: '/api/citations/export.xlsx', download: '', id: 'export-xlsx' },
    '导出待复核引用（Excel）',
  );
  const count = el('span', { class: 'note', id: 'citation-count' });
  const bands = el('div', { class: 'bands' });

  const filter = (): CitationFilter => ({ status: status.value, instrument: instrument.value, section: section.value });
  const draw = () => {
    const f = filter();
    const shown = triageBands(citations, f);
    const total = shown.reduce((n, b) => n + b.rows.length, 0);
    count.textContent = `${num(total)} 处（${shown.map((b) => `${b.title} ${num(b.rows.length)}`).join(' · ')}）`;
    bands.replaceChildren(
      ...shown.map((b) => {
        const d = bandView(b, open.has(b.key), f, labels);
        d.addEventListener('toggle', () => {
          if (d.open === open.has(b.key)) return;
          if (d.open) open.add(b.key);
          else open.delete(b.key);
          setParams({ open: openParam(open) });
        });
        return d;
      }),
    );
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    exportLink.setAttribute('href', `/api/citations/export.xlsx${q.size ? `?${q}` : ''}`);
  };
  const apply = () => {
    setParams({ status: status.value || null, instrument: instrument.value || null, section: section.value || null });
    draw();
  };
  for (const s of [status, instrument, section]) s.addEventListener('change', apply);
  draw();
  return el(
    'div',
    { class: 'triage' },
    el('div', { class: 'filters' }, status, ' ', instrument, ' ', section, ' ', count, ' ', exportLink),
    bands,
  );
}

/** Printing shows the needs-action band in full, whatever is open on screen. */
export function openNeedsForPrint(root: ParentNode): void {
  for (const d of root.querySelectorAll<HTMLDetailsElement>(
    'details.band-needs, details.band-needs details.instrument-group',
  ))
    d.open = true;
}
