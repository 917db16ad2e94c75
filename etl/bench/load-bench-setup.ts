/**
 * The part of `bench:load` that is not measured, run in a child process so the measured
 * process's peak RSS is its own: a migrated database (a throwaway PostgreSQL database, or a
 * PGlite directory) with the bundled list, the calendar and time limits, the existing cases
 * loaded through the ETL and their aggregates refreshed, as a user's database is before the
 * next export arrives. Prints one JSON line of timings on stdout.
 *
 * Arguments: --pg URL | --pglite DIR, then the case files to load in order (may be none).
 */
import { loadConfig } from '../../core/config.ts';
import { connect } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { readMigrations } from '../../db/migrations.ts';
import { join } from 'node:path';
import { loadWorkCalendarFile } from '../load/calendar-load.ts';
import { refreshCaseAggregates } from '../load/case-aggregates.ts';
import { loadCaseFile } from '../load/case-load.ts';
import { loadTimeLimitsFile } from '../load/time-limits-load.ts';
import { loadListFile } from '../run-etl.ts';

async function main() {
  const [kind, target, ...files] = process.argv.slice(2);
  if ((kind !== '--pg' && kind !== '--pglite') || !target)
    throw new Error('usage: load-bench-setup.ts --pg URL | --pglite DIR [CASE_FILE…]');
  const config = loadConfig(process.env);
  const db = await connect(kind === '--pg' ? { kind: 'pg', url: target } : { kind: 'pglite', dir: target });
  try {
    await migrate(db, await readMigrations(join(config.root, 'sql/migrations')));
    const list = await loadListFile({ db, config }, config.listFile);
    if (list.status !== 'loaded') throw new Error('the bundled list did not load');
    await loadWorkCalendarFile(db, config.files.holidays);
    await loadTimeLimitsFile(db, config.files.timeLimits);
    const bureauId = (await db.kysely.selectFrom('bureau').select('bureau_id').executeTakeFirstOrThrow()).bureau_id;
    const loads: number[] = [];
    for (const file of files) {
      const t = Date.now();
      const r = await loadCaseFile(db, file, { bureauId, now: () => new Date(), rejectsPath: `${file}.rejects.csv` });
      if (r.status !== 'loaded') throw new Error(`${file} did not load`);
      loads.push(Date.now() - t);
    }
    let refreshMs = 0;
    if (files.length) {
      const t = Date.now();
      await refreshCaseAggregates(db);
      refreshMs = Date.now() - t;
    }
    console.log(JSON.stringify({ bureauId, loads, refreshMs }));
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
