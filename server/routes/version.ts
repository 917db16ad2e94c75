import type { Db } from '../../db/connect.ts';
import { HttpError } from '../http-error.ts';

/** Query-string schema fragment for endpoints that read one list version. */
export const versionSchema = { version: { type: 'integer', minimum: 1 } } as const;

/** The list version a request reads: the one asked for, else the latest loaded. */
export async function resolveVersion(db: Db, bureauId: string, version?: number): Promise<number> {
  if (version !== undefined) {
    const found = await db.kysely
      .selectFrom('list_version')
      .select('version_id')
      .where('bureau_id', '=', bureauId)
      .where('version_id', '=', version)
      .executeTakeFirst();
    if (!found) throw new HttpError(404, `list version ${version} does not exist; GET /api/versions lists the loaded versions`);
    return version;
  }
  const latest = await db.kysely.selectFrom('latest_version').select('version_id').where('bureau_id', '=', bureauId).executeTakeFirst();
  if (!latest) throw new HttpError(503, 'no list loaded yet; run the ETL (npm run etl -- load) or wait for the scheduled run');
  return latest.version_id;
}
