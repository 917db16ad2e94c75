import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/connect.ts';
import type { Log } from '../server/log.ts';
import { loadList, type ListLoadResult } from './load/list-load.ts';
import { parseListText } from './parse/list-text.ts';
import { readBureauProfile, readListFile } from './sources/list-file.ts';

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

export async function loadListFile(deps: Pick<EtlDeps, 'db' | 'config'>, path: string): Promise<ListLoadResult> {
  const profile = await readBureauProfile(deps.config.bureauFile);
  const file = await readListFile(path);
  const parsed = parseListText(file.text, file.name, profile);
  return loadList(deps.db, {
    profile,
    parsed,
    sourceFile: file.name,
    sourceKind: 'pdf_text',
    contentHash: file.hash,
    label: file.name.replace(/\.[^.]+$/, ''),
  });
}
