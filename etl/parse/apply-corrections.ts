/**
 * Applies reviewed corrections over a parsed list. Pure: returns a new list; the parse itself is
 * untouched. Each corrected value gets origin 'corrected' and the item records the correction (field,
 * original value, reason, author, date, file and line). A correction that does not fit the list (no
 * such item, code and seq naming different items, no such sub-item) is an error naming its line:
 * a reviewed fix must never land silently on the wrong item.
 */
import type { CorrectionEntry } from './corrections.ts';
import type { AppliedCorrection, ParsedItem, ParsedList, PowerType } from './list-types.ts';

export class CorrectionError extends Error {
  constructor(readonly source: string, readonly line: number, message: string) {
    super(`${source} on line ${line}: ${message}`);
    this.name = 'CorrectionError';
  }
}

/** Every correction that does not fit, each message naming its file and line. */
export class CorrectionsError extends Error {
  constructor(readonly errors: CorrectionError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'CorrectionsError';
  }
}

export function applyCorrections(list: ParsedList, entries: readonly CorrectionEntry[]): ParsedList {
  const items = list.items.map((it) => ({ ...it, sub_items: it.sub_items.map((s) => ({ ...s, source_lines: [...s.source_lines] })), corrections: [...(it.corrections ?? [])] }));
  const errors: CorrectionError[] = [];
  for (const e of entries) {
    const byCode = e.code !== undefined ? items.find((it) => it.code === e.code) : undefined;
    const bySeq = e.seq !== undefined ? items.find((it) => it.seq === e.seq) : undefined;
    if (e.code !== undefined && !byCode) errors.push(new CorrectionError(e.source, e.line, `no item of ${list.source} has code ${e.code}`));
    else if (e.seq !== undefined && !bySeq) errors.push(new CorrectionError(e.source, e.line, `${list.source} has no item ${e.seq}`));
    else if (byCode && bySeq && byCode !== bySeq) errors.push(new CorrectionError(e.source, e.line, `code ${e.code} is item ${byCode.seq}, not item ${e.seq}`));
    else {
      const err = applyOne((byCode ?? bySeq)!, e);
      if (err) errors.push(new CorrectionError(e.source, e.line, err));
    }
  }
  if (errors.length) throw new CorrectionsError(errors);
  return { ...list, items };
}

function applyOne(it: ParsedItem & { corrections: AppliedCorrection[] }, e: CorrectionEntry): string | null {
  const record = (original: string | null, sub_no: number | null = null) =>
    it.corrections.push({ field: e.field, sub_no, original, value: e.value, reason: e.reason, author: e.author, date: e.date, source: e.source, line: e.line });
  switch (e.field) {
    case 'name':
      record(it.name);
      it.name = e.value;
      it.name_quality = 'ok';
      it.name_origin = 'corrected';
      return null;
    case 'sub_name': {
      const sub = it.sub_items[e.sub_no! - 1];
      if (!sub) return `item ${it.seq} has ${it.sub_items.length} sub-items; there is no sub_no ${e.sub_no}`;
      record(sub.name, e.sub_no!);
      sub.name = e.value;
      sub.name_quality = 'ok';
      sub.name_origin = 'corrected';
      return null;
    }
    case 'power_type':
      record(it.power_type);
      it.power_type = e.value as PowerType;
      it.power_type_origin = 'corrected';
      return null;
    case 'section':
      record(it.section);
      it.section = e.value;
      it.section_origin = 'corrected';
      it.section_evidence = null;
      return null;
    case 'subject':
      record(it.subject);
      it.subject = e.value;
      it.subject_origin = 'corrected';
      return null;
    case 'level':
      record(it.level);
      it.level = e.value;
      it.level_origin = 'corrected';
      return null;
    case 'code':
      if (!/^[0-9A-Z]{31}$/.test(e.value)) return `code "${e.value}" is not a full 31-character code`;
      record(it.code ?? it.code_read);
      it.code = e.value;
      it.code_origin = 'corrected';
      it.code_partial = false;
      it.code_read = null;
      return null;
  }
}
