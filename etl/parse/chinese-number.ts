/**
 * Exact conversion of numbers as written in Chinese legal text: Arabic digits, Chinese
 * numerals, and mixes of the two ("2万", "1.5万", "二十万", "一千零五", "二〇一八").
 * Returns a value or a reason — never a guess: an amount we cannot read must not become 0.
 */

export type NumberResult = { ok: true; value: number } | { ok: false; reason: string };

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
/** Units below 万 multiply the digit before them; 万 and 亿 close a whole section. */
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** Characters that may appear inside a number; callers use it to cut numbers out of prose. */
export const NUMERAL_CLASS = '0-9０-９〇零一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿';

const fail = (reason: string): NumberResult => ({ ok: false, reason });

/** Full-width digits and points appear in OCR output; fold them to ASCII first. */
function foldWidth(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/．/g, '.');
}

/**
 * Multiply a decimal string by 10^exp exactly. Going through the string form avoids
 * binary floating error (1.1 * 10000 = 11000.000000000002).
 */
function scaleDecimal(digits: string, exp: number): number {
  return Number(`${digits}e${exp}`);
}

type Token =
  | { t: 'digit'; text: string }
  | { t: 'small'; unit: number; ch: string }
  | { t: 'big'; unit: number; ch: string };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const arabic = /^\d+(?:\.\d+)?/.exec(text.slice(i));
    if (arabic) {
      tokens.push({ t: 'digit', text: arabic[0] });
      i += arabic[0].length;
      continue;
    }
    if (ch in DIGITS) tokens.push({ t: 'digit', text: String(DIGITS[ch]) });
    else if (ch in SMALL_UNITS) tokens.push({ t: 'small', unit: SMALL_UNITS[ch]!, ch });
    else if (ch in BIG_UNITS) tokens.push({ t: 'big', unit: BIG_UNITS[ch]!, ch });
    else return `unexpected character "${ch}"`;
    i += 1;
  }
  return tokens;
}

/**
 * Parse a number written with Arabic digits, Chinese numerals or both.
 * "2万" → 20000, "二十万" → 200000, "一千五百" → 1500, "1,000" → 1000, "二〇一八" → 2018.
 */
export function parseChineseNumber(input: string): NumberResult {
  const text = foldWidth(input.trim()).replace(/(\d),(?=\d{3}\b|\d{3}\D)/g, '$1');
  if (text === '') return fail('empty number');
  if (/^\d+(?:\.\d+)?$/.test(text)) return { ok: true, value: Number(text) };

  const tokens = tokenize(text);
  if (typeof tokens === 'string') return fail(`${tokens} in "${input}"`);

  // A run of bare digits with no unit ("二〇一八") is read positionally, like a year.
  if (tokens.every((t) => t.t === 'digit' && /^\d$/.test(t.text))) {
    return { ok: true, value: Number(tokens.map((t) => (t as { text: string }).text).join('')) };
  }

  let total = 0;
  let section = 0;
  let pending: string | null = null; // digit text waiting for its unit
  let lastSmall = Infinity; // small units must strictly decrease inside a section
  let lastBig = Infinity;
  let zeroSeen = false;
  for (const tok of tokens) {
    if (tok.t === 'digit') {
      if (pending !== null && !(pending === '0' || zeroSeen)) {
        return fail(`two digits in a row without a unit in "${input}"`);
      }
      if (tok.text === '0') zeroSeen = true;
      pending = tok.text;
      continue;
    }
    if (tok.t === 'small') {
      if (tok.unit >= lastSmall) return fail(`unit ${tok.ch} out of order in "${input}"`);
      // "十五" / "二十万": a leading 十 means one ten.
      const digits = pending ?? (tok.unit === 10 && section === 0 ? '1' : null);
      if (digits === null) return fail(`unit ${tok.ch} without a digit in "${input}"`);
      if (digits.includes('.')) return fail(`decimal before a small unit in "${input}"`);
      section += scaleDecimal(digits, Math.log10(tok.unit));
      lastSmall = tok.unit;
      pending = null;
      zeroSeen = false;
      continue;
    }
    // Big unit: closes the section ("1.5万" keeps its decimal exactly).
    if (tok.unit >= lastBig) return fail(`unit ${tok.ch} out of order in "${input}"`);
    const exp = Math.log10(tok.unit);
    if (pending?.includes('.') && section === 0) {
      section = scaleDecimal(pending, exp);
    } else {
      if (pending?.includes('.')) return fail(`misplaced decimal in "${input}"`);
      section = scaleDecimal(String(section + Number(pending ?? 0)), exp);
    }
    if (section === 0) return fail(`unit ${tok.ch} without a digit in "${input}"`);
    total += section;
    section = 0;
    pending = null;
    lastSmall = Infinity;
    lastBig = tok.unit;
    zeroSeen = false;
  }
  if (pending !== null) {
    if (pending.includes('.')) return fail(`trailing decimal without a unit in "${input}"`);
    // "一千五" colloquially means 1500; legal text always writes "一千五百", so refuse to guess.
    if (!zeroSeen && lastSmall !== Infinity && lastSmall > 10) {
      return fail(`digit after ${lastSmall} has no unit in "${input}"`);
    }
    section += Number(pending);
  }
  const value = total + section;
  if (!Number.isFinite(value)) return fail(`not a finite number: "${input}"`);
  return { ok: true, value };
}

/** "2000元", "2万元", "五万元", "一千" → yuan. The 元 is optional; nothing else may follow. */
export function parseYuan(input: string): NumberResult {
  const text = input.trim().replace(/元$/, '');
  return parseChineseNumber(text);
}

/** "一倍", "3倍", "二倍" → the multiple. */
export function parseMultiple(input: string): NumberResult {
  const m = /^(.+?)倍$/.exec(input.trim());
  if (!m) return fail(`not a multiple (… 倍): "${input}"`);
  return parseChineseNumber(m[1]!);
}
