/**
 * The one CSV cell writer. `csvField` quotes per RFC 4180 (data files read back by a program);
 * `spreadsheetCell` first neutralises what a spreadsheet would run as a formula (OWASP: a cell
 * starting with = + - @ TAB or CR gets a leading apostrophe) — for every file a person opens.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-3", "+1.5") is a value to a spreadsheet, not a formula: left as it is. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join('、') : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text a spreadsheet shows as written and never evaluates. */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** Undoes neutraliseFormula when a sheet this project wrote is read back. */
export function restoreFormulaText(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) && !PLAIN_NUMBER.test(s.slice(1)) ? s.slice(1) : s;
}

export function spreadsheetCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join('、') : String(v);
  return csvField(neutraliseFormula(s));
}
