import { renderOverview } from './overview.ts';

export interface Page {
  /** The hash route: #/<path>. */
  path: string;
  title: string;
  render(root: HTMLElement): Promise<void>;
}

/** The dashboard's pages, in navigation order. */
export const PAGES: Page[] = [{ path: 'overview', title: '总览', render: renderOverview }];
