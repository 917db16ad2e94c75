/**
 * Writes synthetic cases (etl/generate/synthetic-cases.ts) for a parsed list to a CSV file: the
 * input of `etl generate-cases`, of `npm start` on an empty database, and of the load benchmark.
 * Items come from the list file itself, so no database is needed.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calendarOrThrow, parseHolidayCalendar } from '../calendar/holiday-calendar.ts';
import {
  csvHeaderLine,
  syntheticCases,
  toCsvLine,
  type FineRange,
  type SyntheticItem,
} from '../generate/synthetic-cases.ts';
import { parseFineClauses } from '../parse/fine-clause.ts';
import { parseListText } from '../parse/list-text.ts';
import type { ParsedList, PowerType } from '../parse/list-types.ts';
import { parseTimeLimits, timeLimitsOrThrow } from '../registry/time-limits.ts';
import { readBureauProfile, readListFile } from '../sources/list-file.ts';
import { fineRangeRows } from '../timeliness/fine-ranges.ts';

/** The year `npm start` fills when no cases are loaded, and its seed: fixed, so every fresh machine shows the same demo. */
export const DEFAULT_SYNTHETIC = { year: 2025, seed: 20250101, rows: 30_000 } as const;

/** Items a synthetic case may name (those with a full code), with their sub-item codes. */
export function syntheticItems(list: ParsedList): SyntheticItem[] {
  return list.items
    .filter((i) => i.code !== null)
    .map((i) => ({
      code: i.code!,
      seq: i.seq,
      power_type: i.power_type,
      section: i.section,
      name: i.name,
      sub_codes: i.sub_items.map((s) => s.code).filter((c): c is string => c !== null),
    }));
}

/** An item as stored (a row of `item` with a code). */
export interface StoredItem {
  code: string | null;
  seq: number;
  power_type: string | null;
  section: string | null;
  name: string;
  basis: string;
}

/**
 * The generator's items and fine ranges for items read from the database: each item's range is
 * the first its basis states (the bench and the tests, which start from a loaded list).
 */
export function syntheticInputsOf(rows: readonly StoredItem[]): {
  items: SyntheticItem[];
  fineRanges: Record<string, FineRange>;
} {
  const fineRanges: Record<string, FineRange> = {};
  for (const it of rows) {
    const first = fineRangeRows(parseFineClauses(it.basis, { source: 'list', line: it.seq }).clauses)[0];
    if (first) fineRanges[it.code!] = first;
  }
  const items = rows.map((i) => ({
    code: i.code!,
    seq: i.seq,
    power_type: i.power_type as PowerType | null,
    section: i.section,
    name: i.name,
  }));
  return { items, fineRanges };
}

/** The statutory fine range of each penalty item: the first clause of its basis that names amounts. */
export function fineRangesOf(list: ParsedList): Record<string, FineRange> {
  const out: Record<string, FineRange> = {};
  for (const item of list.items) {
    if (!item.code || item.power_type !== '行政处罚') continue;
    const clause = parseFineClauses(item.basis, { source: list.source, line: item.source_lines[0] ?? 0 }).clauses.find(
      (c) => c.kind !== 'unspecified',
    );
    if (!clause) continue;
    out[item.code] = {
      kind: clause.kind,
      min_yuan: clause.min_yuan,
      max_yuan: clause.max_yuan,
      min_multiple: clause.min_multiple,
      max_multiple: clause.max_multiple,
    };
  }
  return out;
}

export interface GenerateOptions {
  root: string;
  listFile: string;
  bureauFile: string;
  rows: number;
  seed: number | string;
  year: number;
  out: string;
  onProgress?: (rows: number) => void;
}

export async function writeSyntheticCsv(o: GenerateOptions): Promise<{ rows: number; bureauId: string }> {
  const profile = await readBureauProfile(o.bureauFile);
  const listFile = await readListFile(o.listFile);
  const list = parseListText(listFile.text, listFile.name, profile);
  const calendar = calendarOrThrow(
    parseHolidayCalendar(await readFile(join(o.root, 'data/holidays/cn.yaml'), 'utf8'), 'data/holidays/cn.yaml'),
  );
  const limits = timeLimitsOrThrow(
    parseTimeLimits(await readFile(join(o.root, 'data/time-limits.yaml'), 'utf8'), 'data/time-limits.yaml'),
  );
  const out = createWriteStream(o.out);
  let buf = `${csvHeaderLine()}\n`;
  let n = 0;
  for (const c of syntheticCases({
    items: syntheticItems(list),
    seed: o.seed,
    rows: o.rows,
    year: o.year,
    calendar,
    limits,
    fineRanges: fineRangesOf(list),
    bureauId: profile.bureau_id,
  })) {
    buf += `${toCsvLine(c)}\n`;
    if (++n % 10_000 === 0) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
      o.onProgress?.(n);
    }
  }
  out.write(buf);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return { rows: n, bureauId: profile.bureau_id };
}
