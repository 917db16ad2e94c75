/** Number and range formats of the dashboard: amounts with thousands separators, proper ranges. */
const nf = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

export const num = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : nf.format(Number(v)));

/** "2,000–20,000 元", "≤ 50,000 元", "≥ 1,000 元", or null when neither end is known. */
export function range(min: unknown, max: unknown, unit: string): string | null {
  const lo = min === null || min === undefined ? null : Number(min);
  const hi = max === null || max === undefined ? null : Number(max);
  if (lo === null && hi === null) return null;
  if (lo === null || lo === 0) return hi === null ? `≥ 0 ${unit}` : `≤ ${nf.format(hi)} ${unit}`;
  if (hi === null) return `≥ ${nf.format(lo)} ${unit}`;
  return lo === hi ? `${nf.format(lo)} ${unit}` : `${nf.format(lo)}–${nf.format(hi)} ${unit}`;
}

export const pct = (v: unknown) => (v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

/** A list version's name: its label, or "第N版" when the label is a file stem (e.g. liangzhou). */
export function versionName(label: unknown, id: unknown): string {
  const s = String(label ?? '');
  return /[\u4e00-\u9fff]/.test(s) ? s : `第${id}版清单`;
}
