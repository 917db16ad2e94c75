import { fetchJson } from './api.ts';
import { el } from './dom.ts';
import { PAGES } from './pages/index.ts';

const nav = document.getElementById('nav')!;
const root = document.getElementById('page')!;

for (const p of PAGES) nav.append(el('a', { href: `#/${p.path}`, 'data-path': p.path }, p.title));

async function show() {
  const path = location.hash.replace(/^#\/?/, '').split('?')[0] || PAGES[0]!.path;
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0]!;
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.path === page.path);
  document.title = `${page.title} · 权责清单分析`;
  root.replaceChildren();
  root.dataset.state = 'loading';
  try {
    await page.render(root);
    root.dataset.state = 'ready';
  } catch (err) {
    root.append(el('p', { class: 'error' }, `加载失败：${(err as Error).message}`));
    root.dataset.state = 'error';
  }
}

window.addEventListener('hashchange', show);
fetchJson<{ bureau_name?: string; label?: string }>('/api/health')
  .then((h) => (document.getElementById('bureau')!.textContent = `${h.bureau_name ?? ''} · ${h.label ?? ''}`))
  .catch(() => undefined);
void show();
