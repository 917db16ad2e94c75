import {
  Bool,
  Dictionary,
  Float64,
  Int32,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import type { FastifyReply } from 'fastify';
import { spreadsheetCell } from '../etl/export/csv-cell.ts';

/** Column types an endpoint declares; they fix the Arrow schema whatever the rows hold. */
export type ColumnKind = 'string' | 'int' | 'float' | 'bool';
export type TableSpec = Record<string, ColumnKind>;
export type Format = 'arrow' | 'json' | 'csv';

/** What a row may hold in a column of each kind; a list of strings goes out joined with '、'. */
interface CellOf {
  string: string | readonly string[];
  int: number;
  float: number;
  bool: boolean;
}
/** The row an endpoint with spec S sends: every declared column, each cell of its kind or null. */
export type RowOf<S extends TableSpec> = { [C in keyof S]: CellOf[S[C]] | null };

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** Query-string schema fragment every table endpoint accepts. */
export const formatSchema = { format: { type: 'string', enum: ['arrow', 'json', 'csv'] } } as const;

const arrowType = (k: ColumnKind): DataType =>
  k === 'string' ? new Utf8() : k === 'int' ? new Int32() : k === 'float' ? new Float64() : new Bool();

/**
 * A string column that repeats its values (a section or an item name on every month's row) goes
 * as a dictionary: each value once, then an index per row. Readers see the same strings
 * (Arrow decodes them in get() and toArray()); /api/volumes at 5,000,000 cases: 157 KB → 31 KB.
 */
const DICTIONARY_MIN_ROWS = 32;
const repeats = (values: unknown[]) =>
  values.length >= DICTIONARY_MIN_ROWS && new Set(values).size * 4 <= values.length;

export function toArrowIpc(rows: readonly Record<string, unknown>[], spec: TableSpec): Uint8Array {
  const columns = Object.fromEntries(
    Object.entries(spec).map(([name, kind]) => {
      const values = rows.map((r) => normalise(r[name], kind));
      const type = kind === 'string' && repeats(values) ? new Dictionary(new Utf8(), new Int32()) : arrowType(kind);
      return [name, vectorFromArray(values, type)];
    }),
  );
  return tableToIPC(new Table(columns), 'stream');
}

function normalise(v: unknown, kind: ColumnKind): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'string') return Array.isArray(v) ? v.join('、') : String(v);
  if (kind === 'int' || kind === 'float') return Number(v);
  return Boolean(v);
}

export function toCsv(rows: readonly Record<string, unknown>[], spec: TableSpec): string {
  const cols = Object.keys(spec);
  return `${[cols.join(','), ...rows.map((r) => cols.map((c) => spreadsheetCell(r[c])).join(','))].join('\n')}\n`;
}

/** Sends rows as Arrow IPC stream (default), JSON or CSV, in the declared column order. */
export function sendTable<S extends TableSpec>(
  reply: FastifyReply,
  rows: readonly NoInfer<RowOf<S>>[],
  spec: S,
  format: Format = 'arrow',
) {
  if (format === 'json') {
    const cols = Object.keys(spec);
    return reply.send(rows.map((r) => Object.fromEntries(cols.map((c) => [c, normaliseJson(r[c], spec[c]!)]))));
  }
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(rows, spec));
  return reply.type(ARROW_STREAM).send(Buffer.from(toArrowIpc(rows, spec)));
}

function normaliseJson(v: unknown, kind: ColumnKind): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v) && kind === 'string') return v.join('、');
  return kind === 'int' || kind === 'float' ? Number(v) : v;
}
