import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/connect.ts';
import type { Log } from '../server/log.ts';
import { loadList, type ListLoadResult } from './load/list-load.ts';
import { legalStep } from './load/registry-load.ts';
import { parseListText } from './parse/list-text.ts';
import { readBureauProfile, readListFile } from './sources/list-file.ts';
import { applyCorrections } from './parse/apply-corrections.ts';
import { findCorrectionsFile } from './sources/corrections-file.ts';
import { parseCleanSheet } from './parse/clean-sheet.ts';
import { setVersionMeta, type VersionMeta } from './reform/version-meta.ts';
import { isCleanSheetPath, readCleanSheetFile } from './sources/clean-sheet-file.ts';

export interface EtlDeps {
  db: Db;
  config: Pick<Config, 'listFile' | 'bureauFile'>;
  log: Log;
  now: () => Date;
}

export interface StepReport {
  step: string;
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  detail: string;
}

export interface RunReport {
  startedAt: Date;
  finishedAt: Date;
  status: 'ok' | 'failed';
  steps: StepReport[];
}

/** One ETL run: every step in its own transaction; a failed step leaves the database as it was. */
export async function runEtl(deps: EtlDeps): Promise<RunReport> {
  const startedAt = deps.now();
  const steps: StepReport[] = [await loadListStep(deps, deps.config.listFile)];
  steps.push(await legalStep(deps));
  const status = steps.some((s) => s.status === 'failed') ? 'failed' : 'ok';
  return { startedAt, finishedAt: deps.now(), status, steps };
}

export async function loadListStep(deps: EtlDeps, path: string): Promise<StepReport> {
  try {
    const result = await loadListFile(deps, path);
    const detail =
      result.status === 'loaded'
        ? `version ${result.versionId}: ${result.items} items, ${result.issues} parse issues`
        : `already loaded as version ${result.versionId}`;
    deps.log.info(`list ${path}: ${detail}`);
    return { step: 'list', file: path, status: result.status, detail };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`list ${path}: ${detail}`);
    return { step: 'list', file: path, status: 'failed', detail };
  }
}

export async function loadListFile(deps: Pick<EtlDeps, 'db' | 'config'>, path: string, meta: VersionMeta = {}): Promise<ListLoadResult> {
  const profile = await readBureauProfile(deps.config.bureauFile);
  // .xlsx/.csv is the bureau's clean sheet; anything else is the PDF-text export.
  if (isCleanSheetPath(path)) {
    const sheet = await readCleanSheetFile(path);
    const parsed = parseCleanSheet(sheet.rows, sheet.name, { sections: profile.sections });
    const result = await loadList(deps.db, { profile, parsed, sourceFile: sheet.name, sourceKind: 'clean_sheet', contentHash: sheet.hash, label: meta.label ?? sheet.name.replace(/\.[^.]+$/, '') });
    await setVersionMeta(deps.db, profile.bureau_id, result.versionId, meta);
    return result;
  }
  const file = await readListFile(path);
  // Reviewed corrections (data/corrections/<list>.yaml) are laid over the parse before loading.
  const corrections = await findCorrectionsFile(path, deps.config.bureauFile);
  if (corrections && corrections.list !== file.name) throw new Error(`${corrections.path}: written for list "${corrections.list}", not "${file.name}"`);
  const raw = parseListText(file.text, file.name, profile);
  const parsed = corrections ? applyCorrections(raw, corrections.entries) : raw;
  const result = await loadList(deps.db, {
    profile,
    parsed,
    sourceText: file.text,
    corrections: corrections ? { file: corrections.path, hash: corrections.hash } : null,
    sourceFile: file.name,
    sourceKind: 'pdf_text',
    contentHash: file.hash,
    label: meta.label ?? file.name.replace(/\.[^.]+$/, ''),
  });
  await setVersionMeta(deps.db, profile.bureau_id, result.versionId, meta);
  return result;
}
