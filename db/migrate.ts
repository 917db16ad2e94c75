import type { Db } from './connect.ts';
import { LOCKS } from './locks.ts';

export interface Migration {
  name: string;
  sql: string;
}

/**
 * Applies the migrations not yet recorded, in name order, each in its own transaction.
 * The same files serve PostgreSQL and PGlite. Returns the names applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const ordered = [...migrations].sort((a, b) => a.name.localeCompare(b.name));
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [LOCKS.migrate]);
    try {
      await s.script(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await s.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
      const applied: string[] = [];
      for (const m of ordered) {
        if (done.has(m.name)) continue;
        try {
          await s.script(
            `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (name) VALUES ('${m.name.replace(/'/g, "''")}');\nCOMMIT;`,
          );
        } catch (err) {
          await s.script('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.name);
      }
      return applied;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrate]);
    }
  });
}
