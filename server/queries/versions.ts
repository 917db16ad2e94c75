import type { Db } from '../../db/connect.ts';
import type { RowOf, TableSpec } from '../table-reply.ts';

export const LOADED_VERSIONS_SPEC = {
  version_id: 'int',
  label: 'string',
  source_file: 'string',
  source_kind: 'string',
  item_count: 'int',
  loaded_at: 'string',
} as const satisfies TableSpec;

/** The bureau's loaded list versions, oldest first, with when each was loaded. */
export async function loadedVersions(db: Db, bureauId: string): Promise<RowOf<typeof LOADED_VERSIONS_SPEC>[]> {
  const rows = await db.kysely
    .selectFrom('list_version')
    .select(['version_id', 'label', 'source_file', 'source_kind', 'item_count', 'loaded_at'])
    .where('bureau_id', '=', bureauId)
    .orderBy('version_id')
    .execute();
  return rows.map((r) => ({ ...r, loaded_at: new Date(r.loaded_at).toISOString() }));
}

export async function versionExists(db: Db, bureauId: string, { version }: { version: number }): Promise<boolean> {
  const found = await db.kysely
    .selectFrom('list_version')
    .select('version_id')
    .where('bureau_id', '=', bureauId)
    .where('version_id', '=', version)
    .executeTakeFirst();
  return found !== undefined;
}

/** The latest loaded version's id, or null before any list is loaded. */
export async function latestVersionId(db: Db, bureauId: string): Promise<number | null> {
  const latest = await db.kysely
    .selectFrom('latest_version')
    .select('version_id')
    .where('bureau_id', '=', bureauId)
    .executeTakeFirst();
  return latest?.version_id ?? null;
}

/** The latest version with the bureau's name, for the health check; undefined before any list is loaded. */
export async function latestLoad(db: Db, bureauId: string) {
  return db.kysely
    .selectFrom('list_version as v')
    .innerJoin('bureau as b', 'b.bureau_id', 'v.bureau_id')
    .select(['v.version_id', 'v.label', 'v.item_count', 'b.name as bureau_name'])
    .where('v.bureau_id', '=', bureauId)
    .orderBy('v.version_id', 'desc')
    .executeTakeFirst();
}
