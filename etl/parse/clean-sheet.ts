/**
 * The bureau's clean sheet (清单整理表): the list kept as an Excel/CSV table with the list's own
 * columns. Layout (README "Clean sheet"):
 *   - optional title rows, then one header row holding at least 序号, 事项名称, 权力类型, 实施依据;
 *   - one row per item (子项名称 empty), followed by one row per sub-item (same 序号, 子项名称 and
 *     子项地方权力编码 filled, 承办机构 = the sub-item's section, item columns left empty);
 *   - flags the parser raised travel in 备注 as bracketed tokens (【名称乱序】, 【名称残缺】,
 *     【编码不完整】) so a reviewed sheet can clear them and a round trip keeps them.
 * Pure: rows in (string[][], row i is sheet row i+1), ParsedList out, provenance = sheet rows.
 */
import { extractStages } from './stages.ts';
import { readPowerType } from './power-type.ts';
import { readSheetSeq, type SeqForm } from './sheet-seq.ts';
import {
  ListParseError,
  type NameQuality,
  type ParseIssue,
  type ParsedItem,
  type ParsedList,
  type ParsedSubItem,
} from './list-types.ts';

export const SHEET_COLUMNS = [
  '序号',
  '事项名称',
  '子项名称',
  '权力类型',
  '地方权力编码',
  '子项地方权力编码',
  '行使主体',
  '承办机构',
  '实施依据',
  '责任事项内容',
  '追责情形',
  '办事层级',
  '备注',
] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];

const REQUIRED: SheetColumn[] = ['序号', '事项名称', '权力类型', '实施依据'];

/** 备注 tokens carrying the parser's flags. */
export const REMARK = { scrambled: '【名称乱序】', truncated: '【名称残缺】', partialCode: '【编码不完整】' } as const;

export function remarkFor(quality: NameQuality, partialCode: boolean): string {
  const parts: string[] = [];
  if (quality === 'scrambled') parts.push(REMARK.scrambled);
  if (quality === 'truncated') parts.push(REMARK.truncated);
  if (partialCode) parts.push(REMARK.partialCode);
  return parts.join('');
}

const qualityOf = (remark: string): NameQuality =>
  remark.includes(REMARK.scrambled) ? 'scrambled' : remark.includes(REMARK.truncated) ? 'truncated' : 'ok';

export interface CleanSheetOptions {
  /** The bureau's sections: a 承办机构 outside them is kept but reported. */
  sections?: readonly string[];
}

const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');
const clean = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();

export function parseCleanSheet(
  rows: readonly (readonly string[])[],
  source: string,
  options: CleanSheetOptions = {},
): ParsedList {
  const issues: ParseIssue[] = [];
  const headerIdx = rows
    .slice(0, 10)
    .findIndex((r) => r.some((c) => squash(c) === '序号') && r.some((c) => squash(c) === '事项名称'));
  if (headerIdx === -1)
    throw new ListParseError(
      source,
      1,
      `no header row with 序号 and 事项名称 in the first 10 rows; the clean sheet needs the columns ${SHEET_COLUMNS.join(', ')}`,
    );
  const header = rows[headerIdx]!.map(squash);
  const col = new Map<SheetColumn, number>();
  header.forEach((h, i) => {
    if ((SHEET_COLUMNS as readonly string[]).includes(h) && !col.has(h as SheetColumn)) col.set(h as SheetColumn, i);
  });
  const missing = REQUIRED.filter((c) => !col.has(c));
  if (missing.length)
    throw new ListParseError(
      source,
      headerIdx + 1,
      `header lacks column(s) ${missing.join(', ')}; found ${header.filter(Boolean).join(', ')}`,
    );
  const title =
    rows
      .slice(0, headerIdx)
      .map((r) => r.map(clean).find(Boolean))
      .find(Boolean) ?? null;

  const items: ParsedItem[] = [];
  const bySeq = new Map<number, ParsedItem>();
  // 序号 written other than as a plain number: reported once per way of writing, at its first row.
  const forms = new Map<SeqForm, { line: number; text: string; seq: number; rows: number }>();
  const noteForm = (form: SeqForm, text: string, line: number, seq: number) => {
    const f = forms.get(form);
    if (f) f.rows += 1;
    else forms.set(form, { line, text, seq, rows: 1 });
  };
  let current: ParsedItem | null = null;
  for (let i = headerIdx + 1; i < rows.length; i += 1) {
    const line = i + 1;
    const r = rows[i]!;
    const get = (c: SheetColumn) => {
      const idx = col.get(c);
      return idx === undefined ? '' : clean(r[idx]);
    };
    if (!r.some((c) => clean(c))) continue;
    const issue = (field: SheetColumn, value: string, message: string, seq: number | null = current?.seq ?? null) =>
      issues.push({ source, line, seq, field, value, message, kind: 'field', severity: 'warning' });
    // A repeated header (sheets pasted together) is skipped, not read as an item.
    if (squash(get('序号')) === '序号') continue;

    const seqText = squash(get('序号'));
    const subName = get('子项名称');
    const subCode = squash(get('子项地方权力编码'));
    const remark = get('备注');
    let seq: number | null = null;
    if (seqText) {
      const read = readSheetSeq(seqText);
      if (read) {
        seq = read.value;
        if (read.form !== 'plain') noteForm(read.form, seqText, line, seq);
      } else {
        issue('序号', seqText, 'expected a positive whole number (1, 1., 1、, （1）, 一 …); row skipped', null);
        continue;
      }
    }

    // A sub-item row: its own name or code, or (a sub-item whose name could not be read, without a code)
    // the 序号 of an item already read and no item name.
    // Declared before the sub-item branch: addItem (hoisted) reads it there too.
    let seqOrigin: 'read' | 'inferred' = 'read';
    const isSub = Boolean(subName || subCode) || (seq !== null && bySeq.has(seq) && !get('事项名称'));
    if (isSub) {
      let owner: ParsedItem | null = seq === null ? current : (bySeq.get(seq) ?? null);
      if (!owner && seq !== null && get('事项名称')) owner = addItem(seq);
      if (!owner) {
        issue('序号', seqText, 'sub-item row before any item row with this 序号; row skipped', seq);
        continue;
      }
      if (!subName) issue('子项名称', '', 'sub-item row without a 子项名称', owner.seq);
      const subPartial = remark.includes(REMARK.partialCode);
      const sub: ParsedSubItem = {
        name: subName,
        name_quality: qualityOf(remark),
        code: subCode && !subPartial ? subCode : null,
        code_read: subCode && subPartial ? subCode : null,
        section: get('承办机构') || null,
        source_lines: [line],
      };
      checkSection(sub.section, owner.seq);
      owner.sub_items.push(sub);
      owner.source_lines.push(line);
      current = owner;
      continue;
    }

    if (seq === null) {
      // An empty 序号 on an item row: the list is numbered by row order.
      seq = (items.at(-1)?.seq ?? 0) + 1;
      seqOrigin = 'inferred';
      noteForm('empty', '', line, seq);
    }
    if (bySeq.has(seq)) {
      issue('序号', seqText, `序号 ${seq} already used by row ${bySeq.get(seq)!.source_lines[0]}; row skipped`, seq);
      continue;
    }
    current = addItem(seq);

    function addItem(seqNo: number): ParsedItem {
      const name = get('事项名称');
      if (!name) issue('事项名称', '', 'item without a 事项名称', seqNo);
      const typeCell = get('权力类型');
      const type = typeCell ? readPowerType(typeCell) : null;
      if (!typeCell) issue('权力类型', '', 'missing 权力类型', seqNo);
      else if (!type)
        issue('权力类型', typeCell, 'not one of the ten power types (行政许可 … 其他行政权力); left empty', seqNo);
      const codeCell = squash(get('地方权力编码'));
      const partial = remark.includes(REMARK.partialCode);
      if (codeCell && !/^[0-9A-Z]+$/.test(codeCell))
        issue('地方权力编码', codeCell, 'a code holds only digits and capital letters', seqNo);
      const section = get('承办机构') || null;
      checkSection(section, seqNo);
      const basis = get('实施依据');
      if (!basis) issue('实施依据', '', 'missing 实施依据', seqNo);
      const duties = get('责任事项内容');
      const item: ParsedItem = {
        seq: seqNo,
        seq_origin: seqOrigin,
        name,
        name_quality: qualityOf(remark),
        power_type: type?.value ?? null,
        power_type_origin: type ? (type.exact ? 'read' : 'repaired') : null,
        power_type_evidence: type ? 'column' : null,
        code: codeCell && !partial ? codeCell : null,
        code_origin: codeCell && !partial ? 'read' : null,
        code_read: codeCell && partial ? codeCell : null,
        code_partial: !codeCell || partial,
        section,
        section_origin: section ? 'read' : null,
        subject: get('行使主体') || null,
        level: get('办事层级') || null,
        basis,
        duties,
        accountability: get('追责情形'),
        stages: extractStages(duties),
        sub_items: [],
        source_lines: [line],
      };
      items.push(item);
      bySeq.set(seqNo, item);
      return item;
    }

    function checkSection(section: string | null, seqNo: number) {
      if (section && options.sections && !options.sections.includes(section)) {
        issue(
          '承办机构',
          section,
          `not one of the bureau's sections (${options.sections.join('、')}); kept as written`,
          seqNo,
        );
      }
    }
  }
  for (const [form, f] of forms) {
    const how =
      form === 'empty'
        ? `序号 empty on ${f.rows} item row(s); numbered by row order (this row: ${f.seq})`
        : `序号 written "${f.text}" (${form}) on ${f.rows} row(s); read as ${f.seq}`;
    issues.push({
      source,
      line: f.line,
      seq: f.seq,
      field: '序号',
      value: f.text,
      message: `${how}; expected a plain number`,
      kind: 'seq_form',
      severity: 'info',
    });
  }
  if (!items.length) throw new ListParseError(source, headerIdx + 2, 'the sheet has a header but no item rows');
  issues.sort((a, b) => a.line - b.line);
  items.sort((a, b) => a.seq - b.seq);
  return { source, title, items, issues };
}
