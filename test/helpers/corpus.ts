import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCsv } from '../../etl/load/case-synthetic.ts';
import type { CorpusContext } from '../fixtures/corpus/manifest.ts';
import { BUNDLED_LIST, BUREAU_FILE } from './bundled.ts';
import { ROOT } from './test-db.ts';

/** What the corpus files are built from: 1,000 valid synthetic rows of 2025, the bundled list, the v1 clean sheet. */
export async function corpusContext(): Promise<CorpusContext> {
  const dir = await mkdtemp(join(tmpdir(), 'quanze-corpus-ctx-'));
  try {
    const out = join(dir, 'good.csv');
    await writeSyntheticCsv({
      root: ROOT,
      listFile: BUNDLED_LIST,
      bureauFile: BUREAU_FILE,
      rows: 1000,
      seed: 'corpus',
      year: 2025,
      out,
    });
    const [header, ...good] = (await readFile(out, 'utf8')).trim().split('\n') as [string, ...string[]];
    return {
      header,
      good,
      listText: await readFile(BUNDLED_LIST, 'utf8'),
      sheetText: await readFile(join(ROOT, 'test/fixtures/reform/liangzhou-v1.csv'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
