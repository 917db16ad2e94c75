import { fetchJson } from './api.ts';
import { el } from './dom.ts';
import { versionName } from './format.ts';
import { hrefFor, param, readRoute } from './hash.ts';
import { NOT_FOUND, PAGES, PROVINCE, ROUTES } from './pages/index.ts';

const nav = document.getElementById('nav')!;
const root = document.getElementById('page')!;
const printHead = document.getElementById('print-head')!;
let header = { bureau: '', version: '' };

for (const p of PAGES) nav.append(el('a', { href: `#/${p.path}`, 'data-path': p.path }, p.title));

/** Several bureaus loaded: the province view joins the navigation and a picker chooses the bureau the pages show. */
fetchJson<{ bureau_id: string; short_name: string }[]>('/api/bureaus?format=json')
  .then((bureaus) => {
    if (bureaus.length < 2) return;
    nav.prepend(el('a', { href: `#/${PROVINCE.path}`, 'data-path': PROVINCE.path }, PROVINCE.title));
    const picker = el(
      'select',
      { id: 'bureau-picker', 'aria-label': '选择局' },
      ...bureaus.map((b) => el('option', { value: b.bureau_id }, b.short_name)),
    ) as HTMLSelectElement;
    picker.value = param('bureau') ?? '';
    if (!picker.value) picker.selectedIndex = -1;
    picker.addEventListener('change', () => {
      const route = readRoute();
      location.hash = hrefFor([route.path || PAGES[0]!.path, ...route.rest].join('/'), {
        ...Object.fromEntries(route.params),
        bureau: picker.value,
      });
    });
    document.querySelector('header.top')!.insertBefore(el('label', { class: 'bureau-picker' }, '局：', picker), nav);
    void show();
  })
  .catch(() => undefined);

/** The printed page's header line: bureau, list version, page and date. */
function setPrintHead(title: string) {
  const date = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(new Date());
  printHead.textContent = [header.bureau, header.version, title, `打印日期：${date}`].filter(Boolean).join(' · ');
}

let rendering = 0;
async function show() {
  const route = readRoute();
  const path = route.path || PAGES[0]!.path;
  const page = ROUTES.find((p) => p.path === path) ?? NOT_FOUND;
  const run = ++rendering;
  for (const a of nav.querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.path === page.path);
    // Links keep the chosen bureau.
    a.setAttribute('href', hrefFor(a.dataset.path!));
  }
  void fetchJson<{ bureau_name?: string; label?: string; version?: number }>('/api/health').then(
    showHeader,
    () => undefined,
  );
  document.title = `${page.title} · 权责清单分析`;
  setPrintHead(page.title);
  // The same page with other filters keeps showing until the new view is ready; another page starts blank.
  if (root.dataset.page === page.path && root.dataset.state === 'ready') root.classList.add('busy');
  else
    root.replaceChildren(el('p', { class: 'loading', role: 'status' }, el('span', { class: 'spinner' }), '正在加载…'));
  root.dataset.state = 'loading';
  root.dataset.page = page.path;
  const body = el('div', { class: 'page-body' });
  try {
    await page.render(body, route);
    if (run !== rendering) return;
    root.replaceChildren(body);
    root.classList.remove('busy');
    // Charts size themselves to their container once laid out (ResizeObserver): wait one frame.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    if (run !== rendering) return;
    root.querySelector('[data-scroll-into-view]')?.scrollIntoView({ block: 'start' });
    root.dataset.state = 'ready';
  } catch (err) {
    if (run !== rendering) return;
    root.classList.remove('busy');
    root.replaceChildren(
      el('p', { class: 'error' }, '加载失败：', el('span', { class: 'raw', lang: 'en' }, (err as Error).message)),
    );
    root.dataset.state = 'error';
  }
}

/** The header names the bureau and list version the pages show (the chosen bureau's). */
function showHeader(h: { bureau_name?: string; label?: string; version?: number }) {
  header = { bureau: h.bureau_name ?? '', version: h.version ? versionName(h.label, h.version) : '' };
  document.getElementById('bureau')!.textContent = [header.bureau, header.version].filter(Boolean).join(' · ');
  setPrintHead(document.title.split(' · ')[0] ?? '');
}

window.addEventListener('hashchange', () => void show());
void show();
