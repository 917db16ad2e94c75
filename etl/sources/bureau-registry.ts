/**
 * The bureaus a database knows: the default one (data/bureau.json), profiles kept beside it
 * (data/bureaus/*.json), and bureaus created at load time (stored with their profile in the
 * bureau table). `--bureau ID` picks one of them, or creates it when a name is given.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataFiles } from '../../core/config.ts';
import type { Db } from '../../db/connect.ts';
import { parseBureauProfile } from '../parse/bureau-profile.ts';
import type { BureauProfile } from '../parse/list-types.ts';

export interface BureauChoice {
  /** The bureau's id (its unified social credit code); default: the configured bureau. */
  id?: string;
  /** Name of a bureau to create when no profile or database row knows the id. */
  name?: string;
  /** Already resolved (e.g. by the coordinator of a sharded deployment): used as it is. */
  profile?: BureauProfile;
}

const CREDIT_CODE = /^[0-9A-Z]{18}$/;

async function profileFiles(files: Pick<DataFiles, 'bureau' | 'bureausDir'>): Promise<BureauProfile[]> {
  const paths = [files.bureau];
  try {
    for (const n of (await readdir(files.bureausDir)).filter((n) => n.endsWith('.json')).sort())
      paths.push(join(files.bureausDir, n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return Promise.all(paths.map(async (p) => parseBureauProfile(await readFile(p, 'utf8'), p)));
}

export async function resolveBureau(
  db: Db,
  files: Pick<DataFiles, 'bureau' | 'bureausDir'>,
  choice: BureauChoice = {},
): Promise<BureauProfile> {
  if (choice.profile) return choice.profile;
  const profiles = await profileFiles(files);
  if (choice.id === undefined) return profiles[0]!;
  const fromFile = profiles.find((p) => p.bureau_id === choice.id);
  if (fromFile) return fromFile;
  const row = await db.kysely
    .selectFrom('bureau')
    .select(['profile'])
    .where('bureau_id', '=', choice.id)
    .executeTakeFirst();
  if (row?.profile)
    return parseBureauProfile(
      typeof row.profile === 'string' ? row.profile : JSON.stringify(row.profile),
      `bureau ${choice.id} (database)`,
    );
  if (!CREDIT_CODE.test(choice.id))
    throw new Error(`--bureau "${choice.id}" is not a unified social credit code (18 digits and capital letters)`);
  if (!choice.name) {
    const known = [...new Set([...profiles.map((p) => p.bureau_id), ...(await knownBureaus(db))])];
    throw new Error(
      `bureau ${choice.id} is not known (known: ${known.join(', ')}); to create it give its name: --bureau-name 某某区人力资源和社会保障局`,
    );
  }
  // A new bureau: its sections are learnt from its lists (a clean sheet's 承办机构 are kept as read).
  return {
    bureau_id: choice.id,
    credit_code: choice.id,
    name: choice.name,
    short_name: choice.name,
    sections: [],
    levels: [],
    power_type_segments: {},
  };
}

async function knownBureaus(db: Db): Promise<string[]> {
  return (await db.kysely.selectFrom('bureau').select('bureau_id').orderBy('bureau_id').execute()).map(
    (r) => r.bureau_id,
  );
}
