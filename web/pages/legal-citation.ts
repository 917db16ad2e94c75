/** One citation as the 法律依据 page shows it: status badges, flags, what is in force now, the source. */
import { STATUS_LABEL } from '../charts/citation-status.ts';
import { el } from '../dom.ts';
import { itemLink, type ItemLabels } from '../labels.ts';
import { dataTable, type Column } from '../table.ts';
import type { BandKey, CitationWire } from './legal-bands.ts';

export const EVENT_LABEL: Record<string, string> = {
  amended: '修正',
  revised: '修订',
  adopted: '通过',
  promulgated: '公布',
  effective: '施行',
  issued: '印发',
};

const unverified = () => el('span', { class: 'flag truncated', title: '此状态所依据的登记事实尚无公开来源' }, '待核实');

export function badge(status: unknown, verified: unknown): HTMLElement {
  const s = String(status);
  return el('span', { class: `status ${s}` }, STATUS_LABEL[s] ?? s, verified === false ? unverified() : '');
}

function currentText(r: CitationWire): string {
  if (r.status_now === 'unknown') return '登记册未收录此文件，无法核对版本。';
  if (r.status_now === 'repealed')
    return `已废止${r.repealed_on ? `（${r.repealed_on}）` : ''}${r.repealed_by ? `，由 ${r.repealed_by} 替代` : ''}。`;
  const parts: string[] = [];
  if (r.newer_now_date)
    parts.push(
      `现行版本：${r.newer_now_date} ${EVENT_LABEL[String(r.newer_now_event)] ?? ''}${r.newer_now_by ? `（${r.newer_now_by}）` : ''}；引用之后共有 ${r.newer_now_count} 次修改。`,
    );
  else if (r.latest_version_date)
    parts.push(`最新修改：${r.latest_version_date} ${EVENT_LABEL[String(r.latest_version_event)] ?? ''}。`);
  else parts.push('登记册中无修改记录。');
  if (r.claimed_date_in_registry === false) parts.push('所引日期不在登记的版本日期中。');
  return parts.join(' ');
}

/** What is wrong with the citation besides its status: each flag says why on hover and in print. */
function flags(r: CitationWire): (HTMLElement | string)[] {
  const out: (HTMLElement | string)[] = [];
  if (r.doc_number_mismatch)
    out.push(
      el('span', { class: 'flag mismatch', 'data-flag': 'doc-number' }, '文号不符'),
      el('div', { class: 'note' }, `${r.doc_number_mismatch} 属于 ${r.doc_number_belongs_to ?? '另一文件'}`),
    );
  if (r.inconsistent)
    out.push(
      el('span', { class: 'flag mismatch', 'data-flag': 'versions' }, '多版本'),
      el(
        'div',
        { class: 'note' },
        `本清单引用了 ${String(r.versions_in_list ?? '').replace(/original/g, '最初文本')}；较新版本见事项 ${r.newer_cited_by ?? ''}`,
      ),
    );
  if (r.verified === false) out.push(el('span', { 'data-flag': 'unverified' }, unverified()));
  if (r.title_quality && r.title_quality !== 'ok')
    out.push(
      el(
        'span',
        { class: 'flag scrambled', 'data-flag': 'title' },
        r.title_quality === 'cut' ? '标题残缺' : '仅有文号',
      ),
    );
  return out.length ? out : ['—'];
}

function source(r: CitationWire): HTMLElement {
  const url = r.source_url;
  if (!url) return el('span', { class: 'note' }, '无来源');
  if (!/^https?:\/\//.test(url)) return el('span', { class: 'raw' }, url);
  const [href, ...rest] = url.split(' ');
  return el('span', {}, el('a', { href: href!, target: '_blank', rel: 'noopener', title: rest.join(' ') }, '来源'));
}

/** The citations of one instrument group, in list order. */
export function citationTable(rows: CitationWire[], band: BandKey, labels: ItemLabels): HTMLElement {
  const columns: Column<CitationWire>[] = [
    {
      head: '事项 / 承办机构',
      cell: (r) => [
        el('span', { class: 'note' }, `${r.seq} `),
        itemLink(labels.bySeq(r.seq), String(r.name ?? '')),
        el('div', { class: 'note' }, String(r.section ?? '—')),
      ],
    },
    {
      head: '所引条文',
      cell: (r) => [
        r.title !== r.instrument_label ? el('div', {}, `《${r.title}》`) : '',
        r.articles ? String(r.articles) : '未注明条文',
      ],
    },
    {
      head: '引用版本',
      cell: (r) => [
        String(r.claimed_version_date ?? '未注明'),
        r.doc_numbers ? el('div', { class: 'note' }, r.doc_numbers) : '',
      ],
    },
    { head: '清单日期时', cell: (r) => badge(r.status_list, r.status_list_verified) },
    { head: '当前', cell: (r) => badge(r.status_now, r.status_now_verified) },
    { head: '标记', cell: flags },
    { head: '现行情况与来源', cell: (r) => [currentText(r), ' ', source(r)] },
    {
      head: '引文',
      cell: (r) => [
        el('details', {}, el('summary', {}, '引文'), el('p', { class: 'passage raw' }, String(r.passage ?? ''))),
        el('div', { class: 'note' }, `来源行 ${r.source_lines}`),
      ],
    },
  ];
  return dataTable(rows, columns, {
    rowAttrs: (r) => ({
      'data-seq': String(r.seq),
      'data-status': String(r.status_now),
      'data-status-list': String(r.status_list),
      'data-band': band,
      class: band === 'current' ? 'citation' : 'citation flagged',
    }),
  }).element;
}
