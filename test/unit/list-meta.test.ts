import { describe, expect, it } from 'vitest';
import { parseListMeta } from '../../etl/legal/list-meta.ts';

describe('list dates file', () => {
  it('names the line of an entry that breaks the rules', () => {
    const text =
      'lists:\n  - file: a.txt\n    label: A\n    list_date_basis: latest_cited_date\n  - file: b.txt\n    label: B\n    list_date: 2023-06-17\n    list_date_basis: stated\n';
    const r = parseListMeta(text, 'lists.yaml');
    expect(r).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^lists\.yaml on line 5 \(lists\.1\): a stated list_date needs a public source/)],
    });
  });

  it('reads a valid file', () => {
    const r = parseListMeta(
      'lists:\n  - { file: a.txt, label: A, list_date: 2023-06-17, list_date_basis: stated, verified: false }\n',
      'lists.yaml',
    );
    expect(r).toEqual({
      ok: true,
      lists: [{ file: 'a.txt', label: 'A', list_date: '2023-06-17', list_date_basis: 'stated', verified: false }],
    });
  });
});
