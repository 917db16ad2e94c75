import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowsToCsv } from '../../etl/export/sheet-write.ts';
import { SHEET_COLUMNS } from '../../etl/parse/clean-sheet.ts';

/** A second bureau, not in the repository's profiles: created at load time from its id and name. */
export const OTHER_BUREAU = { id: '11620000MB0000001X', name: '某某区人力资源和社会保障局' };
/** A third, for the province view and the sharded deployment. */
export const THIRD_BUREAU = { id: '11620000MB0000002Y', name: '另一县人力资源和社会保障局' };

/**
 * A small clean sheet of that bureau's list: three items of its own (its credit code in every
 * code, its own sections), with the publication date in a title row.
 */
export function writeOtherBureauSheet(dir: string, listDate = '2023-06-17', bureau = OTHER_BUREAU): string {
  const code = (type: string, n: number) => `${bureau.id}${type}${String(n).padStart(4, '0')}0000`;
  const row = (cells: Partial<Record<(typeof SHEET_COLUMNS)[number], string>>) =>
    SHEET_COLUMNS.map((c) => cells[c] ?? '');
  const rows = [
    [`${bureau.name}权责清单`],
    [`发布日期：${listDate}`],
    [...SHEET_COLUMNS],
    row({
      序号: '1',
      事项名称: '对用人单位违反劳动合同法的处罚',
      权力类型: '行政处罚',
      地方权力编码: code('462021', 1),
      承办机构: '劳动保障监察大队',
      实施依据: '《中华人民共和国劳动法》（2009年修正）第九十条',
      责任事项内容: '1.立案阶段责任：发现违法行为的予以调查立案。',
    }),
    row({
      序号: '2',
      事项名称: '职业培训补贴发放',
      权力类型: '行政给付',
      地方权力编码: code('462101', 2),
      承办机构: '就业服务股',
      实施依据: '《中华人民共和国就业促进法》',
      责任事项内容: '1.受理阶段责任：一次性告知。',
    }),
    row({
      序号: '3',
      事项名称: '民办职业培训学校设立审批',
      权力类型: '行政许可',
      地方权力编码: code('462011', 3),
      承办机构: '行政审批股',
      实施依据: '《中华人民共和国民办教育促进法》（2016年修正）第十二条',
      责任事项内容: '1.受理阶段责任：受理申请。',
    }),
  ];
  const path = join(dir, `bureau-${bureau.id}.csv`);
  writeFileSync(path, rowsToCsv(rows));
  return path;
}
