import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBureauProfile } from '../../etl/parse/bureau-profile.ts';
import { ROOT } from './test-db.ts';

export const BUNDLED_LIST = join(ROOT, 'data/lists/liangzhou.txt');
export const BUREAU_FILE = join(ROOT, 'data/bureau.json');
export const bundledText = () => readFileSync(BUNDLED_LIST, 'utf8');
export const profile = () => parseBureauProfile(readFileSync(BUREAU_FILE, 'utf8'), BUREAU_FILE);
