/**
 * The bulk path's SQL (etl/load/case-sql-validate.ts) must agree with validateCaseRow: the same
 * rows of one fixture loaded through the bulk path (no quotes in the file) and through the
 * streaming path (one harmless quoted field) give the same rejects, the same loaded values, and
 * the same rejects as validateCaseRow called directly.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemLookup } from '../../etl/load/case-lookup.ts';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { mergeRowErrors } from '../../etl/load/case-rejects.ts';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import { CASE_COLUMNS, validateCaseRow, type CaseColumn } from '../../etl/parse/case-csv.ts';
import { loadListFile } from '../../etl/run-etl.ts';
import { BUNDLED_LIST, BUREAU_FILE, profile } from '../helpers/bundled.ts';
import { BACKENDS, createTestDb, ROOT, type TestDb } from '../helpers/test-db.ts';

const BUREAU = profile().bureau_id;
const NOW = new Date('2026-06-01T00:00:00Z');
const now = () => NOW;
const HEADER = CASE_COLUMNS.join(',');

let dir: string;
let item: string, sub: string, otherItem: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quanze-case-agree-'));
  const out = join(dir, 'synthetic.csv');
  await writeSyntheticCsv({ root: ROOT, listFile: BUNDLED_LIST, bureauFile: BUREAU_FILE, rows: 400, seed: 3, year: 2025, out });
  const rows = (await readFile(out, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  const withSub = rows.find((r) => r[3] !== '')!;
  [item, sub] = [withSub[2]!, withSub[3]!];
  otherItem = rows.find((r) => r[3] === '' && r[2] !== item)![2]!;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Row = Record<CaseColumn, string>;
const base = (id: string): Row => ({
  case_id: id, bureau_id: BUREAU, item_code: otherItem, sub_item_code: '',
  received_at: '2025-03-03T09:00:00+08:00', accepted_at: '2025-03-03T10:00:00+08:00', investigated_at: '', reviewed_at: '',
  decided_at: '2025-03-10T10:00:00+08:00', served_at: '', closed_at: '', outcome: 'approved', fine_yuan: '', persons: '', synthetic: 'false',
});
const penalized = (id: string): Row => ({ ...base(id), outcome: 'penalized', fine_yuan: '5000', persons: '2' });

/** Every rule broken once, plus rows the SQL leaves to the validator although they are good. */
const fixture = (): Row[] => [
  base('OK-1'),
  { ...base('OK-2'), item_code: item, sub_item_code: sub },
  penalized('OK-3'),
  { ...penalized('OK-4'), fine_yuan: '1200.50', persons: '' },
  { ...base('OK-5'), received_at: '2024-02-29T09:00:00+08:00', accepted_at: '2024-02-29 09:00Z' },
  { ...base('OK-6'), decided_at: '2025-03-10T10:00:00.1234+08:00' }, // 4-digit fraction: the validator decides
  { ...base(' OK-7 '), outcome: ' approved' }, // trimmed by the validator
  { ...base('OK-8'), received_at: '', outcome: 'pending', decided_at: '' },
  { ...base('OK-9'), received_at: '1995-03-03T09:00:00-05:30' },
  { ...base('OK-10'), accepted_at: '2025-03-03T09:00:00+08:00' }, // equal to received: fine
  { ...base('OK-11'), received_at: '1985-01-01T00:00:00+08:00' }, // a year the SQL does not check
  { ...base('bad id'), case_id: 'bad id' },
  { ...base(''), case_id: '' },
  { ...base('BAD-BUREAU'), bureau_id: 'OTHER' },
  { ...base('BAD-ITEM'), item_code: '11622301566438677P9999999999999' },
  { ...base('BAD-ITEM-CHARS'), item_code: 'abc$' },
  { ...base('BAD-SUB'), item_code: item, sub_item_code: '999' },
  { ...base('BAD-SUB-OF-OTHER'), sub_item_code: sub },
  { ...base('BAD-NO-OFFSET'), decided_at: '2025-03-10T10:00:00' },
  { ...base('BAD-FEB-30'), decided_at: '2025-02-30T10:00:00+08:00' },
  { ...base('BAD-HOUR'), decided_at: '2025-03-10T24:00:00+08:00' },
  { ...base('BAD-SECOND'), decided_at: '2025-03-10T10:00:60+08:00' },
  { ...base('BAD-OFFSET'), decided_at: '2025-03-10T10:00:00+15:00' },
  { ...base('BAD-YEAR'), received_at: '1899-12-31T10:00:00+08:00' },
  { ...base('BAD-DIGITS'), decided_at: '٢٠٢٥-03-10T10:00:00+08:00' },
  { ...base('BAD-FUTURE'), decided_at: '2026-06-01T08:00:01+08:00' },
  { ...base('NOT-FUTURE'), decided_at: '2026-06-01T08:00:00+08:00' },
  { ...base('BAD-ORDER'), accepted_at: '2025-03-02T10:00:00+08:00' },
  { ...base('BAD-ORDER-2'), served_at: '2025-03-09T10:00:00+08:00' },
  { ...base('BAD-NO-START'), received_at: '', accepted_at: '' },
  { ...base('BAD-OUTCOME'), outcome: 'maybe' },
  { ...base('BAD-UNDECIDED'), decided_at: '' },
  { ...base('BAD-PENDING'), outcome: 'pending', decided_at: '', closed_at: '2025-03-12T10:00:00+08:00' },
  { ...penalized('BAD-FINE'), fine_yuan: '12.345' },
  { ...penalized('BAD-FINE-BIG'), fine_yuan: '200000000' },
  { ...penalized('OK-FINE-MAX'), fine_yuan: '100000000.00' },
  { ...base('BAD-FINE-OUTCOME'), fine_yuan: '500' },
  { ...penalized('BAD-PERSONS'), persons: '0' },
  { ...penalized('BAD-PERSONS-BIG'), persons: '1000001' },
  { ...penalized('BAD-PERSONS-X'), persons: 'x' },
  { ...base('BAD-SYNTH'), synthetic: 'yes' },
  { ...base('BAD-MANY'), outcome: 'maybe', synthetic: 'no', fine_yuan: '-1' },
  base('OK-1'), // repeated id: the first row is kept
];

const csvLine = (r: Row) => CASE_COLUMNS.map((c) => r[c]).join(',');

describe.each(BACKENDS)('bulk SQL checks agree with validateCaseRow on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await loadListFile({ db: t.db, config: { listFile: BUNDLED_LIST, bureauFile: BUREAU_FILE } }, BUNDLED_LIST);
  });
  afterAll(() => t.drop());

  const rejectsOf = (fileId: number) =>
    t.db.session((s) => s.query<{ line: number; field: string; value: string; reason: string }>('SELECT line, field, value, reason FROM case_reject WHERE file_id = $1 ORDER BY line, field COLLATE "C"', [fileId]));
  const cases = () =>
    t.db.session((s) =>
      s.query(`SELECT case_id, item_code, sub_item_code, received_at, accepted_at, investigated_at, reviewed_at, decided_at, served_at, closed_at,
                      started_at, outcome, fine_yuan::float8 AS fine_yuan, persons, synthetic FROM case_record ORDER BY case_id`),
    );

  // Beijing-shaped timestamps that do not cast make the optimistic statement fail (the careful one
  // then runs); without them the optimistic statement itself is checked.
  const uncastable = new Set(['BAD-FEB-30', 'BAD-DIGITS']);
  it.each([
    ['careful', () => fixture()],
    ['optimistic', () => fixture().filter((r) => !uncastable.has(r.case_id))],
  ])('%s SQL: same rejects and the same loaded rows through the bulk path, the streaming path and validateCaseRow', async (name, rowsOf) => {
    const rows = rowsOf();
    const bulkFile = join(dir, `${backend}-${name}-bulk.csv`);
    await writeFile(bulkFile, [HEADER, ...rows.map(csvLine)].join('\n') + '\n');
    const bulk = await loadCaseFile(t.db, bulkFile, { bureauId: BUREAU, now });
    expect(bulk).toMatchObject({ status: 'loaded', stagedBy: 'bulk' });
    // The SQL took the plainly good rows itself and left the rest (here: every other row) to the validator.
    // (1985 is outside the careful statement's date table, inside the optimistic Beijing-time check.)
    const certain = ['OK-1', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-8', 'OK-9', 'OK-10', 'NOT-FUTURE', 'OK-FINE-MAX', 'OK-1', ...(name === 'optimistic' ? ['OK-11'] : [])];
    expect(bulk.status === 'loaded' && bulk.rowsCheckedInNode).toBe(rows.length - certain.length);
    const bulkCases = await cases();
    const bulkRejects = await rejectsOf((bulk as { fileId: number }).fileId);

    // The same rows, one good field quoted: csv-parse reads it the same, the file streams.
    const streamFile = join(dir, `${backend}-${name}-stream.csv`);
    await writeFile(streamFile, [HEADER, ...rows.map(csvLine).map((l, i) => (i === 0 ? l.replace(/,false$/, ',"false"') : l))].join('\n') + '\n');
    const stream = await loadCaseFile(t.db, streamFile, { bureauId: BUREAU, now });
    expect(stream).toMatchObject({ status: 'loaded', stagedBy: 'stream', rowsIn: bulk.status === 'loaded' ? bulk.rowsIn : -1 });
    expect(await rejectsOf((stream as { fileId: number }).fileId)).toEqual(bulkRejects);
    expect(await cases()).toEqual(bulkCases);

    // And what the validator says row by row (the repeated id is the loader's, not the validator's).
    const { lookupItem } = await t.db.session((s) => itemLookup(s, BUREAU));
    const ctx = { lookupItem, bureauIds: new Set([BUREAU]), notAfterMs: NOW.getTime() };
    const direct = rows.flatMap((r, i) => {
      const v = validateCaseRow(CASE_COLUMNS.map((c) => r[c]), i + 2, ctx);
      return 'errors' in v ? mergeRowErrors(v.errors) : [];
    });
    const byLineField = (a: { line: number; field: string }, b: { line: number; field: string }) => a.line - b.line || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);
    expect(bulkRejects.filter((r) => r.field !== 'case_id' || !r.reason.startsWith('repeats'))).toEqual(direct.sort(byLineField));
    expect(bulkRejects.find((r) => r.reason.startsWith('repeats'))).toMatchObject({ line: rows.length + 1, field: 'case_id' });

    const loadedIds = bulkCases.map((c) => (c as { case_id: string }).case_id).sort();
    expect(loadedIds).toEqual(['NOT-FUTURE', 'OK-1', 'OK-10', 'OK-11', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-6', 'OK-7', 'OK-8', 'OK-9', 'OK-FINE-MAX']);
    expect(direct.length).toBeGreaterThanOrEqual(rows.length - loadedIds.length - 1);
  });
});
