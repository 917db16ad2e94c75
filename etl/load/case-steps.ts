/**
 * The case-side steps of an ETL run: everything waiting in the inbox, the default synthetic year
 * on an empty database, and the aggregate refresh after a load. Each step catches its own failure
 * and reports it, so one bad file never stops the others.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/connect.ts';
import type { Log } from '../../core/log.ts';
import { inboxDirs, moveHandled, scanInbox } from '../sources/inbox.ts';
import { refreshCaseAggregates, refreshedSinceBefore, type CaseAggregatesReport } from './case-aggregates.ts';
import type { FileAggregates } from './case-file-aggregates.ts';
import { loadCaseFile } from './case-load.ts';
import { DEFAULT_SYNTHETIC, writeSyntheticCsv } from './case-synthetic.ts';
import type { StepReport } from '../step-report.ts';

interface StepDeps {
  db: Db;
  log: Log;
  now: () => Date;
  bureauId: string;
}

/** How a load reports lines that were not readable as CSV records (they are among the rejected rows). */
export const unreadableNote = (n: number) =>
  `${n} of them unreadable as CSV records: broken quoting, bad bytes or too long; see the rejects`;

export async function caseFileStep(deps: StepDeps, path: string, step = 'cases'): Promise<StepReport> {
  try {
    const r = await loadCaseFile(deps.db, path, { bureauId: deps.bureauId, now: deps.now });
    if (r.status === 'unchanged') {
      deps.log.info(`cases ${path}: already loaded as file ${r.fileId}`);
      return { step, file: path, status: 'unchanged', detail: `already loaded as file ${r.fileId}` };
    }
    const detail =
      `file ${r.fileId}: ${r.rowsLoaded} cases loaded (${r.replaced} replaced earlier rows), ${r.rowsRejected} rows rejected` +
      (r.rowsUnreadable ? ` (${unreadableNote(r.rowsUnreadable)})` : '') +
      (r.synthetic ? ', synthetic' : '') +
      (r.rejectsFile ? `; rejects in ${r.rejectsFile}` : '');
    deps.log.info(`cases ${path}: ${detail}`);
    return {
      step,
      file: path,
      status: 'loaded',
      detail,
      rows: { in: r.rowsIn, loaded: r.rowsLoaded, rejected: r.rowsRejected, unreadable: r.rowsUnreadable },
      cases: { bureauId: deps.bureauId, fileId: r.fileId, years: r.years, aggregates: r.aggregates },
    };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`cases ${path}: ${detail}`);
    return { step, file: path, status: 'failed', detail };
  }
}

/**
 * Every file in the inbox, loaded once and moved out. `loadList` is the run's list step (the
 * list loader lives in run-etl.ts; *.txt and clean sheets *.xlsx / non-case *.csv go through it).
 */
export async function inboxSteps(
  deps: StepDeps & { inboxDir: string; runId: number },
  loadList: (path: string) => Promise<StepReport>,
): Promise<StepReport[]> {
  const dirs = inboxDirs(deps.inboxDir);
  const { entries, unknown } = await scanInbox(dirs);
  const steps: StepReport[] = [];
  for (const name of unknown) {
    const detail = `not a list (.txt, .xlsx, .csv) or case export (.csv); moved to failed`;
    await moveHandled(dirs, deps.runId, join(dirs.inbox, name), { failed: `${name}: ${detail}` });
    steps.push({ step: 'inbox', file: name, status: 'failed', detail });
  }
  for (const e of entries) {
    const report =
      e.kind === 'cases'
        ? await caseFileStep(deps, e.path, 'inbox-cases')
        : { ...(await loadList(e.path)), step: 'inbox-list' };
    const moved = await moveHandled(
      dirs,
      deps.runId,
      e.path,
      report.status === 'failed' ? { failed: report.detail } : 'processed',
    );
    steps.push({ ...report, file: e.name, detail: `${report.detail} → ${moved}` });
  }
  return steps;
}

/** On a database without any case file, a fixed synthetic year so the dashboard has data from the start. */
export async function defaultCasesStep(
  deps: StepDeps & { root: string; listFile: string; bureauFile: string },
): Promise<StepReport | null> {
  const [any] = await deps.db.session((s) => s.query('SELECT 1 FROM case_file LIMIT 1'));
  if (any) return null;
  const { year, seed, rows } = DEFAULT_SYNTHETIC;
  const dir = await mkdtemp(join(tmpdir(), 'quanze-synthetic-'));
  const out = join(dir, `synthetic-${year}-seed${seed}.csv`);
  try {
    deps.log.info(`no cases loaded yet: generating ${rows} synthetic cases of ${year} (seed ${seed})`);
    await writeSyntheticCsv({
      root: deps.root,
      listFile: deps.listFile,
      bureauFile: deps.bureauFile,
      rows,
      seed,
      year,
      out,
    });
    return await caseFileStep(deps, out, 'default-synthetic');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * After a run that loaded cases (or a list while cases exist): rebuild the summary tables the
 * endpoints read. When only case files were loaded, and the aggregates were up to date before
 * them, only the bureau/years those files changed are rebuilt; otherwise everything is.
 */
export async function refreshAggregatesStep(
  deps: { db: Db; log: Log },
  steps: readonly StepReport[],
): Promise<StepReport | null> {
  const casesLoaded = steps.some((s) => s.status === 'loaded' && s.rows);
  const listLoaded = steps.some((s) => s.status === 'loaded' && !s.rows);
  if (!casesLoaded && !listLoaded) return null;
  if (!casesLoaded) {
    const [any] = await deps.db.session((s) => s.query('SELECT 1 FROM case_record LIMIT 1'));
    if (!any) return null;
  }
  try {
    const r = await refreshChanged(deps.db, listLoaded ? null : steps);
    const scope = r.years
      ? `years ${r.years.join(', ')} rebuilt${r.fromFileCounts ? " from the file's own counts" : ''}`
      : 'all rebuilt';
    const detail = `${r.cases} cases, ${r.spans} stage spans judged, ${r.finedCases} fined cases (${scope})`;
    deps.log.info(`case aggregates refreshed: ${detail}`);
    return { step: 'aggregates', file: '', status: 'loaded', detail };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`case aggregates: ${detail}`);
    return { step: 'aggregates', file: '', status: 'failed', detail };
  }
}

/** Everything (steps null, or a loaded case file without what it changed), or per bureau the years the loads changed. */
async function refreshChanged(db: Db, steps: readonly StepReport[] | null): Promise<CaseAggregatesReport> {
  const loaded = steps?.filter((s) => s.status === 'loaded' && s.rows) ?? [];
  if (steps === null || loaded.some((s) => !s.cases)) return refreshCaseAggregates(db);
  const byBureau = new Map<string, { fileIds: number[]; years: Set<number>; aggregates: FileAggregates[] }>();
  for (const { cases } of loaded) {
    const b = byBureau.get(cases!.bureauId) ?? { fileIds: [], years: new Set<number>(), aggregates: [] };
    b.fileIds.push(cases!.fileId);
    for (const y of cases!.years) b.years.add(y);
    if (cases!.aggregates) b.aggregates.push(cases!.aggregates);
    byBureau.set(cases!.bureauId, b);
  }
  for (const [bureauId, b] of byBureau) {
    if (!(await refreshedSinceBefore(db, bureauId, b.fileIds))) return refreshCaseAggregates(db);
  }
  const reports: CaseAggregatesReport[] = [];
  for (const [bureauId, b] of byBureau)
    reports.push(
      await refreshCaseAggregates(db, {
        bureauId,
        years: [...b.years],
        // A file's own rows stand for its years only when it is the one file loaded for the bureau.
        fileAggregates: b.fileIds.length === 1 ? b.aggregates[0] : undefined,
      }),
    );
  return reports.reduce((a, r) => ({
    bureaus: [...a.bureaus, ...r.bureaus],
    cases: a.cases + r.cases,
    spans: a.spans + r.spans,
    uncoveredSpans: a.uncoveredSpans + r.uncoveredSpans,
    extendedSpans: a.extendedSpans + r.extendedSpans,
    finedCases: a.finedCases + r.finedCases,
    years: [...new Set([...(a.years ?? []), ...(r.years ?? [])])].sort((x, y) => x - y),
    fromFileCounts: a.fromFileCounts && r.fromFileCounts,
  }));
}
