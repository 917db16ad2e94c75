/**
 * The case export format (README, "Case CSV format"): one row per case, stage timestamps as they apply.
 * Pure: the header check and the row validator take strings and return typed results.
 */
import { parseInstant } from '../calendar/civil-date.ts';
import type { PowerType } from './list-types.ts';

/** Stage timestamps in the order a case passes through them. */
export const STAGES = ['received', 'accepted', 'investigated', 'reviewed', 'decided', 'served', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const CASE_COLUMNS = [
  'case_id', 'bureau_id', 'item_code', 'sub_item_code',
  'received_at', 'accepted_at', 'investigated_at', 'reviewed_at', 'decided_at', 'served_at', 'closed_at',
  'outcome', 'fine_yuan', 'persons', 'synthetic',
] as const;
export type CaseColumn = (typeof CASE_COLUMNS)[number];

export const OUTCOMES = ['approved', 'denied', 'penalized', 'not_penalized', 'withdrawn', 'transferred', 'terminated', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that are themselves a decision, so the case must say when it was decided. */
const DECIDED_OUTCOMES: ReadonlySet<Outcome> = new Set(['approved', 'denied', 'penalized', 'not_penalized']);

export type StageTimes = { readonly [S in Stage]: string | null };

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
  outcome: Outcome;
  fine_yuan: number | null;
  persons: number | null;
  synthetic: boolean;
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
}

export type HeaderCheck = { ok: true } | { ok: false; message: string };

/** Refuses a header that is not exactly CASE_COLUMNS, in order, and says what differs. */
export function checkCaseCsvHeader(fields: readonly string[]): HeaderCheck {
  const got = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  if (got.length === CASE_COLUMNS.length && got.every((f, i) => f === CASE_COLUMNS[i])) return { ok: true };
  const expected = new Set<string>(CASE_COLUMNS);
  const missing = CASE_COLUMNS.filter((c) => !got.includes(c));
  const unknown = got.filter((c) => !expected.has(c));
  const parts: string[] = [];
  if (missing.length) parts.push(`missing: ${missing.join(', ')}`);
  if (unknown.length) parts.push(`unknown: ${unknown.map((c) => JSON.stringify(c)).join(', ')}`);
  if (!missing.length && !unknown.length) parts.push('columns are out of order or repeated');
  return {
    ok: false,
    message: `the case CSV header is wrong (${parts.join('; ')}); expected exactly: ${CASE_COLUMNS.join(',')} (see README, "Case CSV format")`,
  };
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.\-\/]{0,63}$/;
const CODE_RE = /^[0-9A-Za-z]{1,40}$/;
const MONEY_RE = /^\d{1,12}(\.\d{1,2})?$/;
const INT_RE = /^\d{1,7}$/;
/** A single fine above this is far beyond any labour-law penalty clause and is treated as a typo. */
const MAX_FINE_YUAN = 100_000_000;
const MAX_PERSONS = 1_000_000;

/**
 * Validates one data row (fields in CASE_COLUMNS order). Collects every problem of the row,
 * so a bad export can be fixed in one pass.
 */
export function validateCaseRow(
  record: readonly string[],
  lineNo: number,
  ctx: CaseRowContext,
): { ok: CaseRecord } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: RowError['field'], value: string, reason: string) => errors.push({ line: lineNo, field, value, reason });
  if (record.length !== CASE_COLUMNS.length) {
    fail('row', record.join(','), `expected ${CASE_COLUMNS.length} fields, got ${record.length}`);
    return { errors };
  }
  const v = Object.fromEntries(CASE_COLUMNS.map((c, i) => [c, record[i]!.trim()])) as Record<CaseColumn, string>;

  if (!ID_RE.test(v.case_id)) fail('case_id', v.case_id, 'required; letters, digits and _ . - / only, at most 64 characters');
  if (!ID_RE.test(v.bureau_id)) fail('bureau_id', v.bureau_id, 'required; letters, digits and _ . - / only, at most 64 characters');
  else if (ctx.bureauIds && !ctx.bureauIds.has(v.bureau_id)) fail('bureau_id', v.bureau_id, 'not a known bureau');

  let powerType: PowerType | null = null;
  const sub = v.sub_item_code === '' ? null : v.sub_item_code;
  if (!CODE_RE.test(v.item_code)) fail('item_code', v.item_code, 'required; the item code from the list, letters and digits only');
  else if (sub !== null && !CODE_RE.test(sub)) fail('sub_item_code', sub, 'letters and digits only, or empty');
  else {
    const item = ctx.lookupItem(v.item_code, sub);
    if (!item) fail(sub === null ? 'item_code' : 'sub_item_code', sub ?? v.item_code, 'not an item of the list');
    else powerType = item.power_type;
  }

  const times = {} as Record<Stage, string | null>;
  let previous: { stage: Stage; ms: number } | null = null;
  for (const stage of STAGES) {
    const column = `${stage}_at` as CaseColumn;
    const text = v[column];
    times[stage] = null;
    if (text === '') continue;
    const p = parseInstant(text);
    if (!p.ok) { fail(column, text, p.reason); continue; }
    if (ctx.notAfterMs !== undefined && p.epochMs > ctx.notAfterMs) { fail(column, text, 'lies in the future'); continue; }
    if (previous && p.epochMs < previous.ms) fail(column, text, `is before ${previous.stage}_at; stages must be in order`);
    else previous = { stage, ms: p.epochMs };
    times[stage] = text;
  }
  if (v.received_at === '' && v.accepted_at === '') fail('received_at', '', 'a case needs received_at or accepted_at');

  const outcome = (OUTCOMES as readonly string[]).includes(v.outcome) ? (v.outcome as Outcome) : null;
  if (outcome === null) fail('outcome', v.outcome, `expected one of ${OUTCOMES.join(', ')}`);
  else if (DECIDED_OUTCOMES.has(outcome) && v.decided_at === '') fail('decided_at', '', `outcome ${outcome} needs decided_at`);
  else if (outcome === 'pending') {
    for (const c of ['decided_at', 'served_at', 'closed_at'] as const) if (v[c] !== '') fail(c, v[c], 'a pending case cannot have this stage yet');
  }

  let fine: number | null = null;
  if (v.fine_yuan !== '') {
    if (!MONEY_RE.test(v.fine_yuan)) fail('fine_yuan', v.fine_yuan, 'expected yuan as digits with at most 2 decimals, e.g. 5000 or 1200.50');
    else if (Number(v.fine_yuan) > MAX_FINE_YUAN) fail('fine_yuan', v.fine_yuan, `above ${MAX_FINE_YUAN} yuan; check the unit`);
    else if (outcome !== null && outcome !== 'penalized') fail('fine_yuan', v.fine_yuan, 'only a penalized case has a fine');
    else fine = Number(v.fine_yuan);
  }

  let persons: number | null = null;
  if (v.persons !== '') {
    if (!INT_RE.test(v.persons) || Number(v.persons) < 1 || Number(v.persons) > MAX_PERSONS) {
      fail('persons', v.persons, `expected a whole number 1..${MAX_PERSONS}`);
    } else persons = Number(v.persons);
  }

  let synthetic = false;
  if (v.synthetic === 'true') synthetic = true;
  else if (v.synthetic !== 'false') fail('synthetic', v.synthetic, 'expected true or false');

  if (errors.length > 0) return { errors };
  return {
    ok: {
      line: lineNo,
      case_id: v.case_id,
      bureau_id: v.bureau_id,
      item_code: v.item_code,
      sub_item_code: sub,
      power_type: powerType,
      times,
      outcome: outcome!,
      fine_yuan: fine,
      persons,
      synthetic,
    },
  };
}
