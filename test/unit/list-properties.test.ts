import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeaderRow } from '../../etl/parse/list-header.ts';
import { parseListText } from '../../etl/parse/list-text.ts';
import type { ParsedList } from '../../etl/parse/list-types.ts';
import { mergeFragments } from '../../etl/parse/text-merge.ts';
import { bundledText, profile } from '../helpers/bundled.ts';

/**
 * Page-break damage done on purpose to the bundled list: repeated rows and headers, shuffled and
 * re-split continuation rows, stray whitespace. Whatever is done, the same 80 items come out, nothing
 * is counted twice, and nothing crashes.
 */
const P = profile();
const LINES = bundledText().split('\n');
const base = parseListText(LINES.join('\n'), 'base.txt', P);
const HEADERS = LINES.filter((l) => isHeaderRow(l.split('\t')));
const isData = (l: string) => l.trim() !== '' && l.includes('\t') && !isHeaderRow(l.split('\t'));
const DATA = LINES.map((l, i) => ({ l, i }))
  .filter(({ l }) => isData(l))
  .map(({ i }) => i);
/** Line indexes of each item's rows (the first cell; line 276 is item 80 with a damaged 序号). */
const ROWS_OF = new Map<number, number[]>();
for (const it of base.items)
  ROWS_OF.set(
    it.seq,
    it.source_lines.map((l) => l - 1),
  );

/** What must not change: everything but line numbers. */
const shape = (p: ParsedList) =>
  p.items.map((it) => ({
    seq: it.seq,
    power_type: it.power_type,
    code: it.code,
    section: it.section,
    subject: it.subject,
    level: it.level,
    stages: it.stages,
    subs: it.sub_items.map((s) => s.name).sort(),
  }));
const parse = (lines: string[]) => parseListText(lines.join('\n'), 'mutated.txt', P);

describe('page-break damage leaves the parse unchanged', () => {
  it('a data row printed twice is kept once', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DATA), { minLength: 1, maxLength: 6 }), (picks) => {
        const lines = [...LINES];
        for (const i of [...new Set(picks)].sort((a, b) => b - a)) lines.splice(i + 1, 0, lines[i]!);
        const p = parse(lines);
        expect(shape(p)).toEqual(shape(base));
        expect(p.items.map((it) => it.basis)).toEqual(base.items.map((it) => it.basis));
      }),
      { numRuns: 40 },
    );
  });

  it('a header repeated anywhere between rows changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...DATA), fc.constantFrom(...HEADERS)), { minLength: 1, maxLength: 5 }),
        (picks) => {
          const lines = [...LINES];
          // A header keeps its own column layout: insert only one whose layout matches the page it lands on.
          for (const [i] of [...picks].sort((a, b) => b[0] - a[0])) {
            const pageHeader = [...lines.slice(0, i)].reverse().find((l) => isHeaderRow(l.split('\t')))!;
            lines.splice(i, 0, pageHeader);
          }
          expect(shape(parse(lines))).toEqual(shape(base));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('continuation rows of an item in any order give the same item', () => {
    const multi = [...ROWS_OF.entries()].filter(
      ([, rows]) =>
        rows.length > 1 &&
        rows.every((r, k) => k === 0 || LINES[r]!.split('\t').length === LINES[rows[0]!]!.split('\t').length),
    );
    fc.assert(
      fc.property(fc.constantFrom(...multi), fc.infiniteStream(fc.nat()), ([seq, rows], rnd) => {
        const order = [...rows];
        for (let k = order.length - 1; k > 0; k--) {
          const j = rnd.next().value % (k + 1);
          [order[k], order[j]] = [order[j]!, order[k]!];
        }
        const lines = [...LINES];
        // Move the row texts only among the item's own positions, so page headers stay where they are.
        const texts = order.map((r) => LINES[r]!);
        rows.forEach((r, k) => (lines[r] = texts[k]!));
        const p = parse(lines);
        const a = shape(p).find((x) => x.seq === seq)!;
        const b = shape(base).find((x) => x.seq === seq)!;
        expect({ ...a, code: a.code ?? null }).toEqual({ ...b, code: b.code ?? null });
        expect(p.items).toHaveLength(80);
        expect(p.items.reduce((n, it) => n + it.sub_items.length, 0)).toBe(
          base.items.reduce((n, it) => n + it.sub_items.length, 0),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('a long cell cut by a page break, with the cut text repeated, is merged once', () => {
    const single = [...ROWS_OF.entries()]
      .filter(([, rows]) => rows.length === 1 && LINES[rows[0]!]!.split('\t').length === 13)
      .map(([, r]) => r[0]!);
    fc.assert(
      fc.property(
        fc.constantFrom(...single),
        fc.double({ min: 0.2, max: 0.8, noNaN: true }),
        fc.integer({ min: 4, max: 12 }),
        (row, at, overlap) => {
          const cells = LINES[row]!.split('\t');
          const basis = cells[8]!;
          fc.pre(basis.length > 60);
          const cut = Math.floor(basis.length * at);
          // The merge recognises a repeated cut of at least four characters of text; wrap spaces do not count.
          fc.pre(!/\s/.test(basis.slice(cut, cut + overlap)));
          const first = [...cells];
          first[8] = basis.slice(0, cut + overlap);
          const rest = cells.map((c, k) => (k === 0 ? c : k === 8 ? basis.slice(cut) : ''));
          const lines = [...LINES];
          lines.splice(row, 1, first.join('\t'), rest.join('\t'));
          const p = parse(lines);
          const seq = Number(cells[0]) || 80;
          expect(p.items.find((it) => it.seq === seq)!.basis).toBe(mergeFragments([basis]));
          expect(shape(p)).toEqual(shape(base));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stray whitespace around cells changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...DATA),
            fc.integer({ min: 0, max: 12 }),
            fc.constantFrom(' ', '  ', '\u3000', ' \u00a0'),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (edits) => {
          const lines = [...LINES];
          for (const [i, col, ws] of edits) {
            const cells = lines[i]!.split('\t');
            if (col < cells.length) cells[col] = ws + cells[col]! + ws;
            lines[i] = cells.join('\t');
          }
          expect(shape(parse(lines))).toEqual(shape(base));
        },
      ),
      { numRuns: 40 },
    );
  });
});

/**
 * Items with a row that carries a full code other than the item's (item 64's line 228, …402400 0 under
 * …402300 0): only the names tie that row to the item, so noise in the name cells of these items can
 * make it a separate item with a repeated 序号 (序号重复) — the rule, not noise tolerance, decides.
 */
const OWN_CODE_ROWS = new Set(
  base.items
    .filter((it) =>
      it.source_lines.slice(1).some((l) => {
        const m = /116223\s+015664\s+38677P\s+\d{6}\s+(\d{6})\s+0/.exec(LINES[l - 1]!.split('\t')[4] ?? '');
        return m !== null && it.code !== null && !it.code.includes(`${m[1]!}0`, 24);
      }),
    )
    .flatMap((it) => it.source_lines.map((l) => l - 1)),
);

describe('noise in cells never crashes the parser', () => {
  it("finds the items with a row whose code is not the item's", () => {
    expect([...OWN_CODE_ROWS].map((i) => i + 1)).toEqual([225, 228, 229, 232, 233]);
  });

  it('any text in any cell but 序号 and the codes (and the names of an item with a row coded as its own) still gives 80 items', () => {
    const noise = fc.string({
      unit: fc.constantFrom(...'的一是不了人我在有他这为之大来以个中上们行政处罚许可其他监察大队股 ,.、;:0123456789'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...DATA), fc.constantFrom(1, 2, 3, 6, 7, 8, 9, 10, 11, 12), noise), {
          minLength: 1,
          maxLength: 30,
        }),
        (edits) => {
          const lines = [...LINES];
          for (const [i, col, text] of edits) {
            if (col === 1 && OWN_CODE_ROWS.has(i)) continue;
            const cells = lines[i]!.split('\t');
            if (col < cells.length) cells[col] = text;
            lines[i] = cells.join('\t');
          }
          const p = parse(lines);
          expect(p.items.map((it) => it.seq)).toEqual(base.items.map((it) => it.seq));
          for (const it of p.items)
            for (const s of it.sub_items) expect(s.source_lines.every((l) => it.source_lines.includes(l))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
