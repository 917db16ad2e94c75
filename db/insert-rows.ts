import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** PostgreSQL takes at most 65,535 bind parameters a statement; stay well below. */
const MAX_PARAMS = 30_000;

/**
 * Inserts rows in as few statements as the parameter limit allows: the batch size follows from
 * the number of columns, so wide and narrow tables alike stay under the limit.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database> | Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (!rows.length) return;
  const columns = Math.max(1, Object.keys(rows[0] as object).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/**
 * Inserts rows as one JSON parameter the server turns into the table's row type: one statement
 * and one parameter whatever the number of rows, where insertRows binds every value (PGlite,
 * 10,000 histogram rows: 0.18 s as bound values). The columns are the first row's keys.
 */
export async function insertJsonRows<T extends keyof Database & string>(
  db: Kysely<Database> | Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (!rows.length) return;
  const columns = sql.join(Object.keys(rows[0] as object).map((c) => sql.ref(c)));
  await sql`INSERT INTO ${sql.table(table)} (${columns})
            SELECT ${columns} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
    db,
  );
}
