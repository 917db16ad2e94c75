/**
 * Citations in a 实施依据 passage: 《title》, the parenthetical that follows it (dates with
 * their events, doc numbers), and the articles cited after it. The legal section checks these
 * against the instrument registry, so every date keeps the event it names and the text it
 * came from; nothing is completed from what we "know" about the law.
 */
import { parseChineseNumber } from './chinese-number.ts';
import type { Provenance } from './fine-clause.ts';

export type DateEvent = 'adopted' | 'promulgated' | 'effective' | 'amended' | 'revised' | 'issued';

export interface StatedDate {
  text: string;
  /** YYYY-MM-DD, YYYY-MM or YYYY as precise as the text is; null when the date is impossible. */
  iso: string | null;
  event: DateEvent | null;
  /** The words naming the event ("第二次修正", "起施行"), as written. */
  event_text: string | null;
  /** The instrument that made the change, when named: "关于修改〈中华人民共和国社会保险法〉的决定". */
  by: string | null;
  /** 第二次修正 → 2. */
  ordinal: number | null;
  doc_number: string | null;
}

export interface DocNumber {
  text: string;
  /** One spelling for matching: 国务院令第423号, 人社部发〔2019〕30号; null when truncated. */
  normalized: string | null;
  issuer: string | null;
  year: number | null;
  number: number | null;
}

export interface ArticleRef {
  text: string;
  article: number | null;
  /** 第十条之一 → 1. */
  sub: number | null;
  paragraph: number | null;
  item: number | null;
  offset: number;
}

export interface Citation {
  /** The title between 《》 as written, outer whitespace trimmed. */
  title: string;
  /** What is cited: X for 《关于印发〈X〉的通知》, otherwise the title itself. */
  cited_title: string;
  notice_title: string | null;
  form: 'plain' | 'notice' | 'interpretation';
  /** `cut`: the OCR cut the title (resolve it by doc number or unique prefix); `doc_number_only`: no title at all. */
  title_quality: 'ok' | 'cut' | 'doc_number_only';
  /** `mention`: a 《》 inside quoted law text or a form name (《行政处罚告知书》), not a basis. */
  role: 'basis' | 'mention';
  /** The list marker before the citation ("2.《…》" → 2). */
  list_no: number | null;
  note: string | null;
  doc_numbers: DocNumber[];
  dates: StatedDate[];
  /** Latest adoption/promulgation/amendment/revision date the citation states. */
  claimed_version_date: string | null;
  articles: ArticleRef[];
  /** For 全国人大常委会关于《X》第N条的解释: the interpreted law. */
  interprets: { title: string; article: number | null } | null;
  offset: number;
  source: string;
  line: number;
}

export interface CitationIssue {
  source: string;
  line: number;
  offset: number;
  value: string;
  message: string;
}

const NUMERALS = '0-9〇零一二两三四五六七八九十百千';
const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const r = parseChineseNumber(s);
  return r.ok ? r.value : null;
};

/** Title spelling used for matching: no whitespace, one kind of inner bracket and parens. */
export function normalizeTitle(title: string): string {
  return title
    .replace(/\s+/g, '')
    .replace(/[《》]/g, '')
    .replace(/[<＜〈]/g, '〈')
    .replace(/[>＞〉]/g, '〉')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

const NOTICE = /^(.*?关于(?:印发|颁发|发布|转发))〈?(.+?)〉?的通知$/;

const ISSUER_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^中华人民共和国/, ''],
  [/^人力资源和?社会保障部?$/, '人社部'],
  [/^劳动和?(?:社会)?保障部$/, '劳动保障部'],
];

function normalizeIssuer(raw: string): string {
  let issuer = raw;
  for (const [re, to] of ISSUER_ALIASES) issuer = issuer.replace(re, to);
  return issuer;
}

/** Walk back over the issuer's characters; a date or an event word ends the issuer. */
function issuerBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && /[\u4e00-\u9fa5、]/.test(text[start - 1]!)) start -= 1;
  return text.slice(start, end).replace(/^.*(?:日|年|修正|修订|通过|公布|发布|施行|根据|号)/, '');
}

/** Doc numbers in a note: 令 / 公告 numbers and bracketed numbers, brackets normalised to 〔〕. */
export function parseDocNumbers(text: string): DocNumber[] {
  const flat = text.replace(/\s+/g, '');
  const found: Array<DocNumber & { at: number }> = [];
  const order = new RegExp(`(令|公告)第?([${NUMERALS}]+)号`, 'g');
  for (let m = order.exec(flat); m; m = order.exec(flat)) {
    const issuer = normalizeIssuer(issuerBefore(flat, m.index));
    const n = num(m[2]);
    found.push({
      at: m.index,
      text: '',
      issuer: issuer || null,
      year: null,
      number: n,
      normalized: issuer && n !== null ? `${issuer}${m[1]}第${n}号` : null,
    });
    found[found.length - 1]!.text = flat.slice(m.index - issuer.length, m.index + m[0].length);
  }
  const bracket = /[〔[［(（【](\d{4})[〕\]］)）】](\d+)?(号)?/g;
  for (let m = bracket.exec(flat); m; m = bracket.exec(flat)) {
    let start = m.index;
    while (start > 0 && m.index - start < 8 && /[\u4e00-\u9fa5]/.test(flat[start - 1]!)) start -= 1;
    const prefix = flat.slice(start, m.index);
    if (prefix === '') continue;
    const n = m[2] !== undefined ? Number(m[2]) : null;
    found.push({
      at: start,
      text: flat.slice(start, m.index + m[0].length),
      issuer: prefix,
      year: Number(m[1]),
      number: n,
      normalized: n !== null ? `${prefix}〔${m[1]}〕${n}号` : null,
    });
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...d }) => d);
}

const DATE = /(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?/g;
const EVENTS: ReadonlyArray<[RegExp, DateEvent]> = [
  [/修正/, 'amended'],
  [/修订/, 'revised'],
  [/通过/, 'adopted'],
  [/施行/, 'effective'],
  [/公布|颁布/, 'promulgated'],
  [/发布|印发/, 'issued'],
];

function isoDate(y: string, m?: string, d?: string): string | null {
  if (m === undefined) return y;
  const mm = m.padStart(2, '0');
  if (d === undefined) return Number(m) >= 1 && Number(m) <= 12 ? `${y}-${mm}` : null;
  const dd = d.padStart(2, '0');
  const t = new Date(`${y}-${mm}-${dd}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.getUTCDate() === Number(d) && t.getUTCMonth() + 1 === Number(m)
    ? `${y}-${mm}-${dd}`
    : null;
}

/** Dates in `text`, each with the event named by the words that follow it. */
export function parseStatedDates(text: string): StatedDate[] {
  // "2002年国务院令364号": a bare year written before an order number dates the number, not a version.
  const matches = [...text.matchAll(DATE)].filter(
    (m) =>
      m[2] !== undefined ||
      !/^[\u4e00-\u9fa5、]{0,30}?令第?\s*[0-9〇零一二两三四五六七八九十百千]+\s*号/.test(
        text.slice(m.index + m[0].length),
      ),
  );
  const dates: StatedDate[] = matches
    .map((m, i) => {
      const end = m.index + m[0].length;
      const next = i + 1 < matches.length ? matches[i + 1]!.index : text.length;
      const phrase = text.slice(end, next).split(/[,，。;；]/)[0]!;
      const before = text.slice(Math.max(0, m.index - 1), m.index);
      const event = EVENTS.find(([re]) => re.test(phrase))?.[1] ?? null;
      const eventWord = event
        ? /第[一二三四五六七八九十]+次(?:修正|修订)|修正公布|(?:起)?施行|修正|修订|通过|公布|颁布|发布|印发/.exec(
            phrase,
          )
        : null;
      const docs = parseDocNumbers(phrase);
      return {
        text: before === '自' ? `自${m[0]}` : m[0],
        iso: isoDate(m[1]!, m[2], m[3]),
        event,
        event_text: eventWord ? eventWord[0] : null,
        by: /《(.+?)》/.exec(phrase)?.[1] ?? null,
        ordinal: num(/第([一二三四五六七八九十]+)次/.exec(eventWord?.[0] ?? '')?.[1]),
        doc_number: docs[0]?.normalized ?? null,
        // "2014年、2015年分别修订": a date followed only by a connector shares the next one's event.
        shared: event === null && /^\s*[、和及与]\s*$/.test(phrase),
      };
    })
    .map(({ shared, ...d }, i, all) =>
      shared && all[i + 1] ? { ...d, event: all[i + 1]!.event, event_text: all[i + 1]!.event_text } : d,
    );
  return dates;
}

const VERSION_EVENTS: ReadonlyArray<DateEvent | null> = [
  'adopted',
  'promulgated',
  'issued',
  'amended',
  'revised',
  null,
];

export function claimedVersionDate(dates: StatedDate[]): string | null {
  let latest: string | null = null;
  for (const d of dates) {
    if (d.iso !== null && VERSION_EVENTS.includes(d.event) && (latest === null || d.iso > latest)) latest = d.iso;
  }
  return latest;
}

/**
 * Where a row of the PDF ended inside a note or a title: a new numbered entry or a new 《 after
 * whitespace, an article's colon, or a tab. A note never holds these, so the cell was cut there.
 */
const ROW_CUT = /^(?:\s+(?:\d+\s*[.．、]\s*)?《|\s+\d+\s*[.．、]|\t|[:：])/;

/**
 * Index just past the bracket closing the note that opens at `open`; -1 when unclosed, or
 * -(cut + 2) when the note runs into the next row's text at `cut` before closing.
 */
function closeNote(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i]!;
    if (depth >= 1 && ROW_CUT.test(text.slice(i, i + 12))) return -(i + 2);
    if (ch === '(' || ch === '（') depth += 1;
    else if (ch === ')' || ch === '）') depth -= 1;
    // OCR sometimes closes the note with 〕 ("2012年2月6日〕第三条"); a real doc-number
    // bracket closes after a year, never after 日 or 号.
    else if (ch === '〕' && depth === 1 && /[日号]/.test(text[i - 1] ?? '')) depth = 0;
    if (depth === 0) return i + 1;
  }
  return -1;
}

/** Index just past the 》 matching the 《 at `open`; -1 when never closed; -(cut + 2) when cut at `cut`. */
function closeTitle(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    // A tab, a new 《, a numbered entry or (well into the title) whitespace before more words: the row ended.
    if (i > open && (text[i] === '\t' || text[i] === '《' || /^\s+\d+\s*[.．、]/.test(text.slice(i, i + 8))))
      return -(i + 2);
    if (i > open + 4 && /^\s+[\u4e00-\u9fa5]/.test(text.slice(i, i + 3))) return -(i + 2);
    if (text[i] === '《') depth += 1;
    else if (text[i] === '》' && --depth === 0) return i + 1;
  }
  return -1;
}

const INTERP_PREFIX = /(?:全国人(?:民代表)?大(?:会)?常(?:务)?委(?:员)?会)?关于\s*$/;
const INTERP_SUFFIX = /^\s*第([0-9〇零一二两三四五六七八九十百千]+)条的(?:司法)?解释/;
const ARTICLE = new RegExp(
  `第([${NUMERALS}]+)条(?:之([一二三四五六七八九十]+))?(?:第([${NUMERALS}]+)款)?(?:第([${NUMERALS}]+)项)?`,
  'g',
);
const GENERIC_TITLE = /^(?:本)?(?:条例|暂行办法|办法|规定|暂行规定|决定|通知|意见|细则|规程)$/;
const BOUNDARY_BEFORE = /[。；;"“”'’)）〕】》:：]\s*$/;

interface Head {
  start: number; // where the citation starts (the 《, or the 全国人大常委会关于 prefix)
  end: number; // end of title or note
  citation: Citation;
}

/**
 * A title whose opening 《 the OCR lost ("…经办规程的通知》(人社部发〔2014〕23号)第六条"): the note
 * after the orphan 》 still names the document by its number, so it becomes a citation with no
 * legible title, resolved by that number.
 */
function orphanNotes(
  text: string,
  heads: readonly Head[],
  provenance: Provenance,
  issue: (offset: number, value: string, message: string) => void,
): Head[] {
  const found: Head[] = [];
  for (const m of text.matchAll(/》\s*[(（]/g)) {
    if (heads.some((h) => m.index >= h.start && m.index < h.end)) continue;
    const at = m.index + m[0].length - 1;
    const noteEnd = closeNote(text, at);
    if (noteEnd < 0) continue;
    const note = text.slice(at + 1, noteEnd - 1);
    const doc_numbers = parseDocNumbers(note).filter((d) => d.normalized !== null);
    if (doc_numbers.length === 0) continue;
    issue(
      m.index,
      text.slice(Math.max(0, m.index - 20), noteEnd),
      'title lost its opening 《: named by its doc number only',
    );
    const dates = parseStatedDates(note);
    found.push({
      start: m.index,
      end: noteEnd,
      citation: {
        title: '',
        cited_title: '',
        title_quality: 'doc_number_only',
        notice_title: null,
        form: 'plain',
        role: 'basis',
        list_no: null,
        note,
        doc_numbers,
        dates,
        claimed_version_date: claimedVersionDate(dates),
        articles: [],
        interprets: null,
        offset: m.index,
        source: provenance.source,
        line: provenance.line,
      },
    });
  }
  return found;
}

/**
 * Every 《》 citation in a passage. Notes (the parenthetical after the title) are consumed
 * whole, so the amending decisions named inside them become `by` on a date, not citations.
 */
export function parseCitations(
  text: string,
  provenance: Provenance,
): { citations: Citation[]; issues: CitationIssue[] } {
  const issues: CitationIssue[] = [];
  const issue = (offset: number, value: string, message: string) =>
    issues.push({ source: provenance.source, line: provenance.line, offset, value, message });
  const heads: Head[] = [];

  for (let open = text.indexOf('《'); open !== -1; open = text.indexOf('《', open)) {
    let close = closeTitle(text, open);
    let titleCut = false;
    if (close === -1) {
      issue(open, text.slice(open, open + 30), 'title opened with 《 is never closed');
      break;
    }
    if (close < -1) {
      // The row ended inside the title: keep what was read, flagged, and go on after it.
      titleCut = true;
      close = -close - 2 + 1;
      issue(open, text.slice(open, close), 'title cut off where its row ends');
    }
    const title = text.slice(open + 1, close - 1).trim();
    // A cut title ends where the next row's text starts (maybe the next 《): scanning resumes there.
    let end = titleCut ? close - 1 : close;
    let note: string | null = null;
    // A note the cell cut off may have gone on to name later amendments: its dates stay, but
    // they do not say which version is cited.
    let noteCut = false;
    const noteOpen = titleCut ? null : /^\s*[(（]/.exec(text.slice(close));
    const interp = INTERP_PREFIX.exec(text.slice(Math.max(0, open - 20), open));
    const interpSuffix = interp ? INTERP_SUFFIX.exec(text.slice(close)) : null;
    let start = open;
    let prefixText = '';
    if (interp && interpSuffix) {
      start = open - interp[0].length;
      end = close + interpSuffix[0].length;
      // "根据2014年4月24日…通过关于《…》…": dates may precede the title in this form.
      const back = text.slice(0, start);
      const cut = Math.max(back.lastIndexOf('。'), back.search(/\d+[.．、]\s*[^.．、]*$/));
      prefixText = back.slice(Math.max(0, cut)).replace(/^[。\d.．、\s]+/, '');
    }
    const afterHead = titleCut ? null : /^\s*[(（]/.exec(text.slice(end));
    if (afterHead || (noteOpen && !interpSuffix)) {
      const at = end + (afterHead ?? noteOpen)![0].length - 1;
      const noteEnd = closeNote(text, at);
      if (noteEnd === -1) {
        issue(at, text.slice(at, at + 40), 'note opened with ( is never closed');
        note = text.slice(at + 1);
        end = text.length;
        noteCut = true;
      } else if (noteEnd < -1) {
        // The row ended inside the note: what follows is another row's text, not this note.
        const cut = -noteEnd - 2;
        issue(at, text.slice(at, cut), 'note cut off where its row ends');
        note = text.slice(at + 1, cut);
        end = cut;
        noteCut = true;
      } else {
        note = text.slice(at + 1, noteEnd - 1);
        end = noteEnd;
      }
    }
    const notice = NOTICE.exec(normalizeTitle(title));
    const form: Citation['form'] = interpSuffix ? 'interpretation' : notice ? 'notice' : 'plain';
    const dates = [...parseStatedDates(prefixText), ...(note ? parseStatedDates(note) : [])];
    for (const d of dates) if (d.iso === null) issue(open, d.text, `impossible date ${d.text}`);
    const doc_numbers = note ? parseDocNumbers(note) : [];
    for (const d of doc_numbers) if (d.normalized === null) issue(open, d.text, `doc number incomplete: ${d.text}`);
    if (note !== null && /令第?\s*$|[〔(（]\d{4}[〕)）]\s*$/.test(note))
      issue(open, note, 'note cut off after a doc number prefix');
    const markAt = start - prefixText.length;
    const listMark = /(\d+)\s*[.．、]\s*(?:根据\s*)?$/.exec(text.slice(Math.max(0, markAt - 8), markAt));
    const interpretedArticle = interpSuffix ? num(interpSuffix[1]) : null;
    heads.push({
      start,
      end,
      citation: {
        title: interpSuffix ? text.slice(start, close + interpSuffix[0].length).trim() : title,
        title_quality: titleCut ? 'cut' : 'ok',
        cited_title: interpSuffix
          ? text.slice(start, close + interpSuffix[0].length).trim()
          : notice
            ? notice[2]!
            : title,
        notice_title: notice ? title : null,
        form,
        role: 'mention',
        list_no: listMark ? Number(listMark[1]) : null,
        note,
        doc_numbers,
        dates,
        claimed_version_date: noteCut ? null : claimedVersionDate(dates),
        articles: [],
        interprets: interpSuffix ? { title, article: interpretedArticle } : null,
        offset: start,
        source: provenance.source,
        line: provenance.line,
      },
    });
    open = end;
  }
  heads.push(...orphanNotes(text, heads, provenance, issue));
  heads.sort((a, b) => a.start - b.start);

  // A citation is a basis when it carries a note, opens a numbered entry or the passage, or
  // is followed by an article; anything else is a 《》 inside quoted text or a form name.
  for (const h of heads) {
    const c = h.citation;
    const before = text.slice(0, h.start).trimEnd();
    // "《条例》第十四条" points back at an instrument named earlier, in its own words.
    if (GENERIC_TITLE.test(c.title)) continue;
    // An amending decision followed by 修正 belongs to a note whose start the cell lost.
    if (c.note === null && /^\s*(?:第[一二三四五六七八九十]+次)?(?:修正|修订)/.test(text.slice(h.end))) {
      issue(h.start, c.title, 'amending decision outside a note: the passage starts inside a cut-off citation');
      continue;
    }
    const leadsArticle = /^\s*第[0-9〇零一二两三四五六七八九十百千]+条/.test(text.slice(h.end));
    if (c.note !== null || c.form === 'interpretation' || c.list_no !== null || before === '' || leadsArticle)
      c.role = 'basis';
    else if (/^\s*["“]?\s*(?:根据)?\s*$/.test(before.slice(-2)) || /[。；;]$/.test(before)) c.role = 'basis';
  }

  const basis = heads.filter((h) => h.citation.role === 'basis');
  basis.forEach((h, i) => {
    const regionEnd = i + 1 < basis.length ? basis[i + 1]!.start : text.length;
    if (h.citation.form === 'interpretation') {
      const a = h.citation.interprets?.article ?? null;
      const t = INTERP_SUFFIX.exec(text.slice(h.citation.offset + h.citation.title.indexOf('》') + 1));
      if (t)
        h.citation.articles.push({
          text: `第${t[1]}条`,
          article: a,
          sub: null,
          paragraph: null,
          item: null,
          offset: h.start,
        });
    }
    for (const m of text.slice(h.end, regionEnd).matchAll(ARTICLE)) {
      const at = h.end + m.index;
      const prev = text.slice(h.end, at);
      const next = text.slice(at + m[0].length, at + m[0].length + 2);
      if (!(prev.trim() === '' || BOUNDARY_BEFORE.test(prev) || /^\s*[:：]/.test(next))) continue;
      h.citation.articles.push({
        text: m[0],
        article: num(m[1]),
        sub: num(m[2]),
        paragraph: num(m[3]),
        item: num(m[4]),
        offset: at,
      });
    }
  });
  return { citations: heads.map((h) => h.citation), issues };
}
