/**
 * Child process of test/integration/load-memory.test.ts: `tsx load-rss-child.ts pg URL FILE` or
 * `pglite DIR FILE` loads the case file into a database that has the bundled list (PGlite: a
 * database folder, as `npm start` keeps it), as `etl load-cases` does, and prints one JSON line:
 * the load's result counts and this process's peak RSS in MB.
 */
import { connect } from '../../db/connect.ts';
import { loadCaseFile } from '../../etl/load/case-load.ts';
import { profile } from './bundled.ts';

const [backend, url, file] = process.argv.slice(2) as [string, string, string];
const db = await connect(backend === 'pg' ? { kind: 'pg', url } : { kind: 'pglite', dir: url });
try {
  const r = await loadCaseFile(db, file, {
    bureauId: profile().bureau_id,
    now: () => new Date('2026-06-01T00:00:00Z'),
  });
  const counts = r.status === 'loaded' ? { loaded: r.rowsLoaded, rejected: r.rowsRejected } : {};
  console.log(JSON.stringify({ ...counts, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} finally {
  await db.close();
}
