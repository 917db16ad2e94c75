import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { card, el } from '../dom.ts';

const STATUS_LABEL: Record<string, string> = { ok: '成功', failed: '失败', skipped: '已跳过', running: '运行中' };
const TRIGGER_LABEL: Record<string, string> = { start: '启动', 'catch-up': '补跑', schedule: '定时', api: '手动触发', cli: '命令行', manual: '手动' };

/** 运行记录: every ETL run with its counts and errors, the loaded case files, and the rejected rows of one file. */
export async function renderRuns(root: HTMLElement): Promise<void> {
  const [runs, files] = await Promise.all([fetchTable('/api/runs'), fetchTable('/api/case-files')]);
  const rejects = el('div', { id: 'rejects' }, el('p', { class: 'note' }, '在上表中点击“查看拒收行”以显示某个文件被拒收的行。'));
  root.append(
    el('p', { class: 'note' }, 'ETL 按计划（北京时间）自动运行：读取收件箱（inbox）中新的清单和案件导出文件，每个文件只载入一次。同一时间只运行一次，重叠的运行记为“已跳过”。'),
    card('运行记录', el('div', { class: 'scroll' }, runsTable(runs)), { table: 'runs' }),
    card('已载入的案件文件', el('div', { class: 'scroll' }, filesTable(files, rejects)), { table: 'case-files' }),
    card('拒收行', rejects, { table: 'rejects' }),
  );
}

const td = (v: unknown, cls = '') => el('td', cls ? { class: cls } : {}, v === null || v === undefined ? '—' : String(v));
const head = (...names: string[]) => el('thead', {}, el('tr', {}, ...names.map((h) => el('th', {}, h))));

function runsTable(runs: Table): HTMLElement {
  const body = el('tbody');
  for (const r of runs) {
    const status = String(r.status);
    body.append(
      el(
        'tr',
        { 'data-run': String(r.run_id) },
        td(r.run_id, 'num'),
        td(TRIGGER_LABEL[String(r.trigger)] ?? r.trigger),
        el('td', {}, el('span', { class: `status run-${status}` }, STATUS_LABEL[status] ?? status)),
        td(r.started_at),
        td(r.finished_at),
        td(r.rows_in, 'num'),
        td(r.rows_loaded, 'num'),
        td(r.rows_rejected, 'num'),
        el('td', { class: 'note run-error' }, String(r.error ?? '')),
      ),
    );
  }
  if (runs.numRows === 0) body.append(el('tr', {}, el('td', { colspan: '9', class: 'note' }, '尚无运行记录。')));
  return el('table', { class: 'data', id: 'runs-table' }, head('编号', '触发方式', '状态', '开始（北京时间）', '结束', '读入行数', '载入行数', '拒收行数', '错误'), body);
}

function filesTable(files: Table, rejects: HTMLElement): HTMLElement {
  const body = el('tbody');
  for (const f of files) {
    const id = Number(f.file_id);
    const name = el('td', {}, String(f.file_name));
    if (f.synthetic) name.append(el('span', { class: 'flag synthetic' }, '合成数据'));
    const action = el('td');
    if (Number(f.rows_rejected) > 0) {
      const button = el('button', { type: 'button', 'data-file': String(id) }, '查看拒收行');
      button.addEventListener('click', () => void showRejects(rejects, id, String(f.file_name)));
      action.append(button);
    }
    body.append(el('tr', { 'data-file': String(id) }, td(id, 'num'), name, td(f.loaded_at), td(f.rows_in, 'num'), td(f.rows_loaded, 'num'), td(f.rows_rejected, 'num'), td(f.cases_now, 'num'), action));
  }
  if (files.numRows === 0) body.append(el('tr', {}, el('td', { colspan: '8', class: 'note' }, '尚未载入案件文件。')));
  return el('table', { class: 'data', id: 'case-files-table' }, head('文件编号', '文件名', '载入时间', '读入行数', '载入行数', '拒收行数', '现存案件', ''), body);
}

async function showRejects(target: HTMLElement, fileId: number, name: string): Promise<void> {
  target.replaceChildren(el('p', { class: 'note' }, '加载中…'));
  try {
    const rows = await fetchTable('/api/case-rejects', { file_id: fileId });
    const body = el('tbody');
    for (const r of rows) body.append(el('tr', {}, td(r.line, 'num'), td(r.field), el('td', {}, el('code', {}, String(r.value ?? ''))), td(r.reason)));
    target.replaceChildren(
      el('p', { class: 'note' }, `文件 ${fileId}（${name}）被拒收的行：共 ${rows.numRows} 条；行号为文件中的行（第 1 行是表头）。`),
      el('div', { class: 'scroll' }, el('table', { class: 'data', id: 'rejects-table' }, head('行号', '字段', '值', '原因'), body)),
    );
  } catch (err) {
    target.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
  }
}
