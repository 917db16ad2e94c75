import { POWER_TYPES } from '../etl/parse/list-types.ts';
import { el } from './dom.ts';
import { hrefFor, readRoute, type Params } from './hash.ts';

/**
 * The filter bar of a page. Every filter lives in the URL hash, so a reload or a shared link shows
 * the same view; changing one navigates to the new hash and the page redraws from it.
 */
export interface FilterSpec {
  /** Month range (from, to: YYYY-MM) within the data window. */
  months?: { min: string | null; max: string | null };
  sections?: readonly string[];
  types?: boolean;
  versions?: { id: number; name: string }[];
  /** Extra selects: name → [value, label][]. */
  extra?: Record<string, { label: string; options: [string, string][] }>;
}

export type FilterValues = Record<string, string | undefined>;

/** The page's current filter values, from the hash. */
export function filterValues(): FilterValues {
  return Object.fromEntries(readRoute().params);
}

/** Goes to the same page with some params changed (the router redraws it). */
export function navigate(patch: Params): void {
  const route = readRoute();
  const merged: Params = Object.fromEntries(route.params);
  Object.assign(merged, patch);
  location.hash = hrefFor([route.path, ...route.rest].join('/'), merged);
}

const select = (name: string, label: string, all: string, options: [string, string][], value: string | undefined) => {
  const s = el(
    'select',
    { name, 'aria-label': label, id: `filter-${name}` },
    el('option', { value: '' }, all),
    ...options.map(([v, l]) => el('option', v === value ? { value: v, selected: '' } : { value: v }, l)),
  ) as HTMLSelectElement;
  s.addEventListener('change', () => navigate({ [name]: s.value }));
  return el('label', {}, `${label} `, s);
};

export function filterBar(spec: FilterSpec, values: FilterValues = filterValues()): HTMLElement {
  const parts: HTMLElement[] = [];
  if (spec.months?.min) {
    const month = (name: 'from' | 'to', label: string) => {
      const input = el('input', {
        type: 'month',
        name,
        id: `filter-${name}`,
        'aria-label': label,
        min: spec.months!.min!,
        max: spec.months!.max ?? '',
        value: values[name] ?? '',
      }) as HTMLInputElement;
      input.addEventListener('change', () => navigate({ [name]: input.value }));
      return el('label', {}, `${label} `, input);
    };
    parts.push(month('from', '起始月份'), month('to', '截止月份'));
  }
  if (spec.sections) {
    // A section only case files name (e.g. unreadable) is still offered when the link asks for it.
    const names =
      values.section && !spec.sections.includes(values.section) ? [...spec.sections, values.section] : spec.sections;
    parts.push(
      select(
        'section',
        '承办机构',
        '全部承办机构',
        names.map((s) => [s, s]),
        values.section,
      ),
    );
  }
  if (spec.types)
    parts.push(
      select(
        'power_type',
        '权力类型',
        '全部类型',
        POWER_TYPES.map((t) => [t, t]),
        values.power_type,
      ),
    );
  if (spec.versions && spec.versions.length > 1)
    parts.push(
      select(
        'version',
        '清单版本',
        '最新版本',
        spec.versions.map((v) => [String(v.id), v.name]),
        values.version,
      ),
    );
  for (const [name, x] of Object.entries(spec.extra ?? {}))
    parts.push(select(name, x.label, `全部${x.label}`, x.options, values[name]));
  const active = ['from', 'to', 'section', 'power_type', 'version', ...Object.keys(spec.extra ?? {})].some(
    (k) => values[k],
  );
  if (active) {
    const clear = el('button', { type: 'button', id: 'filter-clear' }, '清除筛选');
    clear.addEventListener('click', () =>
      navigate({
        from: null,
        to: null,
        section: null,
        power_type: null,
        version: null,
        ...Object.fromEntries(Object.keys(spec.extra ?? {}).map((k) => [k, null])),
      }),
    );
    parts.push(clear);
  }
  return el('div', { class: 'filters card', role: 'search' }, ...parts);
}

/** A link that applies a filter to the page it is on. */
export function filterLink(text: string, patch: Params): HTMLElement {
  const a = el('a', { href: '#', class: 'filter-link' }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    navigate(patch);
  });
  return a;
}
