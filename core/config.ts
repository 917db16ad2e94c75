import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the programs read from the environment, parsed once at the entry. */
export interface Config {
  /** Project root: bundled data, migrations and the web build are found from here. */
  root: string;
  databaseUrl: string | null;
  /** SHARD_URLS: the shard servers of a bureau-sharded deployment (DATABASE_URL is then the coordinator). */
  shardUrls: string[];
  dataDir: string;
  host: string;
  port: number;
  /** Bearer token for endpoints that change data; those endpoints refuse everything without it. */
  adminToken: string | null;
  /** node-cron expression for the scheduled ETL, in Asia/Shanghai time. */
  etlSchedule: string;
  listFile: string;
  /** The reviewed data files the ETL reads (bureau profile, registries, calendar, corrections). */
  files: DataFiles;
  webDir: string;
  /** Exports dropped here are loaded by the next ETL run, then moved to ../processed or ../failed. */
  inboxDir: string;
  /** Largest case upload POST /api/admin/cases accepts (UPLOAD_LIMIT_MB, default 200). */
  uploadLimitBytes: number;
}

/** Every data file the ETL reads, by role; all of them sit in one data folder (`data/`). */
export interface DataFiles {
  dir: string;
  /** The default bureau's profile: whose list is bundled, and whom requests without ?bureau= ask about. */
  bureau: string;
  /** Profiles of further bureaus (one JSON each, same form); optional. */
  bureausDir: string;
  registry: string;
  listMeta: string;
  holidays: string;
  timeLimits: string;
  correctionsDir: string;
}

export function dataFiles(dir: string): DataFiles {
  return {
    dir,
    bureau: join(dir, 'bureau.json'),
    bureausDir: join(dir, 'bureaus'),
    registry: join(dir, 'instruments.yaml'),
    listMeta: join(dir, 'lists', 'lists.yaml'),
    holidays: join(dir, 'holidays', 'cn.yaml'),
    timeLimits: join(dir, 'time-limits.yaml'),
    correctionsDir: join(dir, 'corrections'),
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const problems: string[] = [];
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be a port number, got "${env.PORT}"`);
  const url = env.DATABASE_URL?.trim() || null;
  if (url && !/^postgres(ql)?:\/\//.test(url)) problems.push(`DATABASE_URL must start with postgres://, got "${url}"`);
  const shardUrls = (env.SHARD_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of shardUrls)
    if (!/^postgres(ql)?:\/\//.test(u))
      problems.push(`SHARD_URLS must be comma-separated postgres:// URLs, got "${u}"`);
  if (shardUrls.length && !url) problems.push('SHARD_URLS needs DATABASE_URL: the coordinator database');
  const token = env.ADMIN_TOKEN?.trim() || null;
  if (token && token.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
  const schedule = env.ETL_SCHEDULE?.trim() || '0 2 * * *';
  if (schedule.split(/\s+/).length < 5) problems.push(`ETL_SCHEDULE must be a cron expression, got "${schedule}"`);
  const uploadMb = Number(env.UPLOAD_LIMIT_MB ?? '200');
  if (!(uploadMb > 0))
    problems.push(`UPLOAD_LIMIT_MB must be a positive number of megabytes, got "${env.UPLOAD_LIMIT_MB}"`);
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  const dataDir = resolve(ROOT, env.DATA_DIR?.trim() || '.data');
  return Object.freeze({
    root: ROOT,
    databaseUrl: url,
    shardUrls,
    dataDir,
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    adminToken: token,
    etlSchedule: schedule,
    listFile: resolve(ROOT, env.LIST_FILE?.trim() || 'data/lists/liangzhou.txt'),
    files: dataFiles(resolve(ROOT, 'data')),
    webDir: resolve(ROOT, 'dist/web'),
    inboxDir: resolve(dataDir, env.INBOX_DIR?.trim() || 'inbox'),
    uploadLimitBytes: Math.round(uploadMb * 1024 * 1024),
  });
}
