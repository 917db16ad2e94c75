import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { tableCache } from './case-filters.ts';
import { fineComplianceRoutes } from './fine-compliance.ts';
import { timelinessRoutes } from './timeliness.ts';
import { volumeRoutes } from './volumes.ts';

/**
 * Case volumes, stage timeliness and fine compliance, sharing one answer cache. Every answer comes
 * from the summary tables refreshed by etl/load/case-aggregates.ts; nothing here reads case_record.
 */
export function caseRoutes(app: FastifyInstance, deps: AppDeps) {
  const table = tableCache(deps.db);
  volumeRoutes(app, deps, table);
  timelinessRoutes(app, deps, table);
  fineComplianceRoutes(app, deps, table);
}
