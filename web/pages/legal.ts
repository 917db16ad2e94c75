import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { citationStatusChart } from '../charts/citation-status.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { card, el } from '../dom.ts';
import { num } from '../format.ts';
import type { Route } from '../hash.ts';
import { itemLabels } from '../labels.ts';
import { dataTable, text } from '../table.ts';
import { bandOf, type CitationWire } from './legal-bands.ts';
import { EVENT_LABEL } from './legal-citation.ts';
import { citationTriage, openNeedsForPrint } from './legal-triage.ts';

type Row = Record<string, unknown>;
const BASIS_LABEL: Record<string, string> = {
  given_at_load: '载入清单时给出的日期',
  stated: '公开来源所载日期',
  latest_cited_date: '清单未载明日期，按清单所引最晚日期',
};

/** 法律依据: the list's citations triaged for the legal section (needs action first), the chart and the registry. */
export async function renderLegal(root: HTMLElement, route: Route): Promise<void> {
  const [citations, instruments, labels] = await Promise.all([
    fetchTable('/api/citations'),
    fetchTable('/api/instruments'),
    itemLabels(),
  ]);
  const rows = [...citations].map((r) => r.toJSON() as CitationWire);
  const first = rows[0];
  const flagged = rows.filter((r) => r.flagged).length;
  const needs = rows.filter((r) => bandOf(r) === 'needs').length;
  root.append(
    el(
      'p',
      { class: 'note' },
      `共 ${num(rows.length)} 处引用，其中 ${num(flagged)} 处需复核（${num(needs)} 处需处理）。清单日期：${first?.list_date ?? '未知'}（${BASIS_LABEL[String(first?.list_date_basis)] ?? '未知'}）。`,
      '标记为“待核实”的状态所依据的登记事实尚无公开来源。',
      el(
        'span',
        { class: 'print-only' },
        '打印版列出“需处理”的全部引用；待核实与现行的引用见屏幕上的本页，完整复核清单请用“导出待复核引用（Excel）”。',
      ),
    ),
    card(
      '各文件引用状态（当前）',
      sizedChart((w) => citationStatusChart(citations, { width: w }), { min: 340 }),
      { chart: 'citation-status' },
    ),
    card('引用分诊：需处理 · 待核实 · 现行', citationTriage(rows, labels, route.params), { section: 'citations' }),
    card('法律文件登记册', registryTable(instruments), { section: 'instruments' }),
  );
  printRoot = root;
  if (!printHooked) {
    printHooked = true;
    window.addEventListener('beforeprint', () => printRoot?.isConnected && openNeedsForPrint(printRoot));
  }
}

// One print hook for the page, whichever render is on screen.
let printRoot: HTMLElement | null = null;
let printHooked = false;

const INSTRUMENT_STATUS: Record<string, string> = { in_force: '现行有效', repealed: '已废止', unknown: '未收录' };

/** The registry: every instrument with its versions, how often the list cites it, and unverified facts. */
function registryTable(instruments: Table): HTMLElement {
  return dataTable(
    [...instruments].map((r) => r.toJSON() as Row),
    [
      {
        head: '文件',
        cell: (r) => [`《${r.title}》`, r.doc_number ? el('div', { class: 'note' }, String(r.doc_number)) : ''],
      },
      { head: '类别 / 制定机关', cell: (r) => [text(r.kind), el('div', { class: 'note' }, text(r.issuer))] },
      {
        head: '状态',
        cell: (r) =>
          el(
            'span',
            { class: `status ${r.status === 'repealed' ? 'repealed' : r.in_registry ? 'current' : 'unknown'}` },
            r.in_registry ? (INSTRUMENT_STATUS[String(r.status)] ?? String(r.status)) : '登记册未收录',
          ),
      },
      { head: '版本数', cell: (r) => text(r.versions), class: 'num' },
      {
        head: '最新版本',
        cell: (r) =>
          r.latest_version_date ? `${r.latest_version_date} ${EVENT_LABEL[String(r.latest_version_event)] ?? ''}` : '—',
      },
      { head: '被引次数', cell: (r) => num(r.citations), class: 'num' },
      { head: '引用事项', cell: (r) => num(r.citing_items), class: 'num' },
      {
        head: '待核实事实',
        cell: (r) =>
          Number(r.unverified_facts) ? el('span', { class: 'flag truncated' }, `${r.unverified_facts} 项`) : '—',
      },
    ],
    {
      id: 'instruments-table',
      tall: true,
      rowAttrs: (r) => ({
        'data-instrument': String(r.instrument_id ?? ''),
        'data-in-registry': String(r.in_registry),
      }),
    },
  ).element;
}
