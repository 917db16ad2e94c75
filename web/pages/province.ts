import { fetchTable } from '../api.ts';
import { bureauBars } from '../charts/bureau-bars.ts';
import { sizedChart } from '../charts/sized-chart.ts';
import { card, el } from '../dom.ts';
import { hrefFor } from '../hash.ts';
import { dataTable, text } from '../table.ts';

type Row = Record<string, unknown>;
const pct = (v: unknown) => (v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

/** 省级汇总: every bureau loaded, side by side — items by type, workload, on-time rate, citations needing action. */
export async function renderProvince(root: HTMLElement): Promise<void> {
  const [bureaus, byType, workload, citations] = await Promise.all([
    fetchTable('/api/bureaus', { bureau: undefined }),
    fetchTable('/api/province/items-by-type', { bureau: undefined }),
    fetchTable('/api/province/workload', { bureau: undefined }),
    fetchTable('/api/province/citations', { bureau: undefined }),
  ]);
  const work = new Map([...workload].map((r) => [String(r.bureau_id), r.toJSON() as Row]));
  const cites = new Map([...citations].map((r) => [String(r.bureau_id), r.toJSON() as Row]));
  root.append(
    el('p', { class: 'note' }, `共载入 ${bureaus.numRows} 个局的权责清单。点击局名查看该局各页。`),
    el(
      'div',
      { class: 'grid' },
      card(
        '各局事项数（按权力类型）',
        sizedChart((w) =>
          bureauBars(byType, {
            bureau: 'bureau',
            value: 'items',
            series: 'power_type',
            label: '事项数（项）',
            width: w,
          }),
        ),
        { chart: 'province-types' },
      ),
      card(
        '各局办理时效（按时率）',
        sizedChart((w) =>
          bureauBars(workload, {
            bureau: 'bureau',
            value: 'on_time_rate',
            label: '按时办结率（%）',
            percent: true,
            width: w,
          }),
        ),
        { chart: 'province-on-time' },
      ),
    ),
    card(
      '各局对照',
      dataTable(
        [...bureaus].map((r) => r.toJSON() as Row),
        [
          {
            head: '局',
            cell: (r) => el('a', { href: hrefFor('overview', { bureau: String(r.bureau_id) }) }, text(r.name)),
            header: true,
          },
          { head: '地区', cell: (r) => text(r.region) },
          { head: '清单版本', cell: (r) => text(r.versions), class: 'num' },
          { head: '事项', cell: (r) => text(r.items), class: 'num' },
          { head: '案件', cell: (r) => text(r.cases), class: 'num' },
          { head: '按时率', cell: (r) => pct(work.get(String(r.bureau_id))?.on_time_rate), class: 'num' },
          { head: '引用', cell: (r) => text(cites.get(String(r.bureau_id))?.citations), class: 'num' },
          { head: '需处理引用', cell: (r) => text(cites.get(String(r.bureau_id))?.needs_action), class: 'num' },
          { head: '现行已修订', cell: (r) => text(cites.get(String(r.bureau_id))?.outdated_now), class: 'num' },
        ],
        { id: 'province-table', rowAttrs: (r) => ({ 'data-bureau': String(r.bureau_id) }) },
      ).element,
    ),
  );
}
