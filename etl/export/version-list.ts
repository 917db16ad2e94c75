/** Reads one loaded list version back from the database in the parser's shape (ParsedItem). */
import type { Db } from '../../db/connect.ts';
import type { NameQuality, ParsedItem, PowerType, ValueOrigin } from '../parse/list-types.ts';

export interface VersionList {
  versionId: number;
  label: string;
  title: string | null;
  sourceFile: string;
  items: ParsedItem[];
}

export async function readVersionList(db: Db, bureauId: string, versionId: number): Promise<VersionList> {
  const version = await db.kysely
    .selectFrom('list_version')
    .select(['label', 'title', 'source_file'])
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .executeTakeFirstOrThrow();
  const items = await db.kysely
    .selectFrom('item')
    .selectAll()
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .orderBy('seq')
    .execute();
  const subs = await db.kysely
    .selectFrom('sub_item')
    .selectAll()
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', versionId)
    .orderBy('seq')
    .orderBy('sub_no')
    .execute();
  const bySeq = new Map<number, ParsedItem>();
  const out = items.map((i): ParsedItem => {
    const it: ParsedItem = {
      seq: i.seq,
      seq_origin: i.seq_origin as ValueOrigin,
      name: i.name,
      name_quality: i.name_quality as NameQuality,
      power_type: i.power_type as PowerType | null,
      power_type_origin: i.power_type_origin as ValueOrigin | null,
      power_type_evidence: i.power_type_evidence as ParsedItem['power_type_evidence'],
      code: i.code,
      code_origin: i.code_origin as ValueOrigin | null,
      code_read: i.code_read,
      code_partial: i.code === null,
      section: i.section,
      section_origin: i.section_origin as ValueOrigin | null,
      subject: i.subject,
      level: i.level,
      basis: i.basis,
      duties: i.duties,
      accountability: i.accountability,
      stages: i.stages,
      sub_items: [],
      source_lines: i.source_lines,
    };
    bySeq.set(it.seq, it);
    return it;
  });
  for (const s of subs) {
    bySeq.get(s.seq)?.sub_items.push({
      name: s.name,
      name_quality: s.name_quality as NameQuality,
      code: s.code,
      code_read: s.code_read,
      section: s.section,
      source_lines: s.source_lines,
    });
  }
  return { versionId, label: version.label, title: version.title, sourceFile: version.source_file, items: out };
}
