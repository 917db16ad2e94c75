import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { itemLabel } from '../../etl/derive/item-label.ts';
import { STAGES } from '../../etl/parse/case-csv.ts';
import { spanKey, spanLabel } from '../../etl/timeliness/stage-labels.ts';

/** Item labels (a substitute for a flagged name), one item across versions, and the stage spans in case order. */
export const LABEL_SPEC = {
  seq: 'int',
  code: 'string',
  label: 'string',
  label_is_substitute: 'bool',
  name: 'string',
  name_quality: 'string',
  name_origin: 'string',
  power_type: 'string',
  section: 'string',
  main_basis: 'string',
} as const;

export const HISTORY_SPEC = {
  version_id: 'int',
  version_label: 'string',
  effective_date: 'string',
  seq: 'int',
  code: 'string',
  label: 'string',
  label_is_substitute: 'bool',
  name: 'string',
  power_type: 'string',
  section: 'string',
  sub_items: 'int',
  citations: 'string',
  matched_by: 'string',
} as const;

export const SPAN_SPEC = {
  span: 'string',
  span_from: 'string',
  span_to: 'string',
  span_label: 'string',
  span_order: 'int',
} as const;

/** Items of a version with their label, read in one query (first citation per item by a lateral join). */
export async function itemLabelRows(db: Db, bureauId: string, version: number) {
  const rows = await db.kysely
    .selectFrom('item as i')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('citation')
          .distinctOn(['bureau_id', 'version_id', 'seq'])
          .select(['bureau_id', 'version_id', 'seq', 'title', 'articles'])
          // Named, not only joined: a coordinator prunes the scan to the bureau's shard.
          .where('bureau_id', '=', bureauId)
          .where('version_id', '=', version)
          .orderBy('bureau_id')
          .orderBy('version_id')
          .orderBy('seq')
          .orderBy('citation_no')
          .as('c'),
      (j) =>
        j
          .onRef('c.bureau_id', '=', 'i.bureau_id')
          .onRef('c.version_id', '=', 'i.version_id')
          .onRef('c.seq', '=', 'i.seq'),
    )
    .select([
      'i.seq',
      sql<string | null>`coalesce(i.code, i.code_read)`.as('code'),
      'i.name',
      'i.name_quality',
      'i.name_origin',
      'i.power_type',
      'i.section',
      'i.basis',
      'c.title',
      'c.articles',
    ])
    .where('i.bureau_id', '=', bureauId)
    .where('i.version_id', '=', version)
    .orderBy('i.seq')
    .execute();
  return rows.map((r) => {
    const basis = { basis_title: r.title ?? null, basis_articles: r.articles ?? [], basis_text: r.basis };
    const { label, label_is_substitute } = itemLabel({
      seq: r.seq,
      name: r.name,
      name_quality: r.name_quality,
      power_type: r.power_type,
      ...basis,
    });
    const main = r.title ? `${r.title.replace(/^中华人民共和国/, '')}${r.articles?.[0] ?? ''}` : null;
    return {
      seq: r.seq,
      code: r.code,
      label,
      label_is_substitute,
      name: r.name,
      name_quality: r.name_quality,
      name_origin: r.name_origin,
      power_type: r.power_type,
      section: r.section,
      main_basis: main,
    };
  });
}

/** The item `seq` of a version in every loaded version: the same code, else the same readable name. */
export async function itemHistory(db: Db, bureauId: string, { version, seq }: { version: number; seq: number }) {
  const versions = await db.kysely
    .selectFrom('list_version')
    .select(['version_id', 'label', sql<string | null>`effective_date::text`.as('effective_date')])
    .where('bureau_id', '=', bureauId)
    .orderBy('version_id')
    .execute();
  const labelled = new Map(
    await Promise.all(
      versions.map(async (v) => [v.version_id, await itemLabelRows(db, bureauId, v.version_id)] as const),
    ),
  );
  const self = labelled.get(version)!.find((r) => r.seq === seq);
  const rows = [];
  if (self) {
    const extra = await db.kysely
      .selectFrom('item as i')
      .select([
        'i.version_id',
        'i.seq',
        sql<number>`(select count(*)::int from sub_item s where s.bureau_id = ${bureauId} and s.bureau_id = i.bureau_id and s.version_id = i.version_id and s.seq = i.seq)`.as(
          'sub_items',
        ),
        sql<
          string | null
        >`(select string_agg(c.title || coalesce(c.articles[1], ''), '；' order by c.citation_no) from citation c where c.bureau_id = ${bureauId} and c.bureau_id = i.bureau_id and c.version_id = i.version_id and c.seq = i.seq)`.as(
          'citations',
        ),
      ])
      .where('i.bureau_id', '=', bureauId)
      .execute();
    const more = new Map(extra.map((e) => [`${e.version_id}:${e.seq}`, e]));
    for (const v of versions) {
      const items = labelled.get(v.version_id)!;
      // The same item in another version: same code, else the same readable name.
      const byCode = self.code ? items.find((r) => r.code === self.code) : undefined;
      const byName = byCode ? undefined : items.find((r) => r.name === self.name && r.name_quality === 'ok');
      const hit = v.version_id === version ? self : (byCode ?? byName);
      if (!hit) continue;
      const e = more.get(`${v.version_id}:${hit.seq}`);
      rows.push({
        version_id: v.version_id,
        version_label: v.label,
        effective_date: v.effective_date,
        ...hit,
        sub_items: e?.sub_items ?? 0,
        citations: e?.citations ?? null,
        matched_by: v.version_id === version ? 'self' : byCode ? 'code' : 'name',
      });
    }
  }
  return rows;
}

/** Every forward stage span, ordered by where it starts, then where it ends: the order of the case file. */
export function stageSpans() {
  const spans = STAGES.flatMap((from, i) =>
    STAGES.slice(i + 1).map((to) => ({
      span: spanKey(from, to),
      span_from: from,
      span_to: to,
      span_label: spanLabel(from, to),
    })),
  );
  return spans.map((r, i) => ({ ...r, span_order: i + 1 }));
}
