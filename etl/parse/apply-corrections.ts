/**
 * Applies reviewed corrections over a parsed list. Pure: returns a new list; the parse itself is
 * untouched. A correction applies while its item still reads the text it fixes (`reads`); each
 * corrected value gets origin 'corrected' and the item records the correction (field, original value,
 * reason, author, date, file and line). A correction whose item is not in this list, or whose item
 * now reads something else, is stale: listed, never applied. A correction that cannot be right for any
 * list (a malformed code) is an error naming its line.
 */
import type { CorrectionEntry } from './corrections.ts';
import type { AppliedCorrection, ParsedItem, ParsedList, PowerType } from './list-types.ts';

export class CorrectionError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    message: string,
  ) {
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

/** A correction not applied to this list, and why. */
export interface StaleCorrection {
  source: string;
  line: number;
  code: string | null;
  seq: number | null;
  field: string;
  sub_no: number | null;
  reads: string;
  /** What the item reads now; null when the item (or sub-item) is not in this list. */
  found: string | null;
  message: string;
}

export interface CorrectedList {
  list: ParsedList;
  stale: StaleCorrection[];
}

type Item = ParsedItem & { corrections: AppliedCorrection[] };
const same = (a: string | null | undefined, b: string) => (a ?? '').replace(/\s+/g, '') === b.replace(/\s+/g, '');

export function applyCorrections(list: ParsedList, entries: readonly CorrectionEntry[]): CorrectedList {
  const items: Item[] = list.items.map((it) => ({
    ...it,
    sub_items: it.sub_items.map((s) => ({ ...s, source_lines: [...s.source_lines] })),
    corrections: [...(it.corrections ?? [])],
  }));
  const errors: CorrectionError[] = [];
  const stale: StaleCorrection[] = [];
  for (const e of entries) {
    const staleAs = (found: string | null, message: string) =>
      stale.push({
        source: e.source,
        line: e.line,
        code: e.code ?? null,
        seq: e.seq ?? null,
        field: e.field,
        sub_no: e.sub_no ?? null,
        reads: e.reads,
        found,
        message,
      });
    const byCode = e.code !== undefined ? items.find((it) => it.code === e.code) : undefined;
    const bySeq = e.seq !== undefined ? items.find((it) => it.seq === e.seq) : undefined;
    if (e.field === 'code' && !/^[0-9A-Z]{31}$/.test(e.value)) {
      errors.push(new CorrectionError(e.source, e.line, `code "${e.value}" is not a full 31-character code`));
      continue;
    }
    // The code is the item's identity across versions (lists renumber); the seq names it only when
    // there is no code. The `reads` precondition keeps a fix off an item it was not written for.
    const item = e.code !== undefined ? byCode : bySeq;
    if (!item) {
      staleAs(
        null,
        e.code !== undefined ? `no item of ${list.source} has code ${e.code}` : `${list.source} has no item ${e.seq}`,
      );
      continue;
    }
    const current = readValue(item, e);
    if (current === undefined) {
      staleAs(null, `item ${item.seq} has ${item.sub_items.length} sub-items; there is no sub_no ${e.sub_no}`);
      continue;
    }
    if (same(current, e.value)) continue; // the list reads the corrected value itself now
    if (!same(current, e.reads)) {
      staleAs(
        current,
        `item ${item.seq} now reads "${current ?? ''}" where the correction fixes "${e.reads}": not applied; review the correction`,
      );
      continue;
    }
    applyOne(item, e);
  }
  if (errors.length) throw new CorrectionsError(errors);
  return { list: { ...list, items }, stale };
}

/** The value a correction would replace; undefined when its sub-item does not exist. */
function readValue(it: Item, e: CorrectionEntry): string | null | undefined {
  switch (e.field) {
    case 'name':
      return it.name;
    case 'sub_name':
      return it.sub_items[e.sub_no! - 1]?.name;
    case 'power_type':
      return it.power_type;
    case 'section':
      return it.section;
    case 'subject':
      return it.subject;
    case 'level':
      return it.level;
    case 'code':
      return it.code ?? it.code_read;
  }
}

function applyOne(it: Item, e: CorrectionEntry): void {
  const record = (original: string | null, sub_no: number | null = null) =>
    it.corrections.push({
      field: e.field,
      sub_no,
      original,
      value: e.value,
      reason: e.reason,
      author: e.author,
      date: e.date,
      source: e.source,
      line: e.line,
    });
  switch (e.field) {
    case 'name':
      record(it.name);
      it.name = e.value;
      it.name_quality = 'ok';
      it.name_origin = 'corrected';
      return;
    case 'sub_name': {
      const sub = it.sub_items[e.sub_no! - 1]!;
      record(sub.name, e.sub_no!);
      sub.name = e.value;
      sub.name_quality = 'ok';
      sub.name_origin = 'corrected';
      return;
    }
    case 'power_type':
      record(it.power_type);
      it.power_type = e.value as PowerType;
      it.power_type_origin = 'corrected';
      return;
    case 'section':
      record(it.section);
      it.section = e.value;
      it.section_origin = 'corrected';
      it.section_evidence = null;
      return;
    case 'subject':
      record(it.subject);
      it.subject = e.value;
      it.subject_origin = 'corrected';
      return;
    case 'level':
      record(it.level);
      it.level = e.value;
      it.level_origin = 'corrected';
      return;
    case 'code':
      record(it.code ?? it.code_read);
      it.code = e.value;
      it.code_origin = 'corrected';
      it.code_partial = false;
      it.code_read = null;
      return;
  }
}
