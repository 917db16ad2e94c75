import type { Db } from '../../db/connect.ts';
import { HttpError } from '../http-error.ts';
import { int4 } from './params.ts';
import { latestVersionId, versionExists } from '../queries/versions.ts';

/** Query-string schema fragment for endpoints that read one list version. */
export const versionSchema = { version: int4() } as const;

/** The list version a request reads: the one asked for, else the latest loaded. */
export async function resolveVersion(db: Db, bureauId: string, version?: number): Promise<number> {
  if (version !== undefined) {
    if (!(await versionExists(db, bureauId, { version }))) {
      throw new HttpError(404, `list version ${version} does not exist; GET /api/versions lists the loaded versions`);
    }
    return version;
  }
  const latest = await latestVersionId(db, bureauId);
  if (latest === null)
    throw new HttpError(503, 'no list loaded yet; run the ETL (npm run etl -- load) or wait for the scheduled run');
  return latest;
}
