/**
 * One case id per bureau, kept set-based after the cases of a file are COPYed in:
 * - inside the file, a case id on a later valid row repeats the first one: that row is rejected
 *   and the first kept;
 * - a case id loaded from an earlier file is replaced by the new row (exports are snapshots: a
 *   case pending in January's export is decided in February's).
 * Case-handling systems usually export in case-id order: while the ids of the valid rows keep
 * ascending, no id can repeat, and the check inside the file is skipped. In any other file a
 * Bloom filter of the ids seen so far names the candidates (every id that repeats, and about 1%
 * of the others); the check in SQL then looks only at those (a scan with a hashed filter, where a
 * GROUP BY over all the file's ids took 7.8 s at 5,000,000 rows), and is skipped when none came.
 *
 * Both steps read the file's rows only in the partitions of the years it wrote, analysed first
 * (case-stats.ts): the replacement is then a hash semi join, linear in the rows it reads, where
 * on stale statistics it was a nested loop (200,000 cases onto 30,000 took 491 s). The earlier
 * cases it reads are those of the years where an earlier file's case ids can meet the new file's
 * (case_id_range, sql/migrations/0015), not every case of the bureau. The new file's ids that can
 * meet them are collected as the rows stream by (ReplacingIds), so the replacement reads only the
 * earlier cases, not the new rows again; in SQL (a semi join over the new rows) when they were
 * too many, or an earlier file has no ranges recorded.
 */
import type { Session } from '../../db/connect.ts';
import type { Reject } from './case-rejects.ts';
import { analyzeCaseYears, inYears } from './case-stats.ts';

/** A turn of the event loop before a long statement, for requests waiting on the same connection. */
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Above this many candidates the SQL check groups all the file's ids instead of filtering by a list. */
const MAX_CANDIDATES = 100_000;
/**
 * Bloom filter shape: at least 10 bits and 5 probes per expected id, all probes of an id within
 * one 512-bit block (one cache line: the probes of a plain filter were cache misses, most of its
 * cost), which gives about 1% false candidates.
 */
const BITS_PER_ID = 10;
const PROBES = 5;
const BLOCK_WORDS = 16;

/**
 * Watches the valid rows' case ids stream by: `ascending` stays true while each is above the one
 * before; `candidates` holds every id that may have been seen before (all that repeat, and the
 * Bloom filter's false positives). Sized for `expectedIds`; more only raise the false positives.
 */
export class RepeatWatch {
  ascending = true;
  readonly candidates = new Set<string>();
  private last = '';
  private readonly bits: Uint32Array;
  private readonly blockMask: number;

  constructor(expectedIds: number) {
    let blocks = 2;
    while (blocks * BLOCK_WORDS * 32 < expectedIds * BITS_PER_ID && blocks < 2 ** 24) blocks *= 2;
    this.bits = new Uint32Array(blocks * BLOCK_WORDS);
    this.blockMask = blocks - 1;
  }

  note(caseId: string): void {
    if (this.ascending && caseId <= this.last) this.ascending = false;
    this.last = caseId;
    // 32-bit FNV-1a picks the block; hashes mixed from it pick the bits (double hashing). Ids
    // whose first hashes collide only become candidates: none that repeats is ever missed.
    let h1 = 0x811c9dc5;
    for (let i = 0; i < caseId.length; i++) h1 = Math.imul(h1 ^ caseId.charCodeAt(i), 0x01000193);
    const h2 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d);
    const h3 = Math.imul(h2 ^ (h2 >>> 13), 0x297a2d39) | 1;
    const base = ((h1 >>> 0) & this.blockMask) * BLOCK_WORDS;
    let seen = true;
    for (let k = 0; k < PROBES; k++) {
      const bit = (h2 + Math.imul(k, h3)) & (BLOCK_WORDS * 32 - 1);
      const word = base + (bit >>> 5);
      const flag = 1 << (bit & 31);
      if ((this.bits[word]! & flag) === 0) {
        seen = false;
        this.bits[word]! |= flag;
      }
    }
    // A copy of its own: the parser's id is a slice that would keep its whole 64 KB chunk alive
    // (5,000,000 shuffled rows: 330 MB more peak RSS).
    if (seen && this.candidates.size <= MAX_CANDIDATES) this.candidates.add(Buffer.from(caseId).toString());
  }

  /** The ids to check in SQL; null: check all of the file's ids. */
  toCheck(): string[] | null {
    return this.candidates.size > MAX_CANDIDATES ? null : [...this.candidates];
  }
}

/**
 * Fresh statistics for the partitions of `years` (the years file rows were written to), before
 * the set-based steps read them. Runs in the load's transaction.
 */
export async function analyzeFileYears(s: Session, years: Iterable<number>): Promise<number[]> {
  await turn();
  const sorted = [...years].sort((a, b) => a - b);
  await analyzeCaseYears(s.query, sorted);
  return sorted;
}

/**
 * Deletes the later rows of each case id repeated inside file `fileId` and returns them as
 * rejects, in line order. `years`: the years the file's rows were written to. Runs in the
 * load's transaction.
 */
export async function rejectRepeats(
  s: Session,
  bureauId: string,
  fileId: number,
  watch: RepeatWatch,
  years: readonly number[],
): Promise<Reject[]> {
  if (watch.ascending) return [];
  const only = watch.toCheck();
  if (only !== null && only.length === 0) return [];
  // First the repeated ids alone (one scan, usually none), then their rows.
  await s.query(
    `CREATE TEMP TABLE case_repeated ON COMMIT DROP AS
       SELECT case_id, min(source_line) AS first_line FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)}
          ${only === null ? '' : 'AND case_id = ANY($3::text[])'}
        GROUP BY case_id HAVING count(*) > 1`,
    only === null ? [bureauId, fileId] : [bureauId, fileId, only],
  );
  const ids = await s.query<{ case_id: string; first_line: number }>('SELECT case_id, first_line FROM case_repeated');
  if (!ids.length) return [];
  const firstLine = new Map(ids.map((r) => [r.case_id, r.first_line]));
  const repeats = (
    await s.query<{ line: number; case_id: string }>(
      `SELECT source_line AS line, case_id FROM case_record
        WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)} AND case_id = ANY($3::text[]) ORDER BY source_line`,
      [bureauId, fileId, [...firstLine.keys()]],
    )
  )
    .filter((r) => r.line !== firstLine.get(r.case_id))
    .map((r) => ({ ...r, first_line: firstLine.get(r.case_id)! }));
  if (!repeats.length) return [];
  await s.query(
    `DELETE FROM case_record WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)} AND source_line = ANY($3::int[])`,
    [bureauId, fileId, repeats.map((r) => r.line)],
  );
  return repeats.map((r) => ({
    line: r.line,
    field: 'case_id',
    value: r.case_id,
    reason: `repeats the case_id of line ${r.first_line} of this file; the first row is kept`,
  }));
}

/** The smallest and largest case id of a range, byte order. */
export interface IdRange {
  lo: string;
  hi: string;
}

/** Past this many ids within earlier files' ranges, the replacement finds them in SQL instead (about 80 bytes each held). */
export const MAX_REPLACING_IDS = 200_000;

/**
 * The case id ranges of the bureau's earlier files (case_id_range, every year: a newer export
 * may move a case's start to another year), merged; null when an earlier file with cases has none
 * recorded, so any id may meet one. Read before the new file's rows.
 */
export async function earlierIdRanges(s: Session, bureauId: string): Promise<IdRange[] | null> {
  if (await earlierFileWithoutRanges(s, bureauId, null)) return null;
  return mergeIdRanges(
    await s.query<IdRange>(`SELECT min_case_id AS lo, max_case_id AS hi FROM case_id_range WHERE bureau_id = $1`, [
      bureauId,
    ]),
  );
}

/** Id ranges sorted and merged where they meet, in byte order as they were taken (ids are ASCII: code-unit order is byte order). */
export function mergeIdRanges(ranges: readonly IdRange[]): IdRange[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: IdRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.lo <= last.hi) {
      if (r.hi > last.hi) last.hi = r.hi;
    } else merged.push({ lo: r.lo, hi: r.hi });
  }
  return merged;
}

/**
 * Collects the valid rows' case ids that lie within an earlier file's range (given merged,
 * mergeIdRanges): the only ones the replacement can find among the earlier cases. `ids` is null
 * when the ranges are unknown or the ids passed `cap`: the replacement then finds them in SQL.
 */
export class ReplacingIds {
  private held: string[] | null;

  constructor(
    private readonly ranges: readonly IdRange[] | null,
    private readonly cap = MAX_REPLACING_IDS,
  ) {
    this.held = ranges === null ? null : [];
  }

  note(caseId: string): void {
    const held = this.held;
    if (held === null) return;
    // The last range starting at or below the id (they are sorted and disjoint).
    const ranges = this.ranges!;
    let lo = 0,
      hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid]!.lo <= caseId) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || caseId > ranges[hi]!.hi) return;
    if (held.length >= this.cap) this.held = null;
    // A copy of its own: the parser's id is a slice that would keep its whole chunk alive.
    else held.push(Buffer.from(caseId).toString());
  }

  get ids(): readonly string[] | null {
    return this.held;
  }
}

/**
 * Records the smallest and largest case id the file wrote to each year (sql/migrations/0015), for
 * this and later loads' replacement step.
 */
export async function recordIdRanges(
  s: Session,
  bureauId: string,
  fileId: number,
  ranges: ReadonlyMap<number, { min: string; max: string }>,
): Promise<void> {
  if (!ranges.size) return;
  const years = [...ranges.keys()];
  await s.query(
    `INSERT INTO case_id_range (bureau_id, file_id, year, min_case_id, max_case_id)
     SELECT $1, $2, y, lo, hi FROM unnest($3::int[], $4::text[], $5::text[]) AS r(y, lo, hi)`,
    [bureauId, fileId, years, years.map((y) => ranges.get(y)!.min), years.map((y) => ranges.get(y)!.max)],
  );
}

/**
 * The years where an earlier file of the bureau may hold a case id file `fileId` loads: those
 * where an earlier file's id range meets one of this file's (recordIdRanges, called first). Null
 * when an earlier file with cases has no ranges recorded: then every year may.
 */
export async function yearsToSearch(s: Session, bureauId: string, fileId: number): Promise<number[] | null> {
  if (await earlierFileWithoutRanges(s, bureauId, fileId)) return null;
  const rows = await s.query<{ year: number }>(
    `SELECT DISTINCT r.year FROM case_id_range r
       JOIN case_id_range n ON n.bureau_id = r.bureau_id AND n.file_id = $2
      WHERE r.bureau_id = $1 AND r.file_id <> $2 AND r.min_case_id <= n.max_case_id AND r.max_case_id >= n.min_case_id
      ORDER BY 1`,
    [bureauId, fileId],
  );
  return rows.map((r) => r.year);
}

/** Whether a file of the bureau other than `fileId` holds cases without their id ranges recorded (loaded before 0015). */
async function earlierFileWithoutRanges(s: Session, bureauId: string, fileId: number | null): Promise<boolean> {
  const [unknown] = await s.query(
    `SELECT 1 FROM case_file f WHERE f.bureau_id = $1 AND f.file_id IS DISTINCT FROM $2::int AND f.rows_loaded > 0
        AND NOT EXISTS (SELECT 1 FROM case_id_range r WHERE r.bureau_id = f.bureau_id AND r.file_id = f.file_id) LIMIT 1`,
    [bureauId, fileId],
  );
  return unknown !== undefined;
}

/**
 * Deletes the bureau's rows from earlier files whose case id file `fileId` loads again. Returns
 * how many, and how many of each year: those years' aggregates change too. The earlier rows are
 * looked for in every year where an earlier file's id range meets the new file's (a newer export
 * may move a case's start to another year). The ids looked for are `replacing` (ReplacingIds)
 * when given; otherwise the file's own rows in `years`, the years it wrote to.
 */
export async function replaceEarlierCases(
  s: Session,
  bureauId: string,
  fileId: number,
  years: readonly number[],
  replacing: readonly string[] | null = null,
): Promise<{ replaced: number; byYear: Map<number, number> }> {
  await turn();
  const [earlier] = await s.query('SELECT 1 FROM case_file WHERE bureau_id = $1 AND file_id <> $2 LIMIT 1', [
    bureauId,
    fileId,
  ]);
  if (!earlier || !years.length || replacing?.length === 0) return { replaced: 0, byYear: new Map() };
  const search = await yearsToSearch(s, bureauId, fileId);
  if (search !== null && !search.length) return { replaced: 0, byYear: new Map() };
  // With every range known, each side is cut to the other's ids first: an id in both lies within
  // the new file's range and within the range of the earlier file holding it (byte order).
  const bounds = search === null ? null : await idBounds(s, bureauId, fileId);
  const within = (col: string, lo: string, hi: string) =>
    `AND ${col} COLLATE "C" >= ${lo} AND ${col} COLLATE "C" <= ${hi}`;
  const params: unknown[] = [bureauId, fileId];
  const param = (v: unknown) => `$${params.push(v)}`;
  const oldInBounds = bounds ? within('o.case_id', param(bounds.file.lo), param(bounds.file.hi)) : '';
  const newIds =
    replacing !== null
      ? `o.case_id = ANY(${param(replacing)}::text[])`
      : `o.case_id IN (SELECT case_id FROM case_record WHERE bureau_id = $1 AND file_id = $2 AND ${inYears('started_at', years)}
                         ${bounds ? within('case_id', param(bounds.earlier.lo), param(bounds.earlier.hi)) : ''})`;
  const gone = await s.query<{ year: number; n: number }>(
    `WITH gone AS (
       DELETE FROM case_record o
        WHERE o.bureau_id = $1 AND o.file_id <> $2 ${search === null ? '' : `AND ${inYears('o.started_at', search)}`}
          ${oldInBounds} AND ${newIds}
       RETURNING o.started_at)
     SELECT extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai')::int AS year, count(*)::int AS n FROM gone GROUP BY 1 ORDER BY 1`,
    params,
  );
  return { replaced: gone.reduce((a, r) => a + r.n, 0), byYear: new Map(gone.map((r) => [r.year, r.n])) };
}

/**
 * The smallest and largest case id of file `fileId`, and of the earlier files' ranges that meet
 * one of its own (case_id_range, byte order); null when either is missing.
 */
async function idBounds(
  s: Session,
  bureauId: string,
  fileId: number,
): Promise<{ file: { lo: string; hi: string }; earlier: { lo: string; hi: string } } | null> {
  const [b] = await s.query<{ lo: string | null; hi: string | null; elo: string | null; ehi: string | null }>(
    `SELECT (SELECT min(min_case_id) FROM case_id_range WHERE bureau_id = $1 AND file_id = $2) AS lo,
            (SELECT max(max_case_id) FROM case_id_range WHERE bureau_id = $1 AND file_id = $2) AS hi,
            min(r.min_case_id) AS elo, max(r.max_case_id) AS ehi
       FROM case_id_range r JOIN case_id_range n ON n.bureau_id = r.bureau_id AND n.file_id = $2
      WHERE r.bureau_id = $1 AND r.file_id <> $2 AND r.min_case_id <= n.max_case_id AND r.max_case_id >= n.min_case_id`,
    [bureauId, fileId],
  );
  if (!b || b.lo === null || b.hi === null || b.elo === null || b.ehi === null) return null;
  return { file: { lo: b.lo, hi: b.hi }, earlier: { lo: b.elo, hi: b.ehi } };
}
