import type { Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import type { BureauProfile, ParsedList } from '../parse/list-types.ts';
import { writeLegal } from './legal-load.ts';
import type { DerivedList } from '../derive/list-derived.ts';
import { insertRows } from '../../db/insert-rows.ts';
import type { StaleCorrection } from '../parse/apply-corrections.ts';
import { bureauRow } from './bureau-load.ts';
import { duplicateSeqMessage } from '../parse/seq-key.ts';

export interface ListLoadInput {
  profile: BureauProfile;
  parsed: ParsedList;
  /** What deriveList (etl/derive/list-derived.ts) made of `parsed`: written as it is. */
  derived: DerivedList;
  sourceFile: string;
  sourceKind: 'pdf_text' | 'clean_sheet';
  contentHash: string;
  label: string;
  /** The file's text, kept line by line so the 数据质量 page can show what the parser saw. */
  sourceText?: string;
  /** The bureau's corrections already applied to `parsed` (etl/parse/apply-corrections.ts), if any, and those that did not apply. */
  corrections?: { file: string; hash: string; stale: readonly StaleCorrection[] } | null;
}

export type ListLoadResult =
  | { status: 'loaded'; versionId: number; items: number; issues: number; staleCorrections: number }
  | { status: 'unchanged'; versionId: number; correctionsReapplied?: number; staleCorrections?: number };

/**
 * Loads a parsed list as a new version of the bureau's list, in one transaction: either every
 * item, sub-item and issue lands, or nothing does. A file already loaded (same hash) is a no-op.
 */
export async function loadList(db: Db, input: ListLoadInput): Promise<ListLoadResult> {
  const { profile, parsed } = input;
  const bureauId = profile.bureau_id;
  const duplicate = duplicateSeqMessage(parsed);
  if (duplicate) throw new Error(duplicate);
  return db.kysely.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('list_version')
      .select(['version_id', 'corrections_hash'])
      .where('bureau_id', '=', bureauId)
      .where('content_hash', '=', input.contentHash)
      .executeTakeFirst();
    if (existing) {
      // The list is loaded already; an edited corrections file is laid over it again in place.
      if (
        input.corrections !== undefined &&
        (existing.corrections_hash ?? null) !== (input.corrections?.hash ?? null)
      ) {
        const n = await overlayCorrections(tx, bureauId, existing.version_id, input);
        return {
          status: 'unchanged',
          versionId: existing.version_id,
          correctionsReapplied: n,
          staleCorrections: input.corrections?.stale.length ?? 0,
        };
      }
      return { status: 'unchanged', versionId: existing.version_id };
    }

    await tx
      .insertInto('bureau')
      .values(bureauRow(profile))
      .onConflict((oc) => oc.column('bureau_id').doUpdateSet(bureauRow(profile)))
      .execute();
    const { next } = await tx
      .selectFrom('list_version')
      .select((eb) => eb.fn.coalesce(eb.fn.max('version_id'), eb.lit(0)).as('next'))
      .where('bureau_id', '=', bureauId)
      .executeTakeFirstOrThrow();
    const versionId = Number(next) + 1;
    const key = { bureau_id: bureauId, version_id: versionId };
    await tx
      .insertInto('list_version')
      .values({
        ...key,
        label: input.label,
        source_file: input.sourceFile,
        source_kind: input.sourceKind,
        content_hash: input.contentHash,
        title: parsed.title,
        item_count: parsed.items.length,
        corrections_file: input.corrections?.file ?? null,
        corrections_hash: input.corrections?.hash ?? null,
      })
      .execute();
    await insertRows(
      tx,
      'item',
      parsed.items.map((it) => ({
        ...key,
        seq: it.seq,
        seq_origin: it.seq_origin,
        code: it.code,
        code_origin: it.code_origin,
        code_read: it.code_read,
        name: it.name,
        name_quality: it.name_quality,
        power_type: it.power_type,
        power_type_origin: it.power_type_origin,
        power_type_evidence: it.power_type_evidence,
        section: it.section,
        section_origin: it.section_origin,
        subject: it.subject,
        level: it.level,
        basis: it.basis,
        duties: it.duties,
        accountability: it.accountability,
        stages: it.stages,
        source_lines: it.source_lines,
        name_origin: it.name_origin ?? 'read',
        subject_origin: it.subject_origin ?? null,
        level_origin: it.level_origin ?? null,
        section_evidence: it.section_evidence ?? null,
        stages_origin: it.stages_origin ?? null,
      })),
    );
    const subs = parsed.items.flatMap((it) =>
      it.sub_items.map((s, i) => ({
        ...key,
        seq: it.seq,
        sub_no: i + 1,
        name: s.name,
        name_quality: s.name_quality,
        code: s.code,
        section: s.section,
        source_lines: s.source_lines,
        name_origin: s.name_origin ?? 'read',
        code_read: s.code_read ?? null,
        section_origin: s.section_origin ?? null,
      })),
    );
    await insertRows(tx, 'sub_item', subs);
    await insertRows(
      tx,
      'parse_issue',
      parsed.issues.map((p, i) => ({
        ...key,
        issue_no: i + 1,
        line: p.line,
        seq: p.seq,
        field: p.field,
        value: p.value,
        message: p.message,
        kind: p.kind,
        severity: p.severity,
      })),
    );
    await insertQuality(tx, bureauId, versionId, input);
    if (input.sourceText !== undefined) await insertSourceLines(tx, bureauId, versionId, input.sourceText);
    await writeLegal(tx, key, input.derived);
    return {
      status: 'loaded',
      versionId,
      items: parsed.items.length,
      issues: parsed.issues.length,
      staleCorrections: input.corrections?.stale.length ?? 0,
    };
  });
}

type Tx = Transaction<Database>;

async function insertSourceLines(tx: Tx, bureauId: string, versionId: number, text: string): Promise<void> {
  const lines = text
    .split(/\r?\n/)
    .map((t, i) => ({ bureau_id: bureauId, version_id: versionId, line: i + 1, text: t }));
  await insertRows(tx, 'list_source_line', lines);
}

/** Corrections applied and the per-field quality of a version (both replaced whole). */
async function insertQuality(
  tx: Tx,
  bureauId: string,
  versionId: number,
  { parsed, derived, corrections: given }: Pick<ListLoadInput, 'parsed' | 'derived' | 'corrections'>,
): Promise<number> {
  const key = { bureau_id: bureauId, version_id: versionId };
  await tx
    .deleteFrom('item_correction')
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .execute();
  await tx
    .deleteFrom('correction_stale')
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .execute();
  await insertRows(
    tx,
    'correction_stale',
    (given?.stale ?? []).map((s, i) => ({
      ...key,
      stale_no: i + 1,
      source_file: s.source,
      source_line: s.line,
      code: s.code,
      seq: s.seq,
      field: s.field,
      sub_no: s.sub_no,
      reads: s.reads,
      found: s.found,
      message: s.message,
    })),
  );
  await tx
    .deleteFrom('item_field_quality')
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .execute();
  const corrections = parsed.items.flatMap((it) =>
    (it.corrections ?? []).map((c) => ({
      ...key,
      seq: it.seq,
      field: c.field,
      sub_no: c.sub_no ?? 0,
      original: c.original,
      value: c.value,
      reason: c.reason,
      author: c.author,
      corrected_on: c.date,
      source_file: c.source,
      source_line: c.line,
    })),
  );
  await insertRows(tx, 'item_correction', corrections);
  const quality = derived.quality.map((q) => ({ ...key, ...q }));
  await insertRows(tx, 'item_field_quality', quality);
  return corrections.length;
}

/**
 * Lays a (changed) corrections file over a version already loaded: the correctable values of every
 * item and sub-item are set from `input.parsed` (parsed again and corrected), the corrections and
 * the field quality replaced. Text, codes of provenance and everything derived from them stay.
 */
async function overlayCorrections(tx: Tx, bureauId: string, versionId: number, input: ListLoadInput): Promise<number> {
  for (const it of input.parsed.items) {
    await tx
      .updateTable('item')
      .set({
        name: it.name,
        name_quality: it.name_quality,
        name_origin: it.name_origin ?? 'read',
        power_type: it.power_type,
        power_type_origin: it.power_type_origin,
        section: it.section,
        section_origin: it.section_origin,
        section_evidence: it.section_evidence ?? null,
        subject: it.subject,
        subject_origin: it.subject_origin ?? null,
        level: it.level,
        level_origin: it.level_origin ?? null,
        code: it.code,
        code_origin: it.code_origin,
        code_read: it.code_read,
      })
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', versionId)
      .where('seq', '=', it.seq)
      .execute();
    for (const [i, s] of it.sub_items.entries()) {
      await tx
        .updateTable('sub_item')
        .set({ name: s.name, name_quality: s.name_quality, name_origin: s.name_origin ?? 'read' })
        .where('bureau_id', '=', bureauId)
        .where('version_id', '=', versionId)
        .where('seq', '=', it.seq)
        .where('sub_no', '=', i + 1)
        .execute();
    }
  }
  if (input.sourceText !== undefined) {
    const have = await tx
      .selectFrom('list_source_line')
      .select('line')
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', versionId)
      .limit(1)
      .execute();
    if (!have.length) await insertSourceLines(tx, bureauId, versionId, input.sourceText);
  }
  await tx
    .updateTable('list_version')
    .set({ corrections_file: input.corrections?.file ?? null, corrections_hash: input.corrections?.hash ?? null })
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .execute();
  return insertQuality(tx, bureauId, versionId, input);
}
