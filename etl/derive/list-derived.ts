/**
 * Everything derived from a parsed list before it is loaded: per-field quality, the citations
 * and the fine clauses of every item's 实施依据. Pure: the loaders only write what this returns.
 */
import { basisRecords, type CitationRecord, type FineRecord } from '../legal/basis-records.ts';
import { listQuality, type FieldQuality } from '../parse/list-quality.ts';
import type { ParsedList } from '../parse/list-types.ts';

export interface DerivedList {
  quality: FieldQuality[];
  citations: CitationRecord[];
  fines: FineRecord[];
}

export function deriveList(parsed: ParsedList, sourceFile: string): DerivedList {
  return { quality: listQuality(parsed), ...basisRecords(parsed.items, sourceFile) };
}
