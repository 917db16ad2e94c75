import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { STATUS_LABEL, citationStatusChart } from '../charts/citation-status.ts';
import { card, el } from '../dom.ts';

const EVENT_LABEL: Record<string, string> = { amended: '修正', revised: '修订' };
const BASIS_LABEL: Record<string, string> = { given_at_load: '载入清单时给出的日期', stated: '公开来源所载日期', latest_cited_date: '清单未载明日期，按清单所引最晚日期' };

/** 法律依据: every citation of the list against the instrument registry, flagged ones first. */
export async function renderLegal(root: HTMLElement): Promise<void> {
  const citations = await fetchTable('/api/citations');
  const first = citations.numRows ? citations.get(0)!.toJSON() : null;
  const flagged = [...(citations.getChild('flagged') ?? [])].filter(Boolean).length;
  root.append(
    el(
      'p',
      { class: 'note' },
      `共 ${citations.numRows} 处引用，其中 ${flagged} 处需复核。清单日期：${first?.list_date ?? '未知'}（${BASIS_LABEL[String(first?.list_date_basis)] ?? '未知'}）。`,
      '“核实”标记为“待核实”的状态所依据的登记事实尚无公开来源。',
    ),
    card('各文件引用状态（当前）', citationStatusChart(citations), { chart: 'citation-status' }),
    card('引用清单', citationList(citations)),
  );
}

function options(values: Iterable<unknown>, all: string, labels: Record<string, string> = {}): HTMLElement[] {
  const distinct = [...new Set([...values].filter((v) => v !== null && v !== undefined).map(String))].sort((a, b) => a.localeCompare(b, 'zh'));
  return [el('option', { value: '' }, all), ...distinct.map((v) => el('option', { value: v }, labels[v] ?? v))];
}

function badge(status: unknown, verified: unknown): HTMLElement {
  const s = String(status);
  return el('span', { class: `status ${s}` }, STATUS_LABEL[s] ?? s, verified === false ? el('span', { class: 'flag truncated' }, '待核实') : '');
}

function currentText(r: Record<string, unknown>): string {
  if (r.status_now === 'unknown') return '登记册未收录此文件，无法核对版本。';
  if (r.status_now === 'repealed') return `已废止${r.repealed_on ? `（${r.repealed_on}）` : ''}${r.repealed_by ? `，由 ${r.repealed_by} 替代` : ''}。`;
  const parts: string[] = [];
  if (r.newer_now_date) parts.push(`现行版本：${r.newer_now_date} ${EVENT_LABEL[String(r.newer_now_event)] ?? ''}${r.newer_now_by ? `（${r.newer_now_by}）` : ''}；引用之后共有 ${r.newer_now_count} 次修改。`);
  else if (r.latest_version_date) parts.push(`最新修改：${r.latest_version_date} ${EVENT_LABEL[String(r.latest_version_event)] ?? ''}。`);
  else parts.push('登记册中无修改记录。');
  if (r.inconsistent) parts.push(`本清单引用了该文件的不同版本：${r.versions_in_list}。`);
  if (r.claimed_date_in_registry === false) parts.push('所引日期不在登记的版本日期中。');
  return parts.join(' ');
}

function citationList(citations: Table): HTMLElement {
  const status = el('select', { 'aria-label': '按状态筛选', id: 'filter-status' }, ...options(citations.getChild('status_now') ?? [], '全部状态', STATUS_LABEL)) as HTMLSelectElement;
  const instrument = el('select', { 'aria-label': '按文件筛选', id: 'filter-instrument' }, ...options(citations.getChild('instrument_label') ?? [], '全部文件')) as HTMLSelectElement;
  const section = el('select', { 'aria-label': '按承办机构筛选', id: 'filter-section' }, ...options(citations.getChild('section') ?? [], '全部承办机构')) as HTMLSelectElement;
  const exportLink = el('a', { class: 'button', href: '/api/citations/export.xlsx', download: '', id: 'export-xlsx' }, '导出待复核引用（Excel）');
  const body = el('tbody');
  const rows: { r: Record<string, unknown>; tr: HTMLElement }[] = [];
  for (const row of citations) {
    const r = row.toJSON() as Record<string, unknown>;
    const source = r.source_url ? (/^https?:\/\//.test(String(r.source_url)) ? el('a', { href: String(r.source_url).split(' ')[0]!, target: '_blank', rel: 'noopener' }, '来源') : el('span', {}, String(r.source_url))) : el('span', { class: 'note' }, '无来源');
    const tr = el(
      'tr',
      { 'data-seq': String(r.seq), 'data-status': String(r.status_now), class: r.flagged ? 'flagged' : '' },
      el('td', {}, String(r.seq)),
      el('td', {}, String(r.name ?? ''), el('div', { class: 'note' }, String(r.section ?? '—'))),
      el('td', {}, `《${r.title}》`, r.instrument_title && r.instrument_title !== r.title ? el('div', { class: 'note' }, `登记名称：${r.instrument_title}`) : '', r.articles ? el('div', { class: 'note' }, String(r.articles)) : ''),
      el('td', {}, String(r.claimed_version_date ?? '未注明')),
      el('td', {}, badge(r.status_list, r.status_list_verified)),
      el('td', {}, badge(r.status_now, r.status_now_verified)),
      el('td', {}, currentText(r), ' ', source),
      el('td', {}, el('details', {}, el('summary', {}, '引文'), el('p', { class: 'passage' }, String(r.passage ?? ''))), el('div', { class: 'note' }, `来源行 ${r.source_lines}`)),
    );
    rows.push({ r, tr });
    body.append(tr);
  }
  const count = el('span', { class: 'note', id: 'citation-count' }, `${rows.length} 处`);
  const apply = () => {
    let shown = 0;
    for (const { r, tr } of rows) {
      const hit = (!status.value || r.status_now === status.value) && (!instrument.value || r.instrument_label === instrument.value) && (!section.value || r.section === section.value);
      tr.hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = `${shown} 处`;
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (instrument.value) q.set('instrument', instrument.value);
    if (section.value) q.set('section', section.value);
    exportLink.setAttribute('href', `/api/citations/export.xlsx${q.size ? `?${q}` : ''}`);
  };
  for (const s of [status, instrument, section]) s.addEventListener('change', apply);
  const head = el('thead', {}, el('tr', {}, ...['序号', '事项 / 承办机构', '引用文件', '引用版本', '清单日期时', '当前', '现行情况与来源', '引文'].map((h) => el('th', {}, h))));
  return el('div', {}, el('div', { class: 'filters' }, status, ' ', instrument, ' ', section, ' ', count, ' ', exportLink), el('table', { class: 'data', id: 'citations-table' }, head, body));
}
