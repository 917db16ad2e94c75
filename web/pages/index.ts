import type { Route } from '../hash.ts';
import { renderFines } from './fines.ts';
import { renderItem } from './item.ts';
import { renderLegal } from './legal.ts';
import { renderNotFound } from './not-found.ts';
import { renderOverview } from './overview.ts';
import { renderProvince } from './province.ts';
import { renderReform } from './reform.ts';
import { renderTimeliness } from './timeliness.ts';
import { renderWorkload } from './workload.ts';
import { renderQuality } from './quality.ts';
import { renderRuns } from './runs.ts';

export interface Page {
  /** The hash route: #/<path>. */
  path: string;
  title: string;
  render(root: HTMLElement, route: Route): Promise<void>;
}

/** The dashboard's pages, in navigation order. */
export const PAGES: Page[] = [
  { path: 'overview', title: '总览', render: renderOverview },
  { path: 'workload', title: '工作量', render: renderWorkload },
  { path: 'timeliness', title: '办理时效', render: renderTimeliness },
  { path: 'legal', title: '法律依据', render: renderLegal },
  { path: 'fines', title: '罚款幅度', render: renderFines },
  { path: 'reform', title: '年度调整', render: renderReform },
  { path: 'quality', title: '数据质量', render: renderQuality },
  { path: 'runs', title: '运行记录', render: renderRuns },
];

/** The province view, in the navigation when more than one bureau is loaded (main.ts). */
export const PROVINCE: Page = { path: 'province', title: '省级汇总', render: renderProvince };

/** Routes outside the navigation: one item (#/items/N), the province view. */
export const ROUTES: Page[] = [...PAGES, { path: 'items', title: '事项详情', render: renderItem }, PROVINCE];

export const NOT_FOUND: Page = { path: '404', title: '页面不存在', render: renderNotFound };
