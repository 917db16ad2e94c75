import type { IssueKind, IssueSeverity, ParseIssue } from './list-types.ts';

export interface IssueSummary {
  /** Issues per kind and severity, most frequent first. */
  counts: { kind: IssueKind; severity: IssueSeverity; issues: number }[];
  /** The first `limit` issues in line order, one line each: `file: on line N: field "value": message`. */
  first: string[];
  /** True when the list is incomplete (a truncated file): the load still happens, the caller says so. */
  truncated: boolean;
}

/** A summary of a parse's issues for a person at a terminal (what `etl load` should print). Pure. */
export function summariseIssues(issues: readonly ParseIssue[], limit = 10): IssueSummary {
  const counts = new Map<string, { kind: IssueKind; severity: IssueSeverity; issues: number }>();
  for (const i of issues) {
    const key = `${i.kind}/${i.severity}`;
    const c = counts.get(key) ?? { kind: i.kind, severity: i.severity, issues: 0 };
    c.issues += 1;
    counts.set(key, c);
  }
  const sorted = [...issues].sort((a, b) => a.line - b.line);
  return {
    counts: [...counts.values()].sort((a, b) => b.issues - a.issues || a.kind.localeCompare(b.kind)),
    first: sorted.slice(0, limit).map(formatIssue),
    truncated: issues.some((i) => i.kind === 'truncated'),
  };
}

export function formatIssue(i: ParseIssue): string {
  return `${i.source}: on line ${i.line}: ${i.field}${i.value ? ` "${i.value}"` : ''}: ${i.message}`;
}
