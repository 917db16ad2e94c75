import cron from 'node-cron';
import type { Log } from './log.ts';

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
