import type { Table } from 'apache-arrow';
import { fetchTable } from '../api.ts';
import { card, el } from '../dom.ts';
import { dataTable } from '../table.ts';
import { REJECT_FIELD, messageNode, withCodes } from '../zh.ts';

const STATUS_LABEL: Record<string, string> = { ok: '成功', failed: '失败', skipped: '已跳过', running: '运行中' };
const TRIGGER_LABEL: Record<string, string> = {
  start: '启动',
  'catch-up': '补跑',
  schedule: '定时',
  api: '手动触发',
  cli: '命令行',
  manual: '手动',
};

/** 运行记录: every ETL run with its counts and errors, the loaded case files, and the rejected rows of one file. */
export async function renderRuns(root: HTMLElement): Promise<void> {
  const [runs, files] = await Promise.all([fetchTable('/api/runs'), fetchTable('/api/case-files')]);
  const rejects = el(
    'div',
    { id: 'rejects' },
    el('p', { class: 'note' }, '在上表中点击“查看拒收行”以显示某个文件被拒收的行。'),
  );
  root.append(
    el(
      'p',
      { class: 'note' },
      '数据处理任务按计划（北京时间）自动运行：读取收件箱中新的清单和案件导出文件，每个文件只载入一次。同一时间只运行一次，重叠的运行记为“已跳过”。',
    ),
    card('运行记录', runsTable(runs), { table: 'runs' }),
    card('已载入的案件文件', filesTable(files, rejects), { table: 'case-files' }),
    card('拒收行', rejects, { table: 'rejects' }),
  );
}

type Row = Record<string, unknown>;
const dash = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

function runsTable(runs: Table): HTMLElement {
  return dataTable(
    [...runs] as unknown as Row[],
    [
      { head: '编号', cell: (r) => dash(r.run_id), class: 'num' },
      { head: '触发方式', cell: (r) => TRIGGER_LABEL[String(r.trigger)] ?? String(r.trigger) },
      {
        head: '状态',
        cell: (r) =>
          el('span', { class: `status run-${r.status}` }, STATUS_LABEL[String(r.status)] ?? String(r.status)),
      },
      { head: '开始（北京时间）', cell: (r) => dash(r.started_at) },
      { head: '结束', cell: (r) => dash(r.finished_at) },
      { head: '读入行数', cell: (r) => dash(r.rows_in), class: 'num' },
      { head: '载入行数', cell: (r) => dash(r.rows_loaded), class: 'num' },
      { head: '拒收行数', cell: (r) => dash(r.rows_rejected), class: 'num' },
      { head: '错误', cell: (r) => messageNode(r.error), class: 'note run-error' },
    ],
    { id: 'runs-table', tall: true, empty: '尚无运行记录。', rowAttrs: (r) => ({ 'data-run': String(r.run_id) }) },
  ).element;
}

function filesTable(files: Table, rejects: HTMLElement): HTMLElement {
  return dataTable(
    [...files] as unknown as Row[],
    [
      { head: '文件编号', cell: (f) => String(f.file_id), class: 'num' },
      {
        head: '文件名',
        cell: (f) => [
          el('code', {}, String(f.file_name)),
          f.synthetic ? el('span', { class: 'flag synthetic' }, '合成数据') : '',
        ],
      },
      { head: '载入时间', cell: (f) => dash(f.loaded_at) },
      { head: '读入行数', cell: (f) => dash(f.rows_in), class: 'num' },
      { head: '载入行数', cell: (f) => dash(f.rows_loaded), class: 'num' },
      { head: '拒收行数', cell: (f) => dash(f.rows_rejected), class: 'num' },
      { head: '现存案件', cell: (f) => dash(f.cases_now), class: 'num' },
      {
        head: '',
        cell: (f) => {
          if (!(Number(f.rows_rejected) > 0)) return '';
          const button = el('button', { type: 'button', 'data-file': String(f.file_id) }, '查看拒收行');
          button.addEventListener('click', () => void showRejects(rejects, Number(f.file_id), String(f.file_name)));
          return button;
        },
      },
    ],
    {
      id: 'case-files-table',
      tall: true,
      empty: '尚未载入案件文件。',
      rowAttrs: (f) => ({ 'data-file': String(f.file_id) }),
    },
  ).element;
}

async function showRejects(target: HTMLElement, fileId: number, name: string): Promise<void> {
  target.replaceChildren(el('p', { class: 'note loading' }, '加载中…'));
  try {
    const rows = await fetchTable('/api/case-rejects', { file_id: fileId });
    const table = dataTable(
      [...rows] as unknown as Row[],
      [
        { head: '行号', cell: (r) => String(r.line), class: 'num' },
        {
          head: '字段',
          cell: (r) =>
            REJECT_FIELD[String(r.field)]
              ? el('span', { 'data-field': String(r.field) }, REJECT_FIELD[String(r.field)]!)
              : el('code', {}, String(r.field)),
        },
        { head: '值', cell: (r) => el('code', { class: 'raw' }, String(r.value ?? '')) },
        { head: '原因', cell: (r) => messageNode(r.reason) },
      ],
      { id: 'rejects-table', tall: true },
    );
    target.replaceChildren(
      el(
        'p',
        { class: 'note' },
        '文件 ',
        String(fileId),
        '（',
        ...withCodes(name),
        `）被拒收的行：共 ${rows.numRows} 条；行号为文件中的行（第 1 行是表头）。`,
      ),
      table.element,
    );
  } catch (err) {
    target.replaceChildren(
      el('p', { class: 'error' }, '读取失败：', el('span', { class: 'raw', lang: 'en' }, (err as Error).message)),
    );
  }
}
