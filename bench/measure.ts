/** Shared timing for benchmarks: run a function repeatedly for a while, report the best rate. */

export interface Rate {
  /** Work items per second (items as the caller counts them). */
  perSecond: number;
  /** Milliseconds of the fastest single run. */
  bestMs: number;
}

/**
 * Calls `run` (which processes `items` items) until `minMs` have passed and at least
 * `minRuns` runs are done; the rate is taken from the fastest run, the usual way to
 * keep scheduler noise out of a throughput figure.
 */
export function measure(run: () => void, items: number, options: { minMs?: number; minRuns?: number } = {}): Rate {
  const minMs = options.minMs ?? 1000;
  const minRuns = options.minRuns ?? 3;
  run(); // warm-up: JIT and caches
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
    runs++;
  }
  return { perSecond: (items * 1000) / best, bestMs: best };
}

export function formatRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}
