/** Everything the reform report shows, computed from two versions' items. Pure. */
import type { ParsedItem } from '../parse/list-types.ts';
import { diffLists } from './diff.ts';
import { kindCounts, versionCounts, type CountRow } from './summary.ts';
import type { ReformChange } from './types.ts';

export interface VersionInfo {
  versionId: number;
  label: string;
  effectiveDate: string | null;
  title: string | null;
  items: ParsedItem[];
}

export interface ReformReport {
  bureau: string;
  from: VersionInfo;
  to: VersionInfo;
  changes: ReformChange[];
  counts: CountRow[];
  kinds: { kind: string; label: string; changes: number }[];
  generatedAt: Date;
}

export function buildReform(bureau: string, from: VersionInfo, to: VersionInfo, generatedAt: Date): ReformReport {
  const changes = diffLists(from.items, to.items);
  return {
    bureau,
    from,
    to,
    changes,
    counts: versionCounts(from.items, to.items),
    kinds: kindCounts(changes),
    generatedAt,
  };
}

/** "2024年版（第 2 版，2024-01-01 起施行）" */
export function versionTitle(v: VersionInfo): string {
  return `${v.label}（第 ${v.versionId} 版${v.effectiveDate ? `，${v.effectiveDate} 起施行` : ''}）`;
}

export const seqText = (seqs: readonly number[]) => seqs.join('、');
