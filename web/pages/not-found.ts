import { el } from '../dom.ts';
import { PAGES } from './index.ts';

/** An address the dashboard does not know: say so and offer the pages, instead of showing 总览. */
export async function renderNotFound(root: HTMLElement): Promise<void> {
  const asked = decodeURIComponent(location.hash.replace(/^#\/?/, '').split('?')[0] ?? '');
  root.append(
    el(
      'section',
      { class: 'card not-found', 'data-not-found': '' },
      el('h2', {}, '页面不存在'),
      el('p', {}, '地址 ', el('code', {}, `#/${asked}`), ' 不对应任何页面。可前往：'),
      el('ul', {}, ...PAGES.map((p) => el('li', {}, el('a', { href: `#/${p.path}` }, p.title)))),
    ),
  );
}
