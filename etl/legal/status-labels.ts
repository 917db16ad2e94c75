import type { CitationStatus } from './citation-status.ts';

/** Chinese names of citation statuses, shared by the review workbook and the dashboard. */
export const STATUS_LABEL: Record<CitationStatus, string> = {
  current: '现行有效',
  outdated: '已有新版本',
  repealed: '已废止',
  unknown: '未登记',
  undated: '未注明版本',
};
