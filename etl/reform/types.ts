/** What changed between two versions of a bureau's list (权责清单动态调整). */

export const CHANGE_KINDS = [
  'added',
  'removed',
  'merged',
  'split',
  'renamed',
  'retyped',
  'moved',
  'recoded',
  'basis_changed',
  'sub_items_added',
  'sub_items_removed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The UI's and the report's words for each kind. */
export const CHANGE_LABELS: Record<ChangeKind, string> = {
  added: '新增事项',
  removed: '取消事项',
  merged: '合并',
  split: '拆分',
  renamed: '名称变更',
  retyped: '权力类型调整',
  moved: '承办机构调整',
  recoded: '编码变更',
  basis_changed: '实施依据变化',
  sub_items_added: '子项增加',
  sub_items_removed: '子项减少',
};

/**
 * How an item of the old version was paired with one of the new: same code, similar name and
 * basis (see similarity.ts), or one's text contained in the other's (merges and splits).
 */
export type MatchMethod = 'code' | 'similarity' | 'containment';

export interface ReformChange {
  kind: ChangeKind;
  /** 序号 in the old version (several for a merge), none for an added item. */
  from_seqs: number[];
  /** 序号 in the new version (several for a split), none for a removed item. */
  to_seqs: number[];
  code_before: string | null;
  code_after: string | null;
  name_before: string | null;
  name_after: string | null;
  /** The value that changed, before and after (names, type, section, codes, citations, sub-items). */
  before: string | null;
  after: string | null;
  /** One line in Chinese saying what changed. */
  detail: string;
  method: MatchMethod | null;
  /** Match score in [0, 1]: 1 for a code match. */
  score: number | null;
}
