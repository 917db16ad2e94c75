/**
 * The bulk path of a case load: the file's bytes go straight into `COPY case_raw … (FORMAT csv)`
 * (PostgreSQL parses the CSV), then ONE set-based statement moves every row that certainly passes
 * validateCaseRow into case_stage. The SQL is a conservative mirror of the row rules: whatever it
 * is not sure about (a space to trim, an unknown code, a date it does not check, four-digit
 * fractions …) is left for validateCaseRow, which then decides and words every reject. So the
 * rejects are the validator's own, and the SQL only has to be sound: a row it accepts is one the
 * validator accepts with the same values (test/integration/case-sql-agreement.test.ts).
 *
 * The bulk path only runs on files without any `"`: there a CSV record is one line, so the record
 * order gives the file line, and PostgreSQL and csv-parse cannot read a row differently. The
 * caller falls back to the streaming path when COPY refuses the file (a short row, an empty line)
 * or the record count is not the line count.
 */
import { once } from 'node:events';
import { createReadStream, openAsBlob } from 'node:fs';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Session } from '../../server/db/connect.ts';
import { CASE_COLUMNS, OUTCOMES, STAGES } from '../parse/case-csv.ts';

const RAW_COLUMNS = CASE_COLUMNS.join(', ');

/** Temp table of the raw records: all text, `ord` is the record number (1 = first data row). */
export const CREATE_RAW = `CREATE TEMP TABLE case_raw (ord int GENERATED ALWAYS AS IDENTITY, ${CASE_COLUMNS.map((c) => `${c} text NOT NULL`).join(', ')}) ON COMMIT DROP`;

// Empty cells become '' (not NULL), as csv-parse gives them to the validator.
const COPY_RAW = `COPY case_raw (${RAW_COLUMNS}) FROM STDIN WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (${RAW_COLUMNS}))`;

export interface RawCopyProgress {
  bytes: number;
  lines: number;
}

/**
 * Sends the file's bytes into case_raw; calls onChunk after each chunk (for progress).
 * Rejects when PostgreSQL refuses the data; the caller rolls back to its savepoint.
 */
export async function copyRawFile(s: Session, path: string, onChunk?: (p: RawCopyProgress) => void | Promise<void>): Promise<void> {
  if (s.pglite) {
    // PGlite's COPY reads one blob; openAsBlob hands it the file without a copy on the JS heap.
    await s.pglite.query(COPY_RAW.replace('FROM STDIN', `FROM '/dev/blob'`), [], { blob: await openAsBlob(path) });
    return;
  }
  if (!s.pgClient) throw new Error('COPY needs a pg client or a PGlite instance on the session');
  const stream = s.pgClient.query(copyFrom(COPY_RAW));
  let failure: Error | null = null;
  stream.on('error', (err: Error) => (failure ??= err));
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const p: RawCopyProgress = { bytes: 0, lines: 0 };
  try {
    for await (const chunk of input) {
      if (failure) throw failure;
      const b = chunk as Buffer;
      p.bytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) p.lines++;
      // once() rejects if the stream errors while we wait, so a dead connection cannot hang the load.
      if (!stream.write(b)) await once(stream, 'drain');
      await onChunk?.(p);
    }
    stream.end();
    await finished(stream);
    if (failure) throw failure;
  } catch (err) {
    input.destroy();
    if (!stream.destroyed) {
      stream.destroy(err as Error);
      await finished(stream).catch(() => undefined);
    }
    throw failure ?? err;
  }
}

// Patterns are written with [0-9], not \d: PostgreSQL's \d may match non-ASCII digits, which the
// casts below would then fail on.
// Bounded repetition ({0,63}) is slow in PostgreSQL's regex engine: a star plus a length check.
const idOk = (c: string) => `(${c} ~ '^[A-Za-z0-9][A-Za-z0-9_./-]*$' AND length(${c}) <= 64)`;
const MONEY = `'^[0-9]{1,12}([.][0-9]{1,2})?$'`;
const INT = `'^[0-9]{1,7}$'`;
/** Timestamps the SQL accepts: valid clock and offset; fractions of at most 3 digits (exact in ms). */
const TS = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$'`;

/**
 * Temp tables the check joins: the bureau's item codes ('' = the item itself) and the calendar
 * dates accepted without a closer look (1990 up to next year; other years go to the validator).
 */
export function knownCodesSql(): string {
  return `
    CREATE TEMP TABLE case_known ON COMMIT DROP AS
      SELECT DISTINCT i.code AS item_code, '' AS sub_code FROM item i
       WHERE i.bureau_id = $1 AND i.code ~ '^[0-9A-Za-z]{1,40}$'
      UNION
      SELECT DISTINCT i.code, si.code FROM item i
        JOIN sub_item si ON si.bureau_id = i.bureau_id AND si.version_id = i.version_id AND si.seq = i.seq
       WHERE i.bureau_id = $1 AND i.code ~ '^[0-9A-Za-z]{1,40}$' AND si.code ~ '^[0-9A-Za-z]{1,40}$'`;
}

export function validDaysSql(lastYear: number): string {
  const y = Math.trunc(lastYear);
  return `
    CREATE TEMP TABLE case_valid_day ON COMMIT DROP AS
      SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series(date '1990-01-01', date '${y}-12-31', interval '1 day') d;
    CREATE TEMP TABLE case_valid_time ON COMMIT DROP AS
      SELECT to_char(time '00:00' + s * interval '1 second', 'HH24:MI:SS') AS hms FROM generate_series(0, 86399) s;
    CREATE TEMP TABLE case_valid_offset ON COMMIT DROP AS
      SELECT sign || lpad(h::text, 2, '0') || ':' || lpad(m::text, 2, '0') AS off
        FROM unnest(array['+', '-']) sign, generate_series(0, 14) h, generate_series(0, 59) m`;
}

/**
 * The usual form (YYYY-MM-DDTHH:MM:SS±HH:MM, 25 characters) is checked by three hash lookups;
 * any other form by the pattern, which is much slower. Both check the calendar date by lookup.
 * `optimistic` first tries the commonest form, Beijing time, by casting and printing it back
 * (cheaper than the lookups): the printed form equals the text only for a real, in-range
 * instant. A text of that shape that does not cast (month 13) makes the statement fail, and the
 * caller runs it again without `optimistic`.
 */
const stageCast = (optimistic: boolean) => (c: string) => {
  const x = `r.${c}`;
  const day = `left(${x}, 10) IN (SELECT day FROM case_valid_day)`;
  const usual = `length(${x}) = 25 AND substr(${x}, 11, 1) IN ('T', ' ') AND substr(${x}, 12, 8) IN (SELECT hms FROM case_valid_time) AND right(${x}, 6) IN (SELECT off FROM case_valid_offset) AND ${day}`;
  const beijing = optimistic
    ? `WHEN ${x} LIKE '____-__-__T__:__:__+08:00' AND ${x} = to_char(${x}::timestamptz AT TIME ZONE INTERVAL '+08:00', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
             AND ${x} COLLATE "C" >= '1900' AND ${x} COLLATE "C" < '2201' THEN ${x}::timestamptz `
    : '';
  return `CASE WHEN ${x} = '' THEN NULL ${beijing}WHEN ${usual} THEN ${x}::timestamptz WHEN ${x} ~ ${TS} AND ${day} THEN ${x}::timestamptz ELSE '-infinity'::timestamptz END AS ${c}`;
};

/**
 * Moves the rows that surely pass into case_stage (line = ord + 1: the header is line 1 and every
 * record is one line). $1 = bureau id, $2 = the clock's now. Returns nothing; the rest of
 * case_raw is left for the validator (see SUSPECTS_SQL).
 */
export function stageCertainSql(optimistic = false): string {
  const cols = STAGES.map((s) => `${s}_at`);
  const order = cols.slice(1).map((c, i) => `coalesce(c.${c} >= greatest(${cols.slice(0, i + 1).map((p) => `c.${p}`).join(', ')}), true)`);
  const decided = `('approved', 'denied', 'penalized', 'not_penalized')`;
  return `
    INSERT INTO case_stage (line, case_id, item_code, sub_item_code, ${cols.join(', ')}, started_at, outcome, fine_yuan, persons, synthetic)
    SELECT c.ord + 1, c.case_id, c.item_code, nullif(c.sub_item_code, ''), ${cols.map((x) => `c.${x}`).join(', ')},
           coalesce(c.received_at, c.accepted_at), c.outcome,
           CASE WHEN c.fine_yuan <> '' THEN c.fine_yuan::numeric(14, 2) END,
           CASE WHEN c.persons <> '' THEN c.persons::int END,
           c.synthetic = 'true'
      FROM (
        SELECT r.ord, r.case_id, r.bureau_id, r.item_code, r.sub_item_code, r.outcome, r.synthetic,
               CASE WHEN r.fine_yuan = '' OR r.fine_yuan ~ ${MONEY} THEN r.fine_yuan END AS fine_yuan,
               CASE WHEN r.persons = '' OR r.persons ~ ${INT} THEN r.persons END AS persons,
               ${cols.map(stageCast(optimistic)).join(',\n               ')}
          FROM case_raw r
         WHERE ${idOk('r.case_id')} AND r.bureau_id = $1 AND ${idOk('r.bureau_id')}
           AND (r.item_code, r.sub_item_code) IN (SELECT item_code, sub_code FROM case_known)
           AND r.outcome IN (${OUTCOMES.map((o) => `'${o}'`).join(', ')})
           AND r.synthetic IN ('true', 'false')
        OFFSET 0 -- keeps the subquery whole: each cast runs once per row, not once per use below
      ) c
     WHERE (c.received_at IS NOT NULL OR c.accepted_at IS NOT NULL)
       AND ${cols.map((x) => `c.${x} IS DISTINCT FROM '-infinity'`).join(' AND ')}
       AND ${order.join('\n       AND ')}
       AND coalesce(greatest(${cols.map((x) => `c.${x}`).join(', ')}) <= $2, true)
       AND (c.outcome NOT IN ${decided} OR c.decided_at IS NOT NULL)
       AND (c.outcome <> 'pending' OR (c.decided_at IS NULL AND c.served_at IS NULL AND c.closed_at IS NULL))
       AND CASE WHEN c.fine_yuan = '' THEN true WHEN c.outcome = 'penalized' THEN c.fine_yuan::numeric <= 100000000 ELSE false END
       AND CASE WHEN c.persons = '' THEN true ELSE c.persons::int BETWEEN 1 AND 1000000 END`;
}

/** The records case_stage did not take, for the validator: a table, read in file order by a cursor. */
export const SUSPECTS_SQL = `
  CREATE TEMP TABLE case_suspect ON COMMIT DROP AS
    SELECT r.* FROM case_raw r WHERE NOT EXISTS (SELECT 1 FROM case_stage st WHERE st.line = r.ord + 1);
  DECLARE case_suspects NO SCROLL CURSOR FOR SELECT ord, ${RAW_COLUMNS} FROM case_suspect ORDER BY ord;`;
