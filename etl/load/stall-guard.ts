/**
 * A load that stops making progress must fail, not hang with its transaction and lock held.
 * The load ticks the guard as it goes (rows read, rejects written, each set-based step); when no
 * tick came for `stallMs`, `stalled` rejects with a message and `onStall` runs (it cuts the
 * database connection, so a wait inside the database ends too).
 */
export class LoadStalled extends Error {
  override name = 'LoadStalled';
}

export class StallGuard {
  private last = Date.now();
  private lastCheck = Date.now();
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private fail: (err: Error) => void = () => undefined;
  /** Rejects when the load stalls; never resolves. */
  readonly stalled: Promise<never>;
  step = 'starting';

  constructor(
    private readonly stallMs: number,
    private readonly what: string,
    private readonly onStall: () => void,
  ) {
    this.stalled = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.stalled.catch(() => undefined);
    // The interval also keeps the process alive while a load waits on something that is not an
    // open handle: a hang then ends in this error, never in a silent exit.
    this.intervalMs = Math.max(10, Math.min(1000, stallMs / 4));
    this.timer = setInterval(() => this.check(), this.intervalMs);
  }

  tick(step?: string): void {
    this.last = Date.now();
    if (step) this.step = step;
  }

  /** Runs `work` until it settles or the load stalls, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.stalled]);
  }

  /** True once the load stalled (or finished): a late step must not touch the database. */
  stopped = false;

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = Date.now();
    // A timer that fires late means this process was busy (a long synchronous step, a
    // collection, a starved machine), not stalled: that counts as progress.
    if (now - this.lastCheck > this.intervalMs * 2 + 1000) this.last = now;
    this.lastCheck = now;
    if (now - this.last < this.stallMs) return;
    this.stop();
    const err = new LoadStalled(
      `${this.what}: the load made no progress for ${Math.round(this.stallMs / 1000)} s (${this.step}); it was stopped and rolled back, nothing of it was kept. Run it again; if it stalls again, check the database (locks, disk) and the file`,
    );
    try {
      this.onStall();
    } finally {
      this.fail(err);
    }
  }
}
