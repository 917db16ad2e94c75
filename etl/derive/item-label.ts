/**
 * The label an item is shown under. A name the parser could read (or a reviewer corrected) is its
 * own label; a name flagged scrambled or truncated is replaced by a substitute built only from
 * facts the list states elsewhere: the item's number, its power type and its main legal basis
 * (the first cited instrument and article). Nothing is guessed: a missing part is left out.
 */
export interface LabelInput {
  seq: number;
  name: string;
  name_quality: string;
  power_type: string | null;
  /** Title of the item's first citation as written, without 《》. */
  basis_title: string | null;
  /** Articles of that citation ("第八十四条"), in order. */
  basis_articles: readonly string[];
  /** The item's 实施依据 text, for an article when no citation was resolved. */
  basis_text: string;
}

export interface ItemLabel {
  label: string;
  label_is_substitute: boolean;
}

/** "中华人民共和国劳动合同法" is cited everywhere as 劳动合同法. */
const shortTitle = (title: string) => title.replace(/^中华人民共和国/, '').trim();

const ARTICLE_RE = /第[〇零一二三四五六七八九十百千0-9]+条/;

export function mainBasis(input: Pick<LabelInput, 'basis_title' | 'basis_articles' | 'basis_text'>): string | null {
  if (input.basis_title) return `${shortTitle(input.basis_title)}${input.basis_articles[0] ?? ''}`;
  const article = ARTICLE_RE.exec(input.basis_text)?.[0];
  return article ? `实施依据${article}` : null;
}

export function itemLabel(input: LabelInput): ItemLabel {
  if (input.name_quality === 'ok' && input.name.trim()) return { label: input.name, label_is_substitute: false };
  const parts = [`第${input.seq}项`, input.power_type ?? '权力类型未读出', mainBasis(input) ?? '实施依据未读出'];
  return { label: parts.join(' · '), label_is_substitute: true };
}
