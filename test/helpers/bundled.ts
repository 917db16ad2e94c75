import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFiles } from '../../core/config.ts';
import { parseBureauProfile } from '../../etl/parse/bureau-profile.ts';
import { ROOT } from './test-db.ts';

export const BUNDLED_LIST = join(ROOT, 'data/lists/liangzhou.txt');
/** The repository's data files, as `npm start` reads them. */
export const BUNDLED_FILES = dataFiles(join(ROOT, 'data'));
export const BUREAU_FILE = BUNDLED_FILES.bureau;
/** The ETL configuration of `npm start`: the bundled list and data files. */
export const BUNDLED_CONFIG = { listFile: BUNDLED_LIST, files: BUNDLED_FILES };
export const bundledText = () => readFileSync(BUNDLED_LIST, 'utf8');
export const profile = () => parseBureauProfile(readFileSync(BUREAU_FILE, 'utf8'), BUREAU_FILE);
