/**
 * Cases COPYed in binary (etl/load/case-binary.ts) must be stored exactly as PostgreSQL's own
 * reading of the same text would store them: timestamps to the microsecond (fractions rounded
 * as the server rounds them), fines to the cent, dates, NULLs. Checked against the server's text
 * input, on both backends, for values at the edges of what the validator accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseBinaryEncoder, RECORD_COLUMNS } from '../../etl/load/case-binary.ts';
import { openBinaryCopy } from '../../etl/load/case-copy.ts';
import { CASE_COLUMNS_WITH_EXTENSION, validateCaseRow, type CaseRecord } from '../../etl/parse/case-csv.ts';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.ts';

const BUREAU = '11622301566438677P';
const TIMES = [
  '2025-01-02T13:51:00+08:00',
  '2025-01-02 13:51+08:00',
  '2024-02-29T23:59:59Z',
  '2025-03-01T00:00:00.5-05:30',
  '2025-03-01T00:00:00.123456+08:00',
  '2025-03-01T00:00:00.0000005+08:00',
  '2025-03-01T00:00:00.0000015+08:00',
  '2025-03-01T00:00:00.9999995+08:00',
  '2025-03-01T00:00:00.123456789+14:00',
  '1999-12-31T23:59:59.999999+08:00',
  '1965-06-01T00:00:00Z',
  '2100-12-31T12:00:00-12:00',
];
const FINES = [
  '',
  '0',
  '0.01',
  '0.1',
  '5000',
  '1200.50',
  '99999999.99',
  '100000000',
  '10000',
  '12345678.9',
  '20000.05',
];

/** One valid row per timestamp and fine, the stage columns filled from `at` in order. */
function rows(): string[][] {
  const out: string[][] = [];
  TIMES.forEach((at, i) => {
    const fine = FINES[i % FINES.length]!;
    out.push([
      `C-${i}`,
      BUREAU,
      `ITEM${i % 3}`,
      i % 2 ? `SUB${i}` : '',
      i % 4 === 3 ? '' : at,
      at,
      '',
      '',
      at,
      i % 2 ? at : '',
      at,
      fine === '' ? 'approved' : 'penalized',
      fine,
      i % 3 === 0 ? '' : String(i * 1000 + 1),
      i % 2 ? 'true' : 'false',
      i % 3 === 1 ? '' : `2101-0${1 + (i % 9)}-1${i % 9}`,
    ]);
  });
  FINES.forEach((fine, i) => {
    out.push([
      `F-${i}`,
      BUREAU,
      'ITEM1',
      '',
      TIMES[0]!,
      '',
      '',
      '',
      TIMES[0]!,
      '',
      '',
      fine ? 'penalized' : 'denied',
      fine,
      '',
      'true',
      '',
    ]);
  });
  return out;
}

function records(): CaseRecord[] {
  const ctx = {
    lookupItem: () => ({ power_type: null }),
    bureauIds: new Set([BUREAU]),
    columns: CASE_COLUMNS_WITH_EXTENSION,
  };
  return rows().map((r, i) => {
    const v = validateCaseRow(r, i + 2, ctx);
    if ('errors' in v) throw new Error(JSON.stringify(v.errors));
    return v.ok;
  });
}

const COLUMNS = RECORD_COLUMNS.join(', ');

describe.each(BACKENDS)('binary COPY of cases (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
    await t.db.session((s) =>
      s.script(`CREATE TABLE by_binary (LIKE case_record); CREATE TABLE by_text (LIKE case_record);`),
    );
  }, 120_000);
  afterAll(() => t?.drop());

  it('stores every value as the server reads its text', async () => {
    const cases = records();
    await t.db.session(async (s) => {
      const sink = openBinaryCopy(s, `by_binary (${COLUMNS})`);
      // Small chunks, so a COPY of several chunks (and on PGlite several COPYs) is what is checked.
      const tuples = new CaseBinaryEncoder(42, 256, sink.framed);
      for (const c of cases) {
        tuples.add(c);
        if (tuples.full) await sink.write(tuples.take());
      }
      if (!tuples.empty) await sink.write(tuples.take());
      await sink.end();
      for (const c of cases) {
        const t = c.times;
        await s.query(
          `INSERT INTO by_text (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz,
             $8::timestamptz, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12::timestamptz, $13, $14::numeric,
             $15::int, $16::boolean, 42, $17::int, $18::date)`,
          [
            c.bureau_id,
            c.case_id,
            c.item_code,
            c.sub_item_code,
            t.received,
            t.accepted,
            t.investigated,
            t.reviewed,
            t.decided,
            t.served,
            t.closed,
            t.received ?? t.accepted,
            c.outcome,
            c.fine_yuan === null ? null : String(c.fine_yuan),
            c.persons,
            c.synthetic,
            c.line,
            c.extensionApprovedDay === null
              ? null
              : new Date(c.extensionApprovedDay * 86_400_000).toISOString().slice(0, 10),
          ],
        );
      }
    });
    const count = async (sql: string) =>
      (await t.db.session((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`)))[0]!.n;
    expect(await count('SELECT * FROM by_binary')).toBe(cases.length);
    expect(await count('SELECT * FROM by_binary EXCEPT ALL SELECT * FROM by_text')).toBe(0);
    expect(await count('SELECT * FROM by_text EXCEPT ALL SELECT * FROM by_binary')).toBe(0);
    // The comparisons above would pass on two empty or NULL-filled tables: some values, read back.
    const [row] = await t.db.session((s) =>
      s.query<{ fine: string; at: string; us: string }>(
        `SELECT (SELECT fine_yuan::text FROM by_binary WHERE case_id = 'F-6') AS fine,
                (SELECT to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM by_binary WHERE case_id = 'C-7') AS at,
                (SELECT to_char(accepted_at AT TIME ZONE 'UTC', 'SS.US') FROM by_binary WHERE case_id = 'C-6') AS us`,
      ),
    );
    expect(row).toEqual({ fine: '99999999.99', at: '2025-02-28 16:00:01.000000', us: '00.000002' });
  });
});
