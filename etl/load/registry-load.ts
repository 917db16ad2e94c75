/**
 * The ETL's legal step: loads data/instruments.yaml and data/lists/lists.yaml into the registry
 * tables in one transaction (skipped when both files are unchanged, by content hash), points
 * every stored citation at its instrument again, and derives citations and fine clauses for any
 * list version that has none yet (versions loaded before the registry or this step existed).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import type { Log } from '../../core/log.ts';
import { parseListMeta, type ListMeta } from '../legal/list-meta.ts';
import { normalizeTitle } from '../parse/citation.ts';
import { formatRegistryError, parseRegistry, type Instrument } from '../registry/instruments.ts';
import { writeLegal, resolveInstruments } from './legal-load.ts';
import { basisRecords } from '../legal/basis-records.ts';
import { insertRows } from '../../db/insert-rows.ts';
import type { StepReport } from '../step-report.ts';
import type { DataFiles } from '../../core/config.ts';
import { sha256 } from '../sources/source-file.ts';

/** The legal section's reviewed files: the instrument registry and the lists' own dates. */
export type LegalFiles = Pick<DataFiles, 'registry' | 'listMeta'>;

export interface RegistryLoadResult {
  status: 'loaded' | 'unchanged';
  instruments: number;
  events: number;
  derivedVersions: number[];
}

export async function loadRegistry(db: Db, files: LegalFiles, log?: Log): Promise<RegistryLoadResult> {
  const [regText, listsText] = await Promise.all([readFile(files.registry, 'utf8'), readFile(files.listMeta, 'utf8')]);
  const parsed = parseRegistry(regText, files.registry);
  if (!parsed.ok)
    throw new Error(`instrument registry is invalid:\n  ${parsed.errors.map(formatRegistryError).join('\n  ')}`);
  const lists = parseListMeta(listsText, files.listMeta);
  if (!lists.ok) throw new Error(`list metadata is invalid:\n  ${lists.errors.join('\n  ')}`);
  const regHash = sha256(regText);
  const listsHash = sha256(listsText);
  const instruments = parsed.registry.instruments;
  const lineOf = instrumentLines(regText);

  const status = await db.kysely.transaction().execute(async (tx) => {
    const loaded = await tx.selectFrom('registry_load').select(['registry', 'content_hash']).execute();
    const hashOf = (r: string) => loaded.find((l) => l.registry === r)?.content_hash;
    if (hashOf('instruments') === regHash && hashOf('lists') === listsHash) return 'unchanged' as const;
    await replaceInstruments(tx, instruments, lineOf);
    await replaceListMeta(tx, lists.lists);
    for (const [registry, hash, file] of [
      ['instruments', regHash, files.registry],
      ['lists', listsHash, files.listMeta],
    ] as const) {
      await tx
        .insertInto('registry_load')
        .values({ registry, content_hash: hash, source_file: basename(file) })
        .onConflict((oc) =>
          oc.column('registry').doUpdateSet({ content_hash: hash, source_file: basename(file), loaded_at: new Date() }),
        )
        .execute();
    }
    await resolveInstruments(tx);
    return 'loaded' as const;
  });

  const derivedVersions = await deriveMissing(db, log);
  return {
    status,
    instruments: instruments.length,
    events: instruments.reduce((n, i) => n + i.events.length, 0),
    derivedVersions,
  };
}

async function replaceInstruments(
  tx: Kysely<Database>,
  instruments: readonly Instrument[],
  lineOf: Map<string, number>,
) {
  await tx.deleteFrom('instrument').execute(); // cascades to aliases and events
  if (instruments.length === 0) return;
  await tx
    .insertInto('instrument')
    .values(
      instruments.map((i) => ({
        instrument_id: i.id,
        title: i.title,
        kind: i.kind,
        issuer: i.issuer,
        doc_number: i.doc_number ?? null,
        status: i.status,
        replaced_by: i.replaced_by ?? null,
        replaced_on: i.replaced_on ?? null,
        source: i.source ?? null,
        verified: i.source !== undefined,
        source_line: lineOf.get(i.id) ?? null,
      })),
    )
    .execute();
  const aliases = new Map<string, { title_key: string; instrument_id: string; alias: string }>();
  for (const i of instruments) {
    for (const name of [i.title, ...i.aliases]) {
      const key = normalizeTitle(name);
      if (!aliases.has(key)) aliases.set(key, { title_key: key, instrument_id: i.id, alias: name });
    }
  }
  await insertRows(tx, 'instrument_alias', [...aliases.values()]);
  const events = instruments.flatMap((i) =>
    i.events.map((e, n) => ({
      instrument_id: i.id,
      event_no: n + 1,
      event: e.event,
      event_date: e.date,
      by_text: e.by ?? null,
      ordinal: e.ordinal ?? null,
      doc_number: e.doc_number ?? null,
      note: e.note ?? null,
      source: e.source ?? null,
      verified: e.source !== undefined,
    })),
  );
  await insertRows(tx, 'instrument_event', events);
}

async function replaceListMeta(tx: Kysely<Database>, lists: readonly ListMeta[]) {
  await tx.deleteFrom('list_meta').execute();
  if (lists.length === 0) return;
  await tx
    .insertInto('list_meta')
    .values(
      lists.map((l) => ({
        source_file: l.file,
        label: l.label,
        list_date: l.list_date ?? null,
        list_date_basis: l.list_date_basis,
        source: l.source ?? null,
        verified: l.source !== undefined,
      })),
    )
    .execute();
}

/** Derives citations and fine clauses for every list version without them, each in its own transaction. */
export async function deriveMissing(db: Db, log?: Log): Promise<number[]> {
  const missing = await db.kysely
    .selectFrom('list_version as v')
    .leftJoin('legal_derivation as d', (j) =>
      j.onRef('d.bureau_id', '=', 'v.bureau_id').onRef('d.version_id', '=', 'v.version_id'),
    )
    .select(['v.bureau_id', 'v.version_id', 'v.source_file'])
    .where('d.version_id', 'is', null)
    .orderBy('v.bureau_id')
    .orderBy('v.version_id')
    .execute();
  const done: number[] = [];
  for (const v of missing) {
    const result = await db.kysely.transaction().execute(async (tx) => {
      const items = await tx
        .selectFrom('item')
        .select(['seq', 'basis', 'source_lines'])
        .where('bureau_id', '=', v.bureau_id)
        .where('version_id', '=', v.version_id)
        .orderBy('seq')
        .execute();
      return writeLegal(tx, { bureau_id: v.bureau_id, version_id: v.version_id }, basisRecords(items, v.source_file));
    });
    log?.info(
      `legal basis of ${v.bureau_id} version ${v.version_id}: ${result.citations} citations, ${result.fineClauses} fine clauses`,
    );
    done.push(v.version_id);
  }
  return done;
}

/** Line of each `- id: x` entry, so the pages can point a reviewer at the YAML line. */
function instrumentLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split('\n').forEach((l, i) => {
    const m = /^\s*-\s+(?:\{\s*)?id:\s*([a-z0-9-]+)/.exec(l);
    if (m) lines.set(m[1]!, i + 1);
  });
  return lines;
}

/** The ETL run step: registry load plus catch-up derivation, reported like every other step. */
export async function legalStep(deps: { db: Db; config: { files: LegalFiles }; log: Log }): Promise<StepReport> {
  const files = deps.config.files;
  try {
    const r = await loadRegistry(deps.db, files, deps.log);
    const derived = r.derivedVersions.length ? `; derived legal basis of version ${r.derivedVersions.join(', ')}` : '';
    const detail = `${r.status === 'loaded' ? 'loaded' : 'unchanged'}: ${r.instruments} instruments, ${r.events} dated facts${derived}`;
    deps.log.info(`registry ${files.registry}: ${detail}`);
    return {
      step: 'registry',
      file: files.registry,
      status: r.status === 'unchanged' && r.derivedVersions.length === 0 ? 'unchanged' : 'loaded',
      detail,
    };
  } catch (err) {
    const detail = (err as Error).message;
    deps.log.error(`registry ${files.registry}: ${detail}`);
    return { step: 'registry', file: files.registry, status: 'failed', detail };
  }
}
