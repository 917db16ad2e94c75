/**
 * Exports one loaded list version as the clean sheet (xlsx or CSV by the file's extension).
 * The file is written to a temporary name and renamed, so a failed export leaves no half file.
 */
import { rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Db } from '../../db/connect.ts';
import { cleanSheetRows } from './clean-sheet-rows.ts';
import { cleanSheetXlsx, rowsToCsv } from './sheet-write.ts';
import { readVersionList } from './version-list.ts';

export type SheetFormat = 'xlsx' | 'csv';

export function sheetFormatOf(path: string): SheetFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv') return 'csv';
  throw new Error(`${path}: the clean sheet is written as .xlsx or .csv; name the output file accordingly`);
}

/** The latest version, or the one asked for (an error naming the loaded versions otherwise). */
export async function pickVersion(db: Db, bureauId: string, version?: number): Promise<number> {
  const versions = (
    await db.kysely
      .selectFrom('list_version')
      .select('version_id')
      .where('bureau_id', '=', bureauId)
      .orderBy('version_id')
      .execute()
  ).map((v) => v.version_id);
  if (!versions.length) throw new Error('no list loaded yet; run `npm run etl -- load FILE` first');
  if (version === undefined) return versions.at(-1)!;
  if (!versions.includes(version))
    throw new Error(`list version ${version} does not exist; loaded versions: ${versions.join(', ')}`);
  return version;
}

export async function sheetBytes(
  db: Db,
  bureauId: string,
  versionId: number,
  format: SheetFormat,
  now: Date,
): Promise<Buffer> {
  const list = await readVersionList(db, bureauId, versionId);
  const rows = cleanSheetRows(list);
  return format === 'xlsx' ? cleanSheetXlsx(rows, now) : Buffer.from(rowsToCsv(rows));
}

export async function exportSheetFile(
  deps: { db: Db; now: () => Date },
  bureauId: string,
  out: string,
  version?: number,
): Promise<{ versionId: number; bytes: number }> {
  const format = sheetFormatOf(out);
  const versionId = await pickVersion(deps.db, bureauId, version);
  const bytes = await sheetBytes(deps.db, bureauId, versionId, format, deps.now());
  const tmp = `${out}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, out);
  return { versionId, bytes: bytes.length };
}
