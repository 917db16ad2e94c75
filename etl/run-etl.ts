import type { Config } from '../core/config.ts';
import type { Db } from '../db/connect.ts';
import type { Log } from '../core/log.ts';
import { loadList, type ListLoadResult } from './load/list-load.ts';
import { legalStep } from './load/registry-load.ts';
import { parseListText } from './parse/list-text.ts';
import { readBureauProfile, readListFile } from './sources/list-file.ts';
import { applyCorrections } from './parse/apply-corrections.ts';
import { readBureauCorrections } from './sources/corrections-file.ts';
import { sheetListDate } from './parse/sheet-list-date.ts';
import { storableSeqs } from './parse/seq-key.ts';
import { parseCleanSheet } from './parse/clean-sheet.ts';
import { setVersionMeta, type VersionMeta } from './reform/version-meta.ts';
import { isCleanSheetPath, readCleanSheetFile } from './sources/clean-sheet-file.ts';
import { defaultCasesStep, inboxSteps, refreshAggregatesStep } from './load/case-steps.ts';
import { finishRunRecord, recordSkippedRun, startRunRecord, withRunLock } from './load/case-etl-run.ts';
import { timelinessReferenceStep } from './load/timeliness-reference.ts';
import { deriveList } from './derive/list-derived.ts';
import type { StepReport } from './step-report.ts';
import { resolveBureau, type BureauChoice } from './sources/bureau-registry.ts';

export interface EtlDeps {
  db: Db;
  config: Pick<Config, 'listFile' | 'files'>;
  log: Log;
  now: () => Date;
}

export interface RunReport {
  startedAt: Date;
  finishedAt: Date;
  /** `skipped`: another run (this or another process) held the run lock; nothing was done. */
  status: 'ok' | 'failed' | 'skipped';
  steps: StepReport[];
  /** The run's row in etl_run. */
  runId?: number;
}

/** What a run does beyond the bundled list and registries (set by main.ts, the CLI and the admin endpoint). */
export interface RunOptions {
  /** Recorded in etl_run: start, catch-up, schedule, api, cli, manual. */
  trigger?: string;
  /** DATA_DIR/inbox: list and case exports found there are loaded once and moved out. */
  inboxDir?: string | null;
  /** On a database without cases, load the default synthetic year (`npm start`). */
  defaultCases?: { root: string } | null;
}

/** Steps after the loads of a run, in order: each sees the run's steps so far; null means nothing to do. */
export type AfterLoadStep = (deps: EtlDeps, steps: readonly StepReport[]) => Promise<StepReport | null>;
export const AFTER_LOAD: AfterLoadStep[] = [refreshAggregatesStep];

/**
 * One ETL run: every step in its own transaction; a failed step leaves the database as it was.
 * One run at a time across processes (advisory lock); every run is recorded in etl_run.
 */
export async function runEtl(deps: EtlDeps, opts: RunOptions = {}): Promise<RunReport> {
  const trigger = opts.trigger ?? 'manual';
  const startedAt = deps.now();
  const locked = await withRunLock(deps.db, deps.now, async (): Promise<RunReport> => {
    const runId = await startRunRecord(deps.db, trigger, startedAt);
    const steps: StepReport[] = [];
    let error: string | null = null;
    try {
      steps.push(await loadListStep(deps, deps.config.listFile));
      steps.push(await legalStep(deps));
      steps.push(await timelinessReferenceStep(deps, deps.config.files));
      steps.push(...(await caseSteps(deps, opts, runId)));
      for (const after of AFTER_LOAD) {
        const r = await after(deps, steps);
        if (r) steps.push(r);
      }
    } catch (err) {
      error = (err as Error).message;
      deps.log.error(`ETL run ${runId}: ${error}`);
    }
    const status = error || steps.some((s) => s.status === 'failed') ? 'failed' : 'ok';
    error ??=
      steps
        .filter((s) => s.status === 'failed')
        .map((s) => `${s.step} ${s.file}: ${s.detail}`)
        .join('\n') || null;
    const finishedAt = deps.now();
    const totals = steps.reduce(
      (t, s) => ({
        rowsIn: t.rowsIn + (s.rows?.in ?? 0),
        rowsLoaded: t.rowsLoaded + (s.rows?.loaded ?? 0),
        rowsRejected: t.rowsRejected + (s.rows?.rejected ?? 0),
      }),
      { rowsIn: 0, rowsLoaded: 0, rowsRejected: 0 },
    );
    await finishRunRecord(deps.db, runId, { status, finishedAt, totals, steps, error });
    return { startedAt, finishedAt, status, steps, runId };
  });
  if (locked.ran) return locked.value;
  const runId = await recordSkippedRun(deps.db, trigger, startedAt);
  deps.log.warn(`ETL run (${trigger}) skipped: another run is in progress`);
  return { startedAt, finishedAt: startedAt, status: 'skipped', steps: [], runId };
}

/** Inbox files, then the default synthetic year when the database has no cases yet. */
async function caseSteps(deps: EtlDeps, opts: RunOptions, runId: number): Promise<StepReport[]> {
  const bureauId = (await readBureauProfile(deps.config.files.bureau)).bureau_id;
  const stepDeps = { db: deps.db, log: deps.log, now: deps.now, bureauId };
  const steps: StepReport[] = opts.inboxDir
    ? await inboxSteps({ ...stepDeps, inboxDir: opts.inboxDir, runId }, (path) => loadListStep(deps, path))
    : [];
  if (opts.defaultCases) {
    const d = await defaultCasesStep({
      ...stepDeps,
      root: opts.defaultCases.root,
      listFile: deps.config.listFile,
      bureauFile: deps.config.files.bureau,
    });
    if (d) steps.push(d);
  }
  return steps;
}

export async function loadListStep(deps: EtlDeps, path: string): Promise<StepReport> {
  try {
    const result = await loadListFile(deps, path);
    const detail =
      result.status === 'loaded'
        ? `version ${result.versionId}: ${result.items} items, ${result.issues} parse issues`
        : `already loaded as version ${result.versionId}`;
    for (const w of result.warnings) deps.log.warn(`list ${path}: ${w}`);
    deps.log.info(`list ${path}: ${detail}`);
    return {
      step: 'list',
      file: path,
      status: result.status,
      detail: [detail, ...result.warnings.map((w) => `warning: ${w}`)].join('; '),
    };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`list ${path}: ${detail}`);
    return { step: 'list', file: path, status: 'failed', detail };
  }
}

/** A list load's version metadata and, when not the configured bureau, whose list it is. */
export type ListLoadOptions = VersionMeta & { bureau?: BureauChoice };

export async function loadListFile(
  deps: Pick<EtlDeps, 'db' | 'config'>,
  path: string,
  meta: ListLoadOptions = {},
): Promise<ListLoadResult & { bureauId: string; warnings: string[] }> {
  const profile = await resolveBureau(deps.db, deps.config.files, meta.bureau);
  // .xlsx/.csv is the bureau's clean sheet; anything else is the PDF-text export.
  const sheet = isCleanSheetPath(path) ? await readCleanSheetFile(path) : null;
  const file = sheet ? null : await readListFile(path);
  const source = sheet ?? file!;
  // 序号重复 items stay separate items: a repeat is stored under a free number (and says so).
  const raw = storableSeqs(
    sheet
      ? parseCleanSheet(sheet.rows, sheet.name, { sections: profile.sections })
      : parseListText(file!.text, file!.name, profile),
  );
  // The bureau's reviewed corrections follow its items into every version that still reads the damaged text.
  const corrections = await readBureauCorrections(deps.config.files, profile.bureau_id);
  const corrected = corrections ? applyCorrections(raw, corrections.entries) : { list: raw, stale: [] };
  const parsed = corrected.list;
  const result = await loadList(deps.db, {
    profile,
    parsed,
    derived: deriveList(parsed, source.name),
    sourceText: file?.text,
    corrections: corrections
      ? { file: corrections.files.join(','), hash: corrections.hash, stale: corrected.stale }
      : null,
    sourceFile: source.name,
    sourceKind: sheet ? 'clean_sheet' : 'pdf_text',
    contentHash: source.hash,
    label: meta.label ?? source.name.replace(/\.[^.]+$/, ''),
  });
  const listDate = meta.listDate ?? (sheet ? sheetListDate(sheet.rows)?.date : undefined);
  await setVersionMeta(deps.db, profile.bureau_id, result.versionId, { ...meta, listDate });
  // A file that ends inside an item is loaded, and said to be incomplete wherever the load reports.
  const warnings = raw.issues
    .filter((i) => i.kind === 'truncated')
    .map((i) => `${i.source}: on line ${i.line}: ${i.message}`);
  return { ...result, bureauId: profile.bureau_id, warnings };
}
