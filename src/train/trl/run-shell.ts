/**
 * Runs one shell command line with `bash -c`, handing its output (stdout and stderr) on
 * line by line, and stops it — with everything it started — when the signal aborts.
 *
 * The command gets its own process group so that aborting reaches the whole tree
 * (bash → accelerate → one Python per GPU); killing bash alone would leave the trainers
 * running on the GPUs.
 */
import { spawn } from 'node:child_process';

export interface RunShellOptions {
  cwd: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long the group gets to exit after SIGTERM before SIGKILL (default 10 s). */
  graceMs?: number;
}

/** The command ended with a non-zero status or was killed by a signal. */
export class ShellCommandError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly lastLines: readonly string[],
  ) {
    const how = code !== null ? `exited with status ${code}` : `was killed by ${signal ?? 'a signal'}`;
    super(`\`${command}\` ${how}${lastLines.length > 0 ? `; its last lines:\n${lastLines.join('\n')}` : ''}`);
    this.name = 'ShellCommandError';
  }
}

const KEPT_LINES = 20;

/** Splits a stream into lines; tqdm's carriage-return updates count as lines too. */
function lineSplitter(emit: (line: string) => void): { push: (chunk: string) => void; end: () => void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split(/\r\n|\n|\r/);
      rest = parts.pop()!;
      for (const line of parts) if (line.trim() !== '') emit(line);
    },
    end() {
      if (rest.trim() !== '') emit(rest);
      rest = '';
    },
  };
}

export function runShell(command: string, options: RunShellOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const last: string[] = [];
    const emit = (line: string): void => {
      last.push(line);
      if (last.length > KEPT_LINES) last.shift();
      options.log(line);
    };
    const out = lineSplitter(emit);
    const err = lineSplitter(emit);
    child.stdout.setEncoding('utf8').on('data', out.push);
    child.stderr.setEncoding('utf8').on('data', err.push);

    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const onAbort = (): void => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.graceMs ?? 10_000);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      out.end();
      err.end();
      if (signal?.aborted) {
        // The trainer's children may outlive bash by a moment; make sure none is left.
        killGroup('SIGKILL');
        reject(signal.reason);
      } else if (code === 0) resolve();
      else reject(new ShellCommandError(command, code, sig, last));
    });
  });
}
