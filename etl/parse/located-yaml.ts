/**
 * Reads YAML keeping node positions, so schema errors can say "on line N: …" like any other
 * parser in this project. Shared by every reviewed YAML file: holiday calendar, time limits,
 * corrections, list dates and the instrument registry.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';

export interface YamlIssue {
  source: string;
  line: number;
  path: string;
  message: string;
}

export interface LocatedYaml {
  doc: Document.Parsed;
  /** 1-based line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: readonly PropertyKey[]): number;
}

export function readYaml(text: string, source: string): { yaml: LocatedYaml; issues: YamlIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 1;
  };
  const issues: YamlIssue[] = doc.errors.map((e) => ({
    source,
    line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
    path: '',
    message: e.message.split('\n')[0] ?? e.message,
  }));
  return { yaml: { doc, lineOf }, issues };
}

/** Turns zod issues into located messages. */
export function zodIssues(error: z.ZodError, yaml: LocatedYaml, source: string): YamlIssue[] {
  return error.issues.map((issue) => ({
    source,
    line: yaml.lineOf(issue.path),
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

export function formatYamlIssue(issue: YamlIssue): string {
  const where = issue.path ? ` (${issue.path})` : '';
  return `${issue.source} on line ${issue.line}${where}: ${issue.message}`;
}
