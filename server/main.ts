import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../core/config.ts';
import { buildApp } from './app.ts';
import { consoleLog } from '../core/log.ts';
import { missedScheduledRun, scheduleEtl } from './schedule.ts';
import { readBureauProfile } from '../etl/sources/list-file.ts';
import { loadListFile, runEtl } from '../etl/run-etl.ts';
import { lastRunStartedAt } from '../etl/load/case-etl-run.ts';
import { describeDatabase, openDatabase } from '../db/open.ts';

/** `npm start`: migrate, load the bundled list if needed, build the web app if needed, serve. */
async function main(config: Readonly<Config>) {
  const log = consoleLog;
  const { db, applied, lock } = await openDatabase(config, 'server');
  log.info(`database: ${describeDatabase(config)}`);
  if (applied.length) log.info(`migrations applied: ${applied.join(', ')}`);

  const etlDeps = { db, config, log, now: () => new Date() };
  const runOptions = { inboxDir: config.inboxDir, defaultCases: { root: config.root } };
  // A coordinator only reads: loads go to the bureaus' shards (etl load / load-cases --bureau).
  const coordinator = config.shardUrls.length > 0;
  if (coordinator) {
    log.info(
      `coordinator of ${config.shardUrls.length} shards: no ETL runs here; load with npm run -s etl -- load|load-cases --bureau ID`,
    );
  } else {
    // A scheduled tick missed while the server was down: this start-up run is the catch-up run.
    const missed = missedScheduledRun(config.etlSchedule, await lastRunStartedAt(db), etlDeps.now());
    if (missed) log.info('a scheduled ETL run was missed while the server was down: catching up now');
    const report = await runEtl(etlDeps, { ...runOptions, trigger: missed ? 'catch-up' : 'start' });
    if (report.status === 'failed') log.warn('the start-up ETL run failed; the dashboard shows what was loaded before');
  }

  if (!existsSync(join(config.webDir, 'index.html'))) {
    log.info('building the web app (first start)…');
    const { build } = await import('vite');
    await build({ configFile: join(config.root, 'vite.config.ts'), logLevel: 'warn' });
  }

  const profile = await readBureauProfile(config.files.bureau);
  const app = await buildApp(
    {
      db,
      bureauId: profile.bureau_id,
      adminToken: config.adminToken,
      webDir: config.webDir,
      runEtl: coordinator ? undefined : (trigger) => runEtl(etlDeps, { ...runOptions, trigger }),
      loadList: (path, meta) => loadListFile(etlDeps, path, meta),
      inboxDir: config.inboxDir,
      uploadLimitBytes: config.uploadLimitBytes,
    },
    { logger: { level: 'warn' } },
  );
  const schedule = coordinator
    ? { stop: () => undefined }
    : scheduleEtl(config.etlSchedule, () => runEtl(etlDeps, { ...runOptions, trigger: 'schedule' }), log);
  const close = async () => {
    schedule.stop();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  // A CLI command refused because we hold the embedded database says where to send the work.
  await lock?.note({ url: `http://${config.host}:${port}` });
  log.info(`dashboard: http://${config.host}:${port}/`);
}

main(loadConfig(process.env)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
