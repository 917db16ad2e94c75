/**
 * The reform report as a printable page: plain HTML with print CSS (A4, Chinese), no script,
 * so it prints the same from any browser. Pure: the generation time comes in the report.
 */
import { CHANGE_HEADER, REPORT_TITLE, changeRow } from './report-workbook.ts';
import { versionTitle, type ReformReport } from './report-data.ts';
import { beijingTime } from '../calendar/civil-date.ts';
import { CHANGE_KINDS, CHANGE_LABELS } from './types.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (header: string[], rows: string[][], cls = '') =>
  `<table class="${cls}"><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

const CSS = `
@page { size: A4; margin: 15mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "Microsoft YaHei", "SimSun", sans-serif; color: #000; font-size: 10.5pt; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.meta p { margin: 0.5mm 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #444; padding: 1mm 1.5mm; vertical-align: top; text-align: left; word-break: break-all; }
th { background: #eee; }
table.counts td:nth-child(n+2), table.counts th:nth-child(n+2) { text-align: right; width: 18%; }
table.changes { font-size: 8.5pt; }
.none { color: #555; }
@media screen { body { padding: 10mm; } }
`;

/** Columns of the change tables in print (long before/after texts are left to the workbook). */
const PRINT_COLUMNS = [0, 1, 4, 5, 8];

export function reportHtml(r: ReformReport): string {
  const countTable = (dimension: 'power_type' | 'section', title: string) =>
    table(
      [title, r.from.label, r.to.label, '增减'],
      [
        ...r.counts
          .filter((c) => c.dimension === dimension)
          .map((c) => [
            c.category,
            String(c.from_items),
            String(c.to_items),
            c.delta > 0 ? `+${c.delta}` : String(c.delta),
          ]),
        [
          '合计',
          String(r.from.items.length),
          String(r.to.items.length),
          String(r.to.items.length - r.from.items.length),
        ],
      ],
      'counts',
    );
  const sections = CHANGE_KINDS.map((kind) => {
    const rows = r.changes.filter((c) => c.kind === kind).map((c) => PRINT_COLUMNS.map((i) => changeRow(c)[i]!));
    const body = rows.length
      ? table(
          PRINT_COLUMNS.map((i) => CHANGE_HEADER[i]!),
          rows,
          'changes',
        )
      : '<p class="none">无</p>';
    return `<section data-kind="${kind}"><h3>${esc(CHANGE_LABELS[kind])}（${rows.length} 条）</h3>${body}</section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(REPORT_TITLE)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(REPORT_TITLE)}</h1>
<div class="meta">
<p>单位：${esc(r.bureau)}</p>
<p>比较版本：${esc(versionTitle(r.from))} → ${esc(versionTitle(r.to))}</p>
<p>事项数：${r.from.items.length} → ${r.to.items.length}；变化 ${r.changes.length} 条</p>
<p>生成时间：${esc(beijingTime(r.generatedAt))}（北京时间）</p>
</div>
<h2>一、按权力类型统计</h2>${countTable('power_type', '权力类型')}
<h2>二、按承办机构统计</h2>${countTable('section', '承办机构')}
<h2>三、变化类型统计</h2>${table(
    ['变化类型', '条数'],
    r.kinds.map((k) => [k.label, String(k.changes)]),
    'counts',
  )}
<h2>四、调整明细</h2>
${sections}
</body></html>
`;
}
