/**
 * One colour per handling section, the same in every chart: the scale is built from the list's
 * sections (GET /api/items/labels, in list order) and colours never depend on what a chart holds.
 */
const PALETTE = [
  '#2f6db5',
  '#e07b24',
  '#3a9a5b',
  '#c0392b',
  '#8e5ec4',
  '#8c564b',
  '#d16ba5',
  '#7f7f7f',
  '#b5a82f',
  '#1aa3b8',
];
export const NO_SECTION = '未注明';
/** What case files carry when a case's section could not be read. */
export const UNREAD_SECTION = '(未识别)';

export interface SectionScale {
  domain: string[];
  range: string[];
}

export function sectionScale(sections: readonly string[]): SectionScale {
  const named = sections.filter((s) => s !== NO_SECTION && s !== UNREAD_SECTION);
  return {
    domain: [...named, NO_SECTION, UNREAD_SECTION],
    range: [...named.map((_, i) => PALETTE[i % PALETTE.length]!), '#b8c0c8', '#8c99a6'],
  };
}
