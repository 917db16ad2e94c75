/**
 * Fine clauses (罚款) inside a 实施依据 passage. Each clause is kept apart, with its kind:
 * a fixed range, a per-person range, a multiple of a named base, a cap only, or a fine the
 * text names without any amount. These kinds are not interchangeable: a per-person range
 * scales with the number of workers, a multiple with the base amount of the case.
 */
import type { FineKind, FineTerms } from '../../db/schema.ts';
import { NUMERAL_CLASS, parseChineseNumber } from './chinese-number.ts';

export type { FineKind, FineTerms };

export interface Provenance {
  source: string;
  line: number;
}

/** What a multiple is a multiple of. `other` keeps the words but has no key yet. */
export type FineBaseKey =
  | 'illegal_gains'
  | 'owed_premiums'
  | 'unpaid_premiums'
  | 'defrauded_amount'
  | 'concealed_wages'
  | 'unpaid_wages'
  | 'fees_charged'
  | 'other';

export interface FineBase {
  key: FineBaseKey;
  /** The words of the passage naming the base, e.g. "应缴社会保险费数额". */
  text: string;
}

/** A clause as read: its terms, what a multiple is of, and where in the passage it stands. */
export interface FineClause extends FineTerms {
  base: FineBase | null;
  /** Who is fined when the passage says so: the unit, or the responsible persons. */
  target: 'responsible_persons' | null;
  /** The condition phrase just before the clause ("没有违法所得的", "情节严重的"), as written. */
  condition: string | null;
  /** Exact substring of the passage. */
  clause_text: string;
  offset: number;
  source: string;
  line: number;
}

export interface FineIssue {
  source: string;
  line: number;
  offset: number;
  value: string;
  message: string;
}

export interface FineParseResult {
  clauses: FineClause[];
  issues: FineIssue[];
}

const NUM = `(?:[${NUMERAL_CLASS}]|[.．](?=[0-9０-９]))+`;
const RANGE_YUAN = new RegExp(`(${NUM})元(?:以上|至)(${NUM})元(?:以下)?`, 'g');
const CAP_YUAN = new RegExp(`(?:不超过|不高于)?(${NUM})元以下|不(?:得)?超过(${NUM})元`, 'g');
const RANGE_MULT = new RegExp(`(${NUM})倍(?:以上|至)(${NUM})倍(?:以下)?`, 'g');
const CAP_MULT = new RegExp(`不超过([^，,;；。]{0,12}?)(${NUM})倍`, 'g');
/** "但最高不得超过三万元" caps a multiple; it follows the 罚款 after a comma. */
const TAIL_CAP = new RegExp(`^[，,]\\s*但?最高不得超过(${NUM})元`);

const BASES: ReadonlyArray<[RegExp, FineBaseKey]> = [
  [/违法所得/, 'illegal_gains'],
  [/应缴(?:纳的)?社会保险费/, 'owed_premiums'],
  [/欠缴/, 'unpaid_premiums'],
  [/骗取/, 'defrauded_amount'],
  [/瞒报工资/, 'concealed_wages'],
  [/(?:拖欠|克扣|未支付|应付).*(?:工资|报酬)|工资/, 'unpaid_wages'],
  [/收取的?费用|所收费用/, 'fees_charged'],
];

function baseOf(words: string): FineBase | null {
  const text = words.replace(/^(?:并?可?(?:以|对其)?处以?|处|对[^处]{0,12}处)/, '').trim();
  if (text === '') return null;
  for (const [re, key] of BASES) if (re.test(text)) return { key, text };
  return { key: 'other', text };
}

interface Amount {
  start: number;
  end: number;
  kind: Exclude<FineKind, 'unspecified' | 'per_person_range'>;
  nums: [string | null, string | null];
  baseWords: string;
}

/** The last amount expression in `region` (nearest to its 罚款), with multiples winning ties. */
function lastAmount(region: string): Amount | null {
  const found: Amount[] = [];
  const scan = (
    re: RegExp,
    kind: Amount['kind'],
    pick: (m: RegExpExecArray) => Amount['nums'],
    base = (_: RegExpExecArray) => '',
  ) => {
    re.lastIndex = 0;
    for (let m = re.exec(region); m; m = re.exec(region)) {
      found.push({ start: m.index, end: m.index + m[0].length, kind, nums: pick(m), baseWords: base(m) });
    }
  };
  scan(RANGE_MULT, 'multiple', (m) => [m[1]!, m[2]!]);
  scan(
    CAP_MULT,
    'multiple',
    (m) => [null, m[2]!],
    (m) => m[1]!,
  );
  scan(RANGE_YUAN, 'fixed_range', (m) => [m[1]!, m[2]!]);
  scan(CAP_YUAN, 'cap_only', (m) => [null, (m[1] ?? m[2])!]);
  if (found.length === 0) return null;
  // A cap match can sit inside a range match ("1000元以上5000元以下" holds "5000元以下").
  const outer = found.filter(
    (a) => !found.some((b) => b !== a && b.start <= a.start && b.end >= a.end && b.end - b.start > a.end - a.start),
  );
  outer.sort((a, b) => a.end - b.end);
  const last = outer[outer.length - 1]!;
  if (last.kind === 'multiple' && last.baseWords === '') {
    // Base words sit between the verb and the multiple: "处骗取金额二倍以上五倍以下".
    const head = region.slice(0, last.start);
    const cut = Math.max(head.lastIndexOf('处'), head.lastIndexOf('，'), head.lastIndexOf(','));
    last.baseWords = head.slice(cut + 1);
  }
  return last;
}

function clauseStart(segment: string, from: number, amountStart: number): number {
  const before = segment.slice(from, amountStart);
  const cut = Math.max(
    before.lastIndexOf('，'),
    before.lastIndexOf(','),
    before.lastIndexOf(':'),
    before.lastIndexOf('：'),
  );
  return from + cut + 1;
}

function conditionBefore(segment: string, start: number): string | null {
  const before = segment.slice(0, start).replace(/[，,]$/, '');
  const cut = Math.max(
    before.lastIndexOf('，'),
    before.lastIndexOf(','),
    before.lastIndexOf(':'),
    before.lastIndexOf('：'),
  );
  const phrase = before.slice(cut + 1).trim();
  return phrase.endsWith('的') && phrase.length <= 30 ? phrase : null;
}

/**
 * Every fine clause in `text`. Clauses are cut at 。；; and at each 罚款, so "并处违法所得
 * 一倍以上五倍以下的罚款；没有违法所得的，可以处五万元以下的罚款" gives two clauses.
 */
export function parseFineClauses(text: string, provenance: Provenance): FineParseResult {
  const clauses: FineClause[] = [];
  const issues: FineIssue[] = [];
  const issue = (offset: number, value: string, message: string) =>
    issues.push({ source: provenance.source, line: provenance.line, offset, value, message });

  const segmentRe = /[^。；;]+/g;
  for (let seg = segmentRe.exec(text); seg; seg = segmentRe.exec(text)) {
    const segment = seg[0];
    let from = 0;
    const fineRe = /罚款/g;
    for (let f = fineRe.exec(segment); f; f = fineRe.exec(segment)) {
      const fineEnd = f.index + 2;
      const region = segment.slice(from, f.index);
      const tail = TAIL_CAP.exec(segment.slice(fineEnd));
      const amount = lastAmount(region);
      const regionStart = from;
      from = fineEnd + (tail ? tail[0].length : 0);
      fineRe.lastIndex = from;
      // "罚款单据", "罚缴分离" and the like name the institution, not a fine clause.
      if (/^(?:单据|决定书|收据)/.test(segment.slice(fineEnd))) continue;

      const startInSeg = amount
        ? clauseStart(segment, regionStart, regionStart + amount.start)
        : verbStart(segment, regionStart, f.index);
      if (startInSeg === null) continue;
      const clauseText = segment.slice(startInSeg, from);
      const offset = seg.index + startInSeg;
      const perPerson = /每人|每名/.test(segment.slice(startInSeg, f.index));
      const record: FineClause = {
        kind: 'unspecified',
        min_yuan: null,
        max_yuan: null,
        min_multiple: null,
        max_multiple: null,
        base: null,
        per: perPerson ? 'person' : null,
        target: /直接负责的主管人员|直接责任人员/.test(segment.slice(regionStart, f.index))
          ? 'responsible_persons'
          : null,
        condition: conditionBefore(segment, startInSeg),
        clause_text: clauseText,
        offset,
        source: provenance.source,
        line: provenance.line,
      };
      if (amount) {
        const [lo, hi] = amount.nums.map((n) => (n === null ? null : parseChineseNumber(n)));
        for (const r of [lo, hi]) if (r && !r.ok) issue(offset, clauseText, `amount unreadable: ${r.reason}`);
        const loV = lo?.ok ? lo.value : null;
        const hiV = hi?.ok ? hi.value : null;
        if (amount.kind === 'multiple') {
          Object.assign(record, {
            kind: 'multiple',
            min_multiple: loV,
            max_multiple: hiV,
            base: baseOf(amount.baseWords),
          });
          if (tail) {
            const cap = parseChineseNumber(tail[1]!);
            if (cap.ok) record.max_yuan = cap.value;
            else issue(offset, clauseText, `cap unreadable: ${cap.reason}`);
          }
          if (record.base === null) issue(offset, clauseText, 'multiple without a named base');
        } else if (amount.kind === 'fixed_range') {
          Object.assign(record, { kind: perPerson ? 'per_person_range' : 'fixed_range', min_yuan: loV, max_yuan: hiV });
        } else {
          Object.assign(record, { kind: 'cap_only', max_yuan: hiV });
        }
        const [a, b] =
          amount.kind === 'multiple' ? [record.min_multiple, record.max_multiple] : [record.min_yuan, record.max_yuan];
        if (a !== null && b !== null && a > b) issue(offset, clauseText, `minimum ${a} exceeds maximum ${b}`);
      }
      clauses.push(record);
    }
  }
  return { clauses, issues };
}

/** A fine with no amount ("并可以处以罚款"): the clause starts at its verb, if there is one. */
function verbStart(segment: string, from: number, fineAt: number): number | null {
  const before = segment.slice(from, fineAt);
  const m = /(?:并?可以?|可并)?处以?(?:[^，,：:处]{0,20})$/.exec(before);
  return m ? from + m.index : null;
}
