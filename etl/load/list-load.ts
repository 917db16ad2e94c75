import type { Db } from '../../server/db/connect.ts';
import type { BureauProfile, ParsedList } from '../parse/list-types.ts';
import { deriveLegal } from './legal-load.ts';

export interface ListLoadInput {
  profile: BureauProfile;
  parsed: ParsedList;
  sourceFile: string;
  sourceKind: 'pdf_text' | 'clean_sheet';
  contentHash: string;
  label: string;
}

export type ListLoadResult =
  | { status: 'loaded'; versionId: number; items: number; issues: number }
  | { status: 'unchanged'; versionId: number };

/**
 * Loads a parsed list as a new version of the bureau's list, in one transaction: either every
 * item, sub-item and issue lands, or nothing does. A file already loaded (same hash) is a no-op.
 */
export async function loadList(db: Db, input: ListLoadInput): Promise<ListLoadResult> {
  const { profile, parsed } = input;
  const bureauId = profile.bureau_id;
  return db.kysely.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('list_version')
      .select('version_id')
      .where('bureau_id', '=', bureauId)
      .where('content_hash', '=', input.contentHash)
      .executeTakeFirst();
    if (existing) return { status: 'unchanged', versionId: existing.version_id };

    await tx
      .insertInto('bureau')
      .values({ bureau_id: bureauId, name: profile.name, short_name: profile.short_name })
      .onConflict((oc) => oc.column('bureau_id').doUpdateSet({ name: profile.name, short_name: profile.short_name }))
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
      })
      .execute();
    if (parsed.items.length) {
      await tx
        .insertInto('item')
        .values(
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
          })),
        )
        .execute();
    }
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
      })),
    );
    if (subs.length) await tx.insertInto('sub_item').values(subs).execute();
    if (parsed.issues.length) {
      await tx
        .insertInto('parse_issue')
        .values(parsed.issues.map((p, i) => ({ ...key, issue_no: i + 1, line: p.line, seq: p.seq, field: p.field, value: p.value, message: p.message })))
        .execute();
    }
    await deriveLegal(tx, { bureauId, versionId, sourceFile: input.sourceFile, items: parsed.items });
    return { status: 'loaded', versionId, items: parsed.items.length, issues: parsed.issues.length };
  });
}
