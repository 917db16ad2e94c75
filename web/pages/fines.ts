import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { KIND_LABEL, fineRanges } from '../charts/fine-ranges.ts';
import { card, el } from '../dom.ts';

/** 罚款幅度: the statutory fine range of every penalty clause, by kind, each on its own axis. */
export async function renderFines(root: HTMLElement): Promise<void> {
  const fines = await fetchTable('/api/fines');
  const kinds = [...(fines.getChild('kind') ?? [])].map(String);
  const count = (k: string) => kinds.filter((x) => x === k).length;
  const items = new Set([...(fines.getChild('seq') ?? [])].map(Number)).size;
  root.append(
    el('p', { class: 'note' }, `${items} 个事项的实施依据中共载明 ${fines.numRows} 处罚款条款；其中 ${count('unspecified')} 处未载明数额（仅列于下表）。`),
    card('固定金额罚款（元，对数刻度）', fineRanges(fines, { panel: 'yuan' }), { chart: 'fine-yuan' }),
    el(
      'div',
      { class: 'grid' },
      card('按人计罚款（元/人）', fineRanges(fines, { panel: 'per_person', width: 560 }), { chart: 'fine-per-person' }),
      card('按倍数计罚款', fineRanges(fines, { panel: 'multiple', width: 560 }), { chart: 'fine-multiple' }),
    ),
    card('罚款条款', finesTable(fines)),
  );
}

const num = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

function finesTable(fines: Table): HTMLElement {
  const body = el('tbody');
  for (const row of fines) {
    const r = row.toJSON() as Record<string, unknown>;
    body.append(
      el(
        'tr',
        { 'data-seq': String(r.seq), 'data-kind': String(r.kind) },
        el('td', {}, `${r.seq}-${r.clause_no}`),
        el('td', {}, String(r.name ?? '')),
        el('td', {}, KIND_LABEL[String(r.kind)] ?? String(r.kind)),
        el('td', {}, r.kind === 'multiple' ? `${num(r.min_multiple)}–${num(r.max_multiple)} 倍` : `${num(r.min_yuan)}–${num(r.max_yuan)} 元${r.per === 'person' ? '/人' : ''}`),
        el('td', {}, String(r.base ?? (r.kind === 'multiple' ? '' : '')), r.kind === 'multiple' && r.max_yuan !== null ? el('div', { class: 'note' }, `最高 ${r.max_yuan} 元`) : ''),
        el('td', {}, String(r.clause_text ?? ''), r.condition ? el('div', { class: 'note' }, `条件：${r.condition}`) : ''),
        el('td', { class: 'note' }, String(r.source_lines ?? '')),
      ),
    );
  }
  const head = el('thead', {}, el('tr', {}, ...['条款', '事项名称', '类别', '幅度', '基数', '条款原文', '来源行'].map((h) => el('th', {}, h))));
  return el('table', { class: 'data', id: 'fines-table' }, head, body);
}
