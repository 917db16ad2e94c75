import { loadConfig } from '../../core/config.ts';
import { consoleLog } from '../../core/log.ts';
import { readOptions } from '../export/cli-options.ts';
import { loadCaseFile } from '../load/case-load.ts';
import { caseLoadProgressBar } from '../load/case-progress.ts';
import { refreshAggregatesStep, unreadableNote } from '../load/case-steps.ts';
import { DEFAULT_SYNTHETIC, writeSyntheticCsv } from '../load/case-synthetic.ts';
import { runEtl } from '../run-etl.ts';
import { withBureauDb, withDb, type Command } from './command.ts';

/** Exit code of a load (or run) that loaded, but with lines unreadable as CSV records: see the rejects. */
export const EXIT_UNREADABLE = 3;

export const caseCommands: Record<string, Command> = {
  async run() {
    return withDb(async (db, config) => {
      const report = await runEtl(
        { db, config, log: consoleLog, now: () => new Date() },
        { trigger: 'cli', inboxDir: config.inboxDir },
      );
      // A run skipped because another holds the lock did nothing wrong: exit 0, and say so.
      if (report.status === 'skipped') console.log('skipped: another ETL run is in progress (GET /api/runs)');
      if (report.status === 'failed') return 1;
      return report.steps.some((s) => s.rows?.unreadable) ? EXIT_UNREADABLE : 0;
    });
  },

  async 'generate-cases'(args) {
    const { options, rest } = readOptions(args, ['rows', 'seed', 'out', 'year']);
    const rows = Number(options.rows),
      year = Number(options.year ?? DEFAULT_SYNTHETIC.year);
    if (
      rest.length ||
      !options.out ||
      !Number.isInteger(rows) ||
      rows < 0 ||
      !options.seed ||
      !Number.isInteger(year)
    ) {
      throw new Error('usage: etl generate-cases --rows N --seed S --out FILE [--year Y]');
    }
    const config = loadConfig(process.env);
    const r = await writeSyntheticCsv({
      root: config.root,
      listFile: config.listFile,
      bureauFile: config.files.bureau,
      rows,
      seed: options.seed,
      year,
      out: options.out,
    });
    console.log(`wrote ${r.rows} synthetic cases of ${year} (seed ${options.seed}) to ${options.out}`);
    return 0;
  },

  async 'load-cases'(args) {
    const {
      options,
      rest: [file, ...more],
    } = readOptions(args, ['bureau']);
    if (!file || more.length) throw new Error('usage: etl load-cases FILE [--bureau ID]');
    // The export of one bureau's case-handling system; in a sharded deployment it goes to that bureau's shard.
    return withBureauDb({ id: options.bureau }, async (db, profile) => {
      const bar = caseLoadProgressBar('cases');
      const r = await loadCaseFile(db, file, {
        bureauId: profile.bureau_id,
        now: () => new Date(),
        onProgress: bar.onProgress,
      }).finally(() => bar.stop());
      if (r.status === 'unchanged') {
        console.log(`${file}: already loaded as file ${r.fileId}`);
        return 0;
      }
      console.log(
        `${file}: file ${r.fileId}: ${r.rowsLoaded} cases loaded (${r.replaced} replaced earlier rows), ${r.rowsRejected} rows rejected${r.rejectsFile ? `; rejects in ${r.rejectsFile}` : ''}`,
      );
      if (r.rowsUnreadable)
        console.error(`${file}: ${unreadableNote(r.rowsUnreadable)} (exit code ${EXIT_UNREADABLE})`);
      const agg = await refreshAggregatesStep({ db, log: consoleLog }, [
        {
          step: 'cases',
          file,
          status: 'loaded',
          detail: '',
          rows: { in: r.rowsIn, loaded: r.rowsLoaded, rejected: r.rowsRejected },
          cases: { bureauId: profile.bureau_id, fileId: r.fileId, years: r.years, aggregates: r.aggregates },
        },
      ]);
      if (agg?.status === 'failed') return 1;
      return r.rowsUnreadable ? EXIT_UNREADABLE : 0;
    });
  },
};
