/**
 * The progress bar of long CLI loads (rows, rate, ETA), on stderr so stdout stays clean for
 * scripts. Only the CLI and the benchmark use it; the server and the tests load silently.
 */
import cliProgress from 'cli-progress';
import type { CaseLoadProgress } from './case-load.ts';

export function caseLoadProgressBar(label: string): { onProgress: (p: CaseLoadProgress) => void; stop(): void } {
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  return {
    onProgress(p) {
      if (!begun) {
        bar.start(p.totalBytes || 1, 0, { rows: 0, rate: 0 });
        begun = true;
      }
      const secs = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(p.bytes, { rows: p.rows.toLocaleString('en'), rate: Math.round(p.rows / secs).toLocaleString('en') });
    },
    stop: () => bar.stop(),
  };
}
