/**
 * The case export format (README, "Case CSV format"): one row per case, stage timestamps as they apply.
 * Pure: the header check and the row validator take strings and return typed results.
 */
import { instantMs, parseInstant, parseIsoDate, shanghaiDayOf } from '../calendar/civil-date.ts';
import type { PowerType } from './list-types.ts';

/** Stage timestamps in the order a case passes through them. */
export const STAGES = ['received', 'accepted', 'investigated', 'reviewed', 'decided', 'served', 'closed'] as const;
export type CaseStage = (typeof STAGES)[number];

export const CASE_COLUMNS = [
  'case_id',
  'bureau_id',
  'item_code',
  'sub_item_code',
  'received_at',
  'accepted_at',
  'investigated_at',
  'reviewed_at',
  'decided_at',
  'served_at',
  'closed_at',
  'outcome',
  'fine_yuan',
  'persons',
  'synthetic',
] as const;
/**
 * The optional 16th column: the day an extension of the statutory limit (延长办理期限) was
 * approved. A file carries it or not, as its header says; without it no case is extended.
 */
export const EXTENSION_COLUMN = 'extension_approved_at';
/** The header with the optional column; CASE_COLUMNS is its prefix, so a field's index names it in either layout. */
export const CASE_COLUMNS_WITH_EXTENSION = [...CASE_COLUMNS, EXTENSION_COLUMN] as const;
export type CaseColumn = (typeof CASE_COLUMNS_WITH_EXTENSION)[number];
/** The columns of a file, as its header named them: one of the two accepted layouts. */
export type CaseHeader = typeof CASE_COLUMNS | typeof CASE_COLUMNS_WITH_EXTENSION;

export const OUTCOMES = [
  'approved',
  'denied',
  'penalized',
  'not_penalized',
  'withdrawn',
  'transferred',
  'terminated',
  'pending',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that are themselves a decision, so the case must say when it was decided. */
const DECIDED_OUTCOMES: ReadonlySet<Outcome> = new Set(['approved', 'denied', 'penalized', 'not_penalized']);

export type StageTimes = { readonly [S in CaseStage]: string | null };

export interface CaseRecord {
  line: number;
  case_id: string;
  bureau_id: string;
  item_code: string;
  sub_item_code: string | null;
  /** Power type of the item, from the lookup; null when the list itself does not know it. */
  power_type: PowerType | null;
  /** ISO 8601 timestamps with offset, exactly as given. */
  times: StageTimes;
  /** The same instants in epoch milliseconds (fractions below a millisecond dropped), in STAGES order; NaN where empty. */
  stageMs: readonly number[];
  /** Asia/Shanghai day number (days since 1970-01-01) of received_at, or of accepted_at without it: the partition key's day. */
  startedDay: number;
  outcome: Outcome;
  fine_yuan: number | null;
  persons: number | null;
  synthetic: boolean;
  /** Asia/Shanghai day number on which an extension of the time limit was approved; null: none (or no such column). */
  extensionApprovedDay: number | null;
}

export interface RowError {
  line: number;
  field: CaseColumn | 'row';
  value: string;
  reason: string;
}

export interface CaseRowContext {
  /** Known (item, sub-item) codes of the bureau's list; null when unknown. */
  lookupItem(itemCode: string, subItemCode: string | null): { power_type: PowerType | null } | null;
  /** When given, bureau_id must be one of these. */
  bureauIds?: ReadonlySet<string>;
  /** When given (epoch ms, from the caller's clock), timestamps after it are refused. */
  notAfterMs?: number;
  /** The file's columns (checkCaseCsvHeader); default the 15 required ones. */
  columns?: CaseHeader;
}

export type HeaderCheck = { ok: true; columns: CaseHeader } | { ok: false; message: string };

/**
 * Refuses a header that is not exactly CASE_COLUMNS, in order, optionally followed by
 * EXTENSION_COLUMN, and says what differs.
 */
export function checkCaseCsvHeader(fields: readonly string[]): HeaderCheck {
  const got = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  for (const columns of [CASE_COLUMNS, CASE_COLUMNS_WITH_EXTENSION] as const)
    if (got.length === columns.length && got.every((f, i) => f === columns[i])) return { ok: true, columns };
  const expected = new Set<string>(CASE_COLUMNS_WITH_EXTENSION);
  const missing = CASE_COLUMNS.filter((c) => !got.includes(c));
  const unknown = got.filter((c) => !expected.has(c));
  const parts: string[] = [];
  if (missing.length) parts.push(`missing: ${missing.join(', ')}`);
  if (unknown.length) parts.push(`unknown: ${unknown.map((c) => JSON.stringify(c)).join(', ')}`);
  if (!missing.length && !unknown.length) parts.push('columns are out of order or repeated');
  return {
    ok: false,
    message: `the case CSV header is wrong (${parts.join('; ')}); expected exactly: ${CASE_COLUMNS.join(',')} — optionally followed by ,${EXTENSION_COLUMN} (see README, "Case CSV format")`,
  };
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;
const CODE_RE = /^[0-9A-Za-z]{1,40}$/;
const MONEY_RE = /^\d{1,12}(\.\d{1,2})?$/;
const INT_RE = /^\d{1,7}$/;
const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A single fine above this is far beyond any labour-law penalty clause and is treated as a typo. */
const MAX_FINE_YUAN = 100_000_000;
const MAX_PERSONS = 1_000_000;

/** For a refused value longer than its column's maximum: its length, so the reason says why. */
const tooLong = (v: string, max: number) => (v.length > max ? ` (this one has ${v.length})` : '');

function fail(errors: RowError[], line: number, field: RowError['field'], value: string, reason: string): void {
  errors.push({ line, field, value, reason });
}

/** Column positions in CASE_COLUMNS, for reading a row without building an object per row. */
const COL = Object.fromEntries(CASE_COLUMNS_WITH_EXTENSION.map((c, i) => [c, i])) as Record<CaseColumn, number>;
const STAGE_COLUMNS = STAGES.map((s) => `${s}_at` as CaseColumn);
const STAGE_FIELDS = STAGE_COLUMNS.map((c) => COL[c]);
const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);

const ERRORS: RowError[] = [];
const TEXTS: string[] = ['', '', '', '', '', '', ''];
const VALID: (string | null)[] = [null, null, null, null, null, null, null];

/**
 * Validates one data row (fields in CASE_COLUMNS order). Collects every problem of the row,
 * so a bad export can be fixed in one pass. Written for speed: a case load runs it on every row.
 */
export function validateCaseRow(
  record: readonly string[],
  lineNo: number,
  ctx: CaseRowContext,
): { ok: CaseRecord } | { errors: RowError[] } {
  // Scratch arrays reused row after row (the function never yields), copied only when returned.
  const errors = ERRORS;
  errors.length = 0;
  // No closures in here: under tsx every closure created per call costs a name assignment.
  const width = (ctx.columns ?? CASE_COLUMNS).length;
  if (record.length !== width) {
    fail(errors, lineNo, 'row', record.join(','), `expected ${width} fields, got ${record.length}`);
    return { errors: errors.slice() };
  }
  const caseId = record[COL.case_id]!.trim(),
    bureauId = record[COL.bureau_id]!.trim();
  const itemCode = record[COL.item_code]!.trim(),
    subText = record[COL.sub_item_code]!.trim();

  if (!ID_RE.test(caseId))
    fail(
      errors,
      lineNo,
      'case_id',
      caseId,
      `required; letters, digits and _ . - / only, at most 64 characters${tooLong(caseId, 64)}`,
    );
  if (!ID_RE.test(bureauId))
    fail(
      errors,
      lineNo,
      'bureau_id',
      bureauId,
      `required; letters, digits and _ . - / only, at most 64 characters${tooLong(bureauId, 64)}`,
    );
  else if (ctx.bureauIds && !ctx.bureauIds.has(bureauId))
    fail(errors, lineNo, 'bureau_id', bureauId, 'not a known bureau');

  let powerType: PowerType | null = null;
  const sub = subText === '' ? null : subText;
  if (!CODE_RE.test(itemCode))
    fail(
      errors,
      lineNo,
      'item_code',
      itemCode,
      `required; the item code from the list, letters and digits only, at most 40${tooLong(itemCode, 40)}`,
    );
  else if (sub !== null && !CODE_RE.test(sub))
    fail(errors, lineNo, 'sub_item_code', sub, `letters and digits only, at most 40, or empty${tooLong(sub, 40)}`);
  else {
    const item = ctx.lookupItem(itemCode, sub);
    if (!item)
      fail(errors, lineNo, sub === null ? 'item_code' : 'sub_item_code', sub ?? itemCode, 'not an item of the list');
    else powerType = item.power_type;
  }

  const texts = TEXTS;
  const stageMs: number[] = [NaN, NaN, NaN, NaN, NaN, NaN, NaN];
  const valid = VALID;
  let previousStage: CaseStage | null = null,
    previousMs = 0,
    startedDay = NaN;
  for (let k = 0; k < STAGES.length; k++) {
    const stage = STAGES[k]!,
      column = STAGE_COLUMNS[k]!;
    const text = record[STAGE_FIELDS[k]!]!.trim();
    texts[k] = text;
    valid[k] = null;
    if (text === '') continue;
    const ms = instantMs(text);
    if (Number.isNaN(ms)) {
      const p = parseInstant(text);
      fail(errors, lineNo, column, text, p.ok ? 'unreadable timestamp' : p.reason);
      continue;
    }
    if (ctx.notAfterMs !== undefined && ms > ctx.notAfterMs) {
      fail(errors, lineNo, column, text, 'lies in the future');
      continue;
    }
    if (previousStage !== null && ms < previousMs)
      fail(errors, lineNo, column, text, `is before ${previousStage}_at; stages must be in order`);
    else {
      previousStage = stage;
      previousMs = ms;
    }
    valid[k] = text;
    stageMs[k] = ms;
    if (k === 0 || (k === 1 && valid[0] === null)) startedDay = shanghaiDayOf(ms);
  }
  const times: StageTimes = {
    received: valid[0]!,
    accepted: valid[1]!,
    investigated: valid[2]!,
    reviewed: valid[3]!,
    decided: valid[4]!,
    served: valid[5]!,
    closed: valid[6]!,
  };
  const [received, accepted, , , decided, served, closed] = texts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (received === '' && accepted === '')
    fail(errors, lineNo, 'received_at', '', 'a case needs received_at or accepted_at');

  const outcomeText = record[COL.outcome]!.trim();
  const outcome = OUTCOME_SET.has(outcomeText) ? (outcomeText as Outcome) : null;
  if (outcome === null) fail(errors, lineNo, 'outcome', outcomeText, `expected one of ${OUTCOMES.join(', ')}`);
  else if (DECIDED_OUTCOMES.has(outcome) && decided === '')
    fail(errors, lineNo, 'decided_at', '', `outcome ${outcome} needs decided_at`);
  else if (outcome === 'pending') {
    for (const [c, v] of [
      ['decided_at', decided],
      ['served_at', served],
      ['closed_at', closed],
    ] as const)
      if (v !== '') fail(errors, lineNo, c, v, 'a pending case cannot have this stage yet');
  }

  let fine: number | null = null;
  const fineText = record[COL.fine_yuan]!.trim();
  if (fineText !== '') {
    if (!MONEY_RE.test(fineText))
      fail(
        errors,
        lineNo,
        'fine_yuan',
        fineText,
        'expected yuan as digits with at most 2 decimals, e.g. 5000 or 1200.50',
      );
    else if (Number(fineText) > MAX_FINE_YUAN)
      fail(errors, lineNo, 'fine_yuan', fineText, `above ${MAX_FINE_YUAN} yuan; check the unit`);
    else if (outcome !== null && outcome !== 'penalized')
      fail(errors, lineNo, 'fine_yuan', fineText, 'only a penalized case has a fine');
    else fine = Number(fineText);
  }

  let persons: number | null = null;
  const personsText = record[COL.persons]!.trim();
  if (personsText !== '') {
    if (!INT_RE.test(personsText) || Number(personsText) < 1 || Number(personsText) > MAX_PERSONS) {
      fail(errors, lineNo, 'persons', personsText, `expected a whole number 1..${MAX_PERSONS}`);
    } else persons = Number(personsText);
  }

  let synthetic = false;
  const syntheticText = record[COL.synthetic]!.trim();
  if (syntheticText === 'true') synthetic = true;
  else if (syntheticText !== 'false') fail(errors, lineNo, 'synthetic', syntheticText, 'expected true or false');

  const extensionApprovedDay =
    width === CASE_COLUMNS_WITH_EXTENSION.length
      ? extensionDay(errors, lineNo, record[COL.extension_approved_at]!.trim(), startedDay, ctx.notAfterMs)
      : null;

  if (errors.length > 0) return { errors: errors.slice() };
  return {
    ok: {
      line: lineNo,
      case_id: caseId,
      bureau_id: bureauId,
      item_code: itemCode,
      sub_item_code: sub,
      power_type: powerType,
      times,
      stageMs,
      startedDay,
      outcome: outcome!,
      fine_yuan: fine,
      persons,
      synthetic,
      extensionApprovedDay,
    },
  };
}

/**
 * The day an extension was approved: a date (YYYY-MM-DD, a day in China) or a timestamp with its
 * offset like the stage columns (its Asia/Shanghai date counts). Empty: no extension. Not before
 * the case started, not in the future. Whether it extends a limit is the judgement's business.
 */
function extensionDay(
  errors: RowError[],
  lineNo: number,
  text: string,
  startedDay: number,
  notAfterMs: number | undefined,
): number | null {
  if (text === '') return null;
  let day: number | null;
  if (DATE_ONLY_RE.test(text)) day = parseIsoDate(text);
  else {
    const ms = instantMs(text);
    day = Number.isNaN(ms) ? null : shanghaiDayOf(ms);
  }
  if (day === null) {
    fail(
      errors,
      lineNo,
      EXTENSION_COLUMN,
      text,
      'expected the date the extension was approved, YYYY-MM-DD (e.g. 2024-03-20), or a timestamp with offset like the stage columns; empty when the case was not extended',
    );
    return null;
  }
  if (notAfterMs !== undefined && day > shanghaiDayOf(notAfterMs)) {
    fail(errors, lineNo, EXTENSION_COLUMN, text, 'lies in the future');
    return null;
  }
  if (!Number.isNaN(startedDay) && day < startedDay) {
    fail(
      errors,
      lineNo,
      EXTENSION_COLUMN,
      text,
      'is before the case started (received_at, or accepted_at without it); an extension is approved while the case runs',
    );
    return null;
  }
  return day;
}
