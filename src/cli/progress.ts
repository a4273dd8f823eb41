/**
 * Progress for long work: a live bar with rate and ETA on a terminal, and plain
 * timestamped lines (at most one every few seconds) when output goes to a file or CI.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the done count and optional extra fields shown after the bar (e.g. loss). */
  update(done: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /**
   * The count already done when the timing starts (a resumed run, or work before the
   * first timed unit): shown in the count, left out of the rate and ETA.
   */
  startAt?: number;
  /** What is counted, for the rate ("tokens" → "tokens/s"). */
  unit: string;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not on a terminal. */
  lineEvery?: number;
}

export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? terminalProgress(options, stream) : lineProgress(options, stream);
}

function formatFields(fields: Record<string, string | number>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`)
    .join('  ');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function rateText(done: number, started: number, unit: string): { rate: string; perSecond: number } {
  const elapsed = (performance.now() - started) / 1000;
  const perSecond = elapsed > 0 ? Math.max(0, done) / elapsed : 0;
  return { rate: `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toPrecision(3)} ${unit}/s`, perSecond };
}

function terminalProgress(options: ProgressOptions, stream: NodeJS.WriteStream): Progress {
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {percentage}% {value}/{total} {unit}  {rate}  ETA {eta_text}  {extra}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const startAt = options.startAt ?? 0;
  bar.start(options.total, startAt, { unit: options.unit, rate: '', eta_text: '?', extra: '' });
  return {
    update(done, fields = {}) {
      const { rate, perSecond } = rateText(done - startAt, started, options.unit);
      bar.update(done, { rate, eta_text: formatDuration(perSecond > 0 ? (options.total - done) / perSecond : Infinity), extra: formatFields(fields) });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(options: ProgressOptions, stream: NodeJS.WriteStream): Progress {
  const started = performance.now();
  const every = (options.lineEvery ?? 5) * 1000;
  let lastLine = -Infinity;
  const startAt = options.startAt ?? 0;
  let last = { done: startAt, fields: {} as Record<string, string | number> };
  const print = (): void => {
    const { rate, perSecond } = rateText(last.done - startAt, started, options.unit);
    const eta = formatDuration(perSecond > 0 ? (options.total - last.done) / perSecond : Infinity);
    const fields = formatFields(last.fields);
    stream.write(`${options.label}: ${last.done}/${options.total} ${options.unit}  ${rate}  ETA ${eta}${fields ? `  ${fields}` : ''}\n`);
    lastLine = performance.now();
  };
  return {
    update(done, fields = {}) {
      last = { done, fields };
      if (performance.now() - lastLine >= every || done >= options.total) print();
    },
    stop() {
      if (performance.now() - lastLine > 0 && last.done < options.total) print();
    },
  };
}
