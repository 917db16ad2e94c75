/**
 * Per field of every item (and the name of every sub-item): was it read cleanly, repaired from a
 * damaged cell, inferred from other evidence, corrected by a reviewer, flagged for review, or missing?
 * Pure: computed from the parsed (and corrected) list and its issues; the 数据质量 page counts these.
 */
import type { ParseIssue, ParsedItem, ParsedList, ValueOrigin } from './list-types.ts';

export const QUALITY_FIELDS = [
  'seq',
  'name',
  'power_type',
  'code',
  'section',
  'subject',
  'level',
  'basis',
  'duties',
  'accountability',
  'stages',
  'sub_name',
] as const;
export type QualityField = (typeof QUALITY_FIELDS)[number];
export const QUALITY_STATUSES = ['read', 'repaired', 'inferred', 'corrected', 'flagged', 'missing'] as const;
export type QualityStatus = (typeof QUALITY_STATUSES)[number];

export interface FieldQuality {
  seq: number;
  field: QualityField;
  /** 0 for the item, n for its n-th sub-item. */
  sub_no: number;
  status: QualityStatus;
  value: string | null;
  message: string | null;
  lines: number[];
}

export function listQuality(list: ParsedList): FieldQuality[] {
  return list.items.flatMap((it) =>
    itemQuality(
      it,
      list.issues.filter((i) => i.seq === it.seq),
    ),
  );
}

export function itemQuality(it: ParsedItem, issues: readonly ParseIssue[]): FieldQuality[] {
  const lines = (f: string) => it.field_lines?.[f] ?? it.source_lines;
  const message = (field: string) =>
    issues
      .filter((i) => i.field === field)
      .map((i) => i.message)
      .join('; ') || null;
  const corrected = (field: string, sub = 0) =>
    it.corrections?.find((c) => c.field === field && (c.sub_no ?? 0) === sub);
  const out: FieldQuality[] = [];
  const push = (
    field: QualityField,
    status: QualityStatus,
    value: string | null,
    msg: string | null,
    ls: number[],
    sub_no = 0,
  ) => out.push({ seq: it.seq, field, sub_no, status, value, message: msg, lines: ls });
  const byOrigin = (origin: ValueOrigin | null | undefined): QualityStatus => origin ?? 'read';
  const withCorrection = (field: string, fallback: string | null, sub = 0) => {
    const c = corrected(field, sub);
    return c ? `${c.reason} (${c.author}, ${c.date}; was "${c.original ?? ''}")` : fallback;
  };

  // A 序号 another item also carries (序号重复) is the list's own error: flagged for review, kept as written.
  push('seq', it.seq_duplicate ? 'flagged' : byOrigin(it.seq_origin), String(it.seq), message('seq'), [
    it.source_lines[0]!,
  ]);

  if (it.name_origin === 'corrected') push('name', 'corrected', it.name, withCorrection('name', null), lines('name'));
  else if (!it.name) push('name', 'missing', null, message('name'), lines('name'));
  else if (it.name_quality !== 'ok')
    push('name', 'flagged', it.name, message('name') ?? `name ${it.name_quality}`, lines('name'));
  else push('name', 'read', it.name, null, lines('name'));

  const conflict = issues.some((i) => i.field === 'power_type' && /type segment .* means/.test(i.message));
  if (it.power_type === null) push('power_type', 'missing', null, message('power_type'), lines('power_type'));
  else if (it.power_type_origin === 'corrected')
    push('power_type', 'corrected', it.power_type, withCorrection('power_type', null), lines('power_type'));
  else if (conflict) push('power_type', 'flagged', it.power_type, message('power_type'), lines('power_type'));
  else push('power_type', byOrigin(it.power_type_origin), it.power_type, message('power_type'), lines('power_type'));

  if (it.code_origin === 'corrected') push('code', 'corrected', it.code, withCorrection('code', null), lines('code'));
  else if (it.code) push('code', byOrigin(it.code_origin), it.code, message('code'), lines('code'));
  else if (it.code_read) push('code', 'flagged', it.code_read, message('code') ?? 'partial code', lines('code'));
  else push('code', 'missing', null, message('code'), lines('code'));

  const simple = (
    field: 'section' | 'subject' | 'level',
    value: string | null,
    origin: ValueOrigin | null | undefined,
  ) => {
    if (value === null)
      push(
        field,
        issues.some((i) => i.field === field && i.value) ? 'flagged' : 'missing',
        null,
        message(field),
        lines(field),
      );
    else if (origin === 'corrected') push(field, 'corrected', value, withCorrection(field, null), lines(field));
    else
      push(
        field,
        byOrigin(origin),
        value,
        field === 'section' && origin === 'inferred' ? (it.section_evidence ?? null) : null,
        lines(field),
      );
  };
  simple('section', it.section, it.section_origin);
  simple('subject', it.subject, it.subject_origin);
  simple('level', it.level, it.level_origin);

  for (const f of ['basis', 'duties', 'accountability'] as const) {
    // The cell the file ended in (a truncated list) is incomplete: flagged, not read.
    const cut = issues.find((i) => i.kind === 'truncated' && i.field === f);
    if (cut) push(f, 'flagged', null, cut.message, lines(f));
    else push(f, it[f] ? 'read' : 'missing', null, null, lines(f));
  }
  if (!it.stages.length) push('stages', 'missing', null, null, lines('duties'));
  else push('stages', byOrigin(it.stages_origin), it.stages.join('、'), message('stages'), lines('stages'));

  it.sub_items.forEach((s, i) => {
    const n = i + 1;
    if (s.name_origin === 'corrected')
      push('sub_name', 'corrected', s.name, withCorrection('sub_name', null, n), s.source_lines, n);
    else if (!s.name)
      push(
        'sub_name',
        'missing',
        null,
        s.code
          ? `sub-item ${n} has a code but no name`
          : `sub-item ${n}: 子项名称 empty on a row that starts its own 实施依据`,
        s.source_lines,
        n,
      );
    else if (s.name_quality !== 'ok')
      push('sub_name', 'flagged', s.name, `子项名称 ${s.name_quality}`, s.source_lines, n);
    else push('sub_name', 'read', s.name, null, s.source_lines, n);
  });
  return out;
}
