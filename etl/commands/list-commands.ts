import { loadConfig } from '../../core/config.ts';
import { consoleLog } from '../../core/log.ts';
import type { Db } from '../../db/connect.ts';
import { readOptions } from '../export/cli-options.ts';
import { exportSheetFile } from '../export/export-sheet.ts';
import { loadRegistry } from '../load/registry-load.ts';
import { applyCorrections } from '../parse/apply-corrections.ts';
import { parseListText } from '../parse/list-text.ts';
import { summariseIssues } from '../parse/issue-summary.ts';
import type { IssueKind } from '../parse/list-types.ts';
import { checkEffectiveDate } from '../reform/version-meta.ts';
import { loadListFile } from '../run-etl.ts';
import { readCorrectionsFile } from '../sources/corrections-file.ts';
import { readBureauProfile, readListFile } from '../sources/list-file.ts';
import { withBureauDb, withDb, type Command } from './command.ts';

export const listCommands: Record<string, Command> = {
  async parse(args) {
    const {
      options,
      rest: [file],
    } = readOptions(args, ['corrections']);
    if (!file) throw new Error('usage: etl parse FILE [--corrections data/corrections/LIST.yaml]');
    const config = loadConfig(process.env);
    const raw = parseListText((await readListFile(file)).text, file, await readBureauProfile(config.files.bureau));
    // Corrections only when asked: the plain parse shows what the text itself says.
    const corrected = options.corrections
      ? applyCorrections(raw, (await readCorrectionsFile(options.corrections)).entries)
      : { list: raw, stale: [] };
    const parsed = corrected.list;
    for (const i of parsed.issues) process.stderr.write(`${i.source}: on line ${i.line}: ${i.field}: ${i.message}\n`);
    for (const c of corrected.stale)
      process.stderr.write(`${c.source} on line ${c.line}: stale correction: ${c.message}\n`);
    // Wait until a pipe took all of it: the process exits right after.
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${JSON.stringify(parsed.items, null, 2)}\n`, (err) => (err ? reject(err) : resolve())),
    );
    return 0;
  },

  async load(args) {
    const {
      options,
      rest: [file],
    } = readOptions(args, ['label', 'effective-date', 'list-date', 'bureau', 'bureau-name']);
    if (!file)
      throw new Error(
        'usage: etl load FILE(.txt|.xlsx|.csv) [--label 2024年版] [--list-date YYYY-MM-DD] [--effective-date YYYY-MM-DD] [--bureau ID [--bureau-name NAME]]',
      );
    for (const key of ['effective-date', 'list-date'] as const) {
      const problem = options[key] ? checkEffectiveDate(options[key], `--${key}`) : null;
      if (problem) throw new Error(problem);
    }
    return withBureauDb({ id: options.bureau, name: options['bureau-name'] }, async (db, profile, config) => {
      const meta = {
        label: options.label,
        effectiveDate: options['effective-date'],
        listDate: options['list-date'],
        bureau: { profile },
      };
      const result = await loadListFile({ db, config }, file, meta);
      console.log(
        result.status === 'loaded'
          ? `loaded as version ${result.versionId}: ${result.items} items`
          : `already loaded as version ${result.versionId}`,
      );
      await printListIssues(db, result.bureauId, result.versionId, result.staleCorrections ?? 0);
      return 0;
    });
  },

  async 'export-sheet'(args) {
    const { options } = readOptions(args, ['out', 'version', 'bureau']);
    if (!options.out) throw new Error('usage: etl export-sheet --out FILE.xlsx|FILE.csv [--version N] [--bureau ID]');
    const version = options.version === undefined ? undefined : Number(options.version);
    if (version !== undefined && !(Number.isInteger(version) && version > 0))
      throw new Error(`--version must be a version number, got "${options.version}"`);
    return withBureauDb({ id: options.bureau }, async (db, profile) => {
      const r = await exportSheetFile({ db, now: () => new Date() }, profile.bureau_id, options.out!, version);
      console.log(`wrote version ${r.versionId} to ${options.out} (${r.bytes} bytes)`);
      return 0;
    });
  },

  /** registry: load data/instruments.yaml and data/lists/lists.yaml; derive the legal basis of versions lacking it. */
  async registry() {
    return withDb(async (db, config) => {
      const r = await loadRegistry(db, config.files, consoleLog);
      console.log(
        `registry ${r.status}: ${r.instruments} instruments, ${r.events} dated facts; derived versions: ${r.derivedVersions.join(', ') || 'none'}`,
      );
      return 0;
    });
  },
};

/** What the load recorded, for the person at the terminal: issues by kind and severity, the first ten, truncation, stale corrections. */
async function printListIssues(db: Db, bureauId: string, versionId: number, staleCorrections: number): Promise<void> {
  const rows = await db.kysely
    .selectFrom('parse_issue as p')
    .innerJoin('list_version as v', (j) =>
      j.onRef('v.bureau_id', '=', 'p.bureau_id').onRef('v.version_id', '=', 'p.version_id'),
    )
    .select(['v.source_file', 'p.line', 'p.seq', 'p.field', 'p.value', 'p.message', 'p.kind', 'p.severity'])
    .where('p.bureau_id', '=', bureauId)
    .where('p.version_id', '=', versionId)
    .orderBy('p.issue_no')
    .execute();
  const issues = rows.map((r) => ({ ...r, source: r.source_file, kind: r.kind as IssueKind }));
  if (issues.length) {
    const summary = summariseIssues(issues);
    console.log(
      `${issues.length} parse issues: ${summary.counts.map((c) => `${c.kind} (${c.severity}) ${c.issues}`).join(', ')}`,
    );
    for (const line of summary.first) console.log(`  ${line}`);
    if (issues.length > summary.first.length)
      console.log(`  … ${issues.length - summary.first.length} more (数据质量 page, or GET /api/quality/flagged)`);
    if (summary.truncated) console.log(`warning: ${issues.find((i) => i.kind === 'truncated')!.message}`);
  }
  const stale = await db.kysely
    .selectFrom('correction_stale')
    .selectAll()
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .orderBy('stale_no')
    .execute();
  if (staleCorrections || stale.length) {
    console.log(`${stale.length} reviewed corrections not applied (stale):`);
    for (const c of stale) console.log(`  ${c.source_file} on line ${c.source_line}: ${c.message}`);
  }
}
