/**
 * Citation and fine-clause records of a list's items, from each item's 实施依据 text: what the
 * database stores per list version. Pure; provenance is the item's source lines (the merged
 * basis text of an item no longer knows which of its rows each fragment came from).
 */
import { normalizeTitle, parseCitations, type Citation } from '../parse/citation.ts';
import { parseFineClauses } from '../parse/fine-clause.ts';
import type { FineClauseTable } from '../../db/schema.ts';

export interface BasisItem {
  seq: number;
  basis: string;
  source_lines: number[];
}

export interface CitationRecord {
  seq: number;
  citation_no: number;
  list_no: number | null;
  title: string;
  cited_title: string;
  /** normalizeTitle(cited_title): the key instrument titles and aliases are matched on. */
  title_key: string;
  title_quality: Citation['title_quality'];
  form: Citation['form'];
  notice_title: string | null;
  doc_numbers: string[];
  claimed_version_date: string | null;
  /** Every date stated, "2012-12-28 amended", as the citation gives them. */
  stated_dates: string[];
  articles: string[];
  passage: string;
  source_lines: number[];
}

/** A fine clause as stored per list version (fine_clause without its version key). */
export type FineRecord = Omit<FineClauseTable, 'bureau_id' | 'version_id'>;

/** Form names (《行政处罚决定书》) and certificates are documents handled, not legal basis. */
const FORM_NAME = /(?:证|表|书|函|凭证|目录)$/;

export function isBasisCitation(c: Citation): boolean {
  return c.role === 'basis' && (c.form !== 'plain' || !FORM_NAME.test(c.title));
}

export function basisRecords(
  items: readonly BasisItem[],
  source: string,
): { citations: CitationRecord[]; fines: FineRecord[] } {
  const citations: CitationRecord[] = [];
  const fines: FineRecord[] = [];
  for (const it of items) {
    const prov = { source, line: it.source_lines[0] ?? 0 };
    const found = parseCitations(it.basis, prov).citations.filter(isBasisCitation);
    found.forEach((c, i) => {
      const next = found[i + 1]?.offset ?? it.basis.length;
      const passage = it.basis
        .slice(c.offset, next)
        .replace(/\s*\d+\s*[.．、]\s*(?:根据\s*)?$/, '')
        .trim();
      citations.push({
        seq: it.seq,
        citation_no: i + 1,
        list_no: c.list_no,
        title: c.title,
        cited_title: c.cited_title,
        title_key: normalizeTitle(c.cited_title),
        title_quality: c.title_quality,
        form: c.form,
        notice_title: c.notice_title,
        doc_numbers: c.doc_numbers.map((d) => d.normalized ?? d.text),
        claimed_version_date: c.claimed_version_date,
        stated_dates: c.dates.filter((d) => d.iso !== null).map((d) => `${d.iso}${d.event ? ` ${d.event}` : ''}`),
        articles: c.articles.map((a) => a.text),
        passage,
        source_lines: it.source_lines,
      });
    });
    parseFineClauses(it.basis, prov).clauses.forEach((f, i) =>
      fines.push({
        seq: it.seq,
        clause_no: i + 1,
        kind: f.kind,
        min_yuan: f.min_yuan,
        max_yuan: f.max_yuan,
        min_multiple: f.min_multiple,
        max_multiple: f.max_multiple,
        base_key: f.base?.key ?? null,
        base: f.base?.text ?? null,
        per: f.per,
        target: f.target,
        condition: f.condition,
        clause_text: f.clause_text,
        source_lines: it.source_lines,
      }),
    );
  }
  return { citations, fines };
}
