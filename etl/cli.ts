import { loadConfig } from '../core/config.ts';
import type { Db } from '../db/connect.ts';
import { consoleLog } from '../core/log.ts';
import { readBureauProfile, readListFile } from './sources/list-file.ts';
import { parseListText } from './parse/list-text.ts';
import { applyCorrections } from './parse/apply-corrections.ts';
import { readCorrectionsFile } from './sources/corrections-file.ts';
import { loadListFile, runEtl } from './run-etl.ts';
import { loadCaseFile } from './load/case-load.ts';
import { caseLoadProgressBar } from './load/case-progress.ts';
import { DEFAULT_SYNTHETIC, writeSyntheticCsv } from './load/case-synthetic.ts';
import { refreshAggregatesStep } from './load/case-steps.ts';
import { loadRegistry } from './load/registry-load.ts';
import { readOptions } from './export/cli-options.ts';
import { exportSheetFile } from './export/export-sheet.ts';
import { checkEffectiveDate } from './reform/version-meta.ts';
import { openDatabase } from '../db/open.ts';
import { resolveBureau } from './sources/bureau-registry.ts';

/**
 * `npm run -s etl -- <command> …`
 *   parse FILE [--corrections FILE.yaml]   print the parsed list's items as JSON (no database);
 *                  issues go to stderr; reviewed corrections applied only with --corrections
 *   load FILE      load a list file (.txt PDF export, or .xlsx/.csv clean sheet) as a new version
 *                  (no-op if already loaded); --label 2024年版 --list-date YYYY-MM-DD (the list's own
 *                  date) --effective-date YYYY-MM-DD; --bureau ID (another bureau's list; a new
 *                  bureau also needs --bureau-name NAME). Prints the issues recorded; exit 0 when
 *                  loaded (with warnings), 1 when refused
 *   export-sheet --out FILE.xlsx|.csv [--version N] [--bureau ID]   write a version as the clean sheet
 *   registry       load data/instruments.yaml + data/lists/lists.yaml (no-op if unchanged) and
 *                  derive citations and fine clauses of any version lacking them
 *   run            one full ETL run, as the scheduler does (including the inbox, DATA_DIR/inbox)
 *   generate-cases --rows N --seed S --out FILE [--year Y]   synthetic case CSV (no database)
 *   load-cases FILE [--bureau ID]  load a case CSV (no-op if already loaded), with a progress bar
 */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  async parse(args) {
    const { options, rest: [file] } = readOptions(args, ['corrections']);
    if (!file) throw new Error('usage: etl parse FILE [--corrections data/corrections/LIST.yaml]');
    const config = loadConfig(process.env);
    const raw = parseListText((await readListFile(file)).text, file, await readBureauProfile(config.files.bureau));
    // Corrections only when asked: the plain parse shows what the text itself says.
    const corrected = options.corrections ? applyCorrections(raw, (await readCorrectionsFile(options.corrections)).entries) : { list: raw, stale: [] };
    const parsed = corrected.list;
    for (const i of parsed.issues) process.stderr.write(`${i.source}: on line ${i.line}: ${i.field}: ${i.message}\n`);
    for (const c of corrected.stale) process.stderr.write(`${c.source} on line ${c.line}: stale correction: ${c.message}\n`);
    // Wait until a pipe took all of it: the process exits right after.
    await new Promise<void>((resolve, reject) => process.stdout.write(`${JSON.stringify(parsed.items, null, 2)}\n`, (err) => (err ? reject(err) : resolve())));
    return 0;
  },
  async load(args) {
    const { options, rest: [file] } = readOptions(args, ['label', 'effective-date', 'list-date', 'bureau', 'bureau-name']);
    if (!file) throw new Error('usage: etl load FILE(.txt|.xlsx|.csv) [--label 2024年版] [--list-date YYYY-MM-DD] [--effective-date YYYY-MM-DD] [--bureau ID [--bureau-name NAME]]');
    for (const key of ['effective-date', 'list-date'] as const) {
      const problem = options[key] ? checkEffectiveDate(options[key], `--${key}`) : null;
      if (problem) throw new Error(problem);
    }
    return withDb(async (db, config) => {
      const bureau = { id: options.bureau, name: options['bureau-name'] };
      const result = await loadListFile({ db, config }, file, { label: options.label, effectiveDate: options['effective-date'], listDate: options['list-date'], bureau });
      console.log(result.status === 'loaded' ? `loaded as version ${result.versionId}: ${result.items} items` : `already loaded as version ${result.versionId}`);
      await printListIssues(db, result.bureauId, result.versionId, result.staleCorrections ?? 0);
      return 0;
    });
  },
  async 'export-sheet'(args) {
    const { options } = readOptions(args, ['out', 'version', 'bureau']);
    if (!options.out) throw new Error('usage: etl export-sheet --out FILE.xlsx|FILE.csv [--version N] [--bureau ID]');
    const version = options.version === undefined ? undefined : Number(options.version);
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new Error(`--version must be a version number, got "${options.version}"`);
    return withDb(async (db, config) => {
      const bureauId = (await resolveBureau(db, config.files, { id: options.bureau })).bureau_id;
      const r = await exportSheetFile({ db, now: () => new Date() }, bureauId, options.out!, version);
      console.log(`wrote version ${r.versionId} to ${options.out} (${r.bytes} bytes)`);
      return 0;
    });
  },
  /** registry: load data/instruments.yaml and data/lists/lists.yaml; derive the legal basis of versions lacking it. */
  async registry() {
    return withDb(async (db, config) => {
      const r = await loadRegistry(db, config.files, consoleLog);
      console.log(`registry ${r.status}: ${r.instruments} instruments, ${r.events} dated facts; derived versions: ${r.derivedVersions.join(', ') || 'none'}`);
      return 0;
    });
  },
  async run() {
    return withDb(async (db, config) => {
      const report = await runEtl({ db, config, log: consoleLog, now: () => new Date() }, { trigger: 'cli', inboxDir: config.inboxDir });
      // A run skipped because another holds the lock did nothing wrong: exit 0, and say so.
      if (report.status === 'skipped') console.log('skipped: another ETL run is in progress (GET /api/runs)');
      return report.status === 'failed' ? 1 : 0;
    });
  },
  async 'generate-cases'(args) {
    const { options, rest } = readOptions(args, ['rows', 'seed', 'out', 'year']);
    const rows = Number(options.rows), year = Number(options.year ?? DEFAULT_SYNTHETIC.year);
    if (rest.length || !options.out || !Number.isInteger(rows) || rows < 0 || !options.seed || !Number.isInteger(year)) {
      throw new Error('usage: etl generate-cases --rows N --seed S --out FILE [--year Y]');
    }
    const config = loadConfig(process.env);
    const r = await writeSyntheticCsv({ root: config.root, listFile: config.listFile, bureauFile: config.files.bureau, rows, seed: options.seed, year, out: options.out });
    console.log(`wrote ${r.rows} synthetic cases of ${year} (seed ${options.seed}) to ${options.out}`);
    return 0;
  },
  async 'load-cases'(args) {
    const { options, rest: [file, ...more] } = readOptions(args, ['bureau']);
    if (!file || more.length) throw new Error('usage: etl load-cases FILE [--bureau ID]');
    return withDb(async (db, config) => {
      const bureauId = (await resolveBureau(db, config.files, { id: options.bureau })).bureau_id;
      const bar = caseLoadProgressBar('cases');
      const r = await loadCaseFile(db, file, { bureauId, now: () => new Date(), onProgress: bar.onProgress }).finally(() => bar.stop());
      if (r.status === 'unchanged') {
        console.log(`${file}: already loaded as file ${r.fileId}`);
        return 0;
      }
      console.log(`${file}: file ${r.fileId}: ${r.rowsLoaded} cases loaded (${r.replaced} replaced earlier rows), ${r.rowsRejected} rows rejected${r.rejectsFile ? `; rejects in ${r.rejectsFile}` : ''}`);
      const agg = await refreshAggregatesStep({ db, log: consoleLog }, [{ step: 'cases', file, status: 'loaded', detail: '', rows: { in: r.rowsIn, loaded: r.rowsLoaded, rejected: r.rowsRejected } }]);
      return agg?.status === 'failed' ? 1 : 0;
    });
  },
};

/** What the load recorded, for the person at the terminal: issue counts by field, the first ten, stale corrections. */
async function printListIssues(db: Db, bureauId: string, versionId: number, staleCorrections: number): Promise<void> {
  const issues = await db.kysely
    .selectFrom('parse_issue')
    .select(['line', 'field', 'value', 'message'])
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .orderBy('issue_no')
    .execute();
  if (issues.length) {
    const byField = new Map<string, number>();
    for (const i of issues) byField.set(i.field, (byField.get(i.field) ?? 0) + 1);
    console.log(`${issues.length} parse issues: ${[...byField].map(([f, n]) => `${f} ${n}`).join(', ')}`);
    for (const i of issues.slice(0, 10)) console.log(`  line ${i.line}: ${i.field}: ${i.message}`);
    if (issues.length > 10) console.log(`  … ${issues.length - 10} more (数据质量 page, or GET /api/quality/flagged)`);
  }
  const stale = await db.kysely.selectFrom('correction_stale').selectAll().where('bureau_id', '=', bureauId).where('version_id', '=', versionId).orderBy('stale_no').execute();
  if (staleCorrections || stale.length) {
    console.log(`${stale.length} reviewed corrections not applied (stale):`);
    for (const c of stale) console.log(`  ${c.source_file} on line ${c.source_line}: ${c.message}`);
  }
}

export async function withDb<T>(fn: (db: Db, config: ReturnType<typeof loadConfig>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const { db } = await openDatabase(config);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

const [command = '', ...args] = process.argv.slice(2);
const handler = COMMANDS[command];
if (!handler) {
  console.error(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}
handler(args).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
