import cron from 'node-cron';
import type { Log } from '../core/log.ts';

export const TIMEZONE = 'Asia/Shanghai';

/**
 * Runs the ETL on a cron schedule in China time. A tick that arrives while a run is still going
 * is skipped and logged, never queued.
 */
export function scheduleEtl(expression: string, run: () => Promise<unknown>, log: Log): { stop(): void } {
  if (!cron.validate(expression)) throw new Error(`ETL_SCHEDULE "${expression}" is not a valid cron expression`);
  let running = false;
  const task = cron.schedule(
    expression,
    async () => {
      if (running) {
        log.warn('scheduled ETL skipped: the previous run is still going');
        return;
      }
      running = true;
      try {
        await run();
      } catch (err) {
        log.error(`scheduled ETL failed: ${(err as Error).message}`);
      } finally {
        running = false;
      }
    },
    { timezone: TIMEZONE },
  );
  return { stop: () => void task.stop() };
}

/**
 * The latest scheduled tick at or before `now` (minute resolution, Asia/Shanghai), looking back
 * at most `lookbackDays`; null when the expression has no tick in that window.
 */
export function previousTick(expression: string, now: Date, lookbackDays = 35): Date | null {
  const task = cron.createTask(expression, () => undefined, { timezone: TIMEZONE });
  try {
    let t = Math.floor(now.getTime() / 60_000) * 60_000;
    for (let i = 0; i < lookbackDays * 1440; i++, t -= 60_000) if (task.match(new Date(t))) return new Date(t);
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * Catch-up at start: true when a scheduled tick passed after the last recorded run. A database
 * that never ran has missed nothing: its first start-up run is an ordinary start.
 */
export function missedScheduledRun(expression: string, lastRunAt: Date | null, now: Date): boolean {
  if (lastRunAt === null) return false;
  const tick = previousTick(expression, now);
  return tick !== null && lastRunAt.getTime() < tick.getTime();
}
