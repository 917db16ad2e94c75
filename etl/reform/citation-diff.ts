/**
 * Compares the legal basis of an item in two versions by its citations: the instruments cited
 * (《》 titles, normalised) and the version each citation names (latest stated adoption/amendment
 * date, else its doc numbers). Text edits that leave the citations alone are reported separately.
 */
import { normalizeTitle, parseCitations } from '../parse/citation.ts';

export interface CitedVersion {
  title: string;
  /** 2010-12-20, or doc numbers (国务院令第586号) when no date is stated, or null. */
  version: string | null;
}

export interface BasisChange {
  added: string[];
  removed: string[];
  updated: { title: string; before: string | null; after: string | null }[];
  /** The text changed although the cited instruments and versions did not. */
  textOnly: boolean;
}

export function citedVersions(basis: string): Map<string, CitedVersion> {
  const out = new Map<string, CitedVersion>();
  for (const c of parseCitations(basis, { source: 'basis', line: 0 }).citations) {
    if (c.role !== 'basis') continue;
    const title = normalizeTitle(c.cited_title);
    const docs = c.doc_numbers.map((d) => d.normalized ?? d.text).join('、');
    const version = c.claimed_version_date ?? (docs || null);
    const prev = out.get(title);
    // Cited twice (different articles): keep the newest version named.
    if (!prev || (version !== null && (prev.version === null || version > prev.version)))
      out.set(title, { title, version });
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** null when the basis did not change at all. */
export function compareBasis(before: string, after: string): BasisChange | null {
  if (squash(before) === squash(after)) return null;
  const a = citedVersions(before);
  const b = citedVersions(after);
  const change: BasisChange = {
    added: [...b.keys()].filter((t) => !a.has(t)),
    removed: [...a.keys()].filter((t) => !b.has(t)),
    updated: [...a.values()]
      .filter((c) => b.has(c.title) && b.get(c.title)!.version !== c.version)
      .map((c) => ({ title: c.title, before: c.version, after: b.get(c.title)!.version })),
    textOnly: false,
  };
  change.textOnly = !change.added.length && !change.removed.length && !change.updated.length;
  return change;
}

export function describeBasisChange(c: BasisChange): string {
  const parts: string[] = [];
  if (c.added.length) parts.push(`新增依据 ${c.added.map((t) => `《${t}》`).join('、')}`);
  if (c.removed.length) parts.push(`删除依据 ${c.removed.map((t) => `《${t}》`).join('、')}`);
  for (const u of c.updated) parts.push(`《${u.title}》版本 ${u.before ?? '未注明'} → ${u.after ?? '未注明'}`);
  if (c.textOnly) parts.push('依据条文文字变化（引用的法规及版本未变）');
  return parts.join('；');
}
