/**
 * Runs a prepared training's commands one after another with `bash -c` from the round's
 * folder, passing every line they print to `log`. A signal stops the running command's whole
 * process group (a trainer starts Ray, vLLM and workers under it), first with SIGTERM and,
 * if it lingers, SIGKILL.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { LaunchOptions, PreparedTraining, TrainerCommand, TrainerRound } from './trainer-plugin.ts';

/** How long a stopped trainer gets to save and exit before it is killed. */
const GRACE_MS = 10_000;

export class TrainerCommandError extends Error {
  constructor(
    readonly label: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly lastLines: readonly string[],
  ) {
    const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal}`;
    super(`the ${label} command ${how}${lastLines.length > 0 ? `; its last lines:\n${lastLines.join('\n')}` : ''}`);
    this.name = 'TrainerCommandError';
  }
}

function stopGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export async function runCommand(command: TrainerCommand, cwd: string, opts: LaunchOptions): Promise<void> {
  opts.signal?.throwIfAborted();
  const child = spawn('bash', ['-c', command.shell], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const last: string[] = [];
  const onLine = (line: string): void => {
    last.push(line);
    if (last.length > 20) last.shift();
    opts.log(line);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    if (child.pid === undefined) return;
    stopGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => stopGroup(child.pid!, 'SIGKILL'), GRACE_MS);
    killTimer.unref();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      // 'close' waits for the output streams, so no line is lost
      child.once('close', (c, s) => resolve([c, s]));
    });
    opts.signal?.throwIfAborted();
    if (code !== 0) throw new TrainerCommandError(command.label, code, signal, last);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
  }
}

/** Runs the commands that are not marked `after`, in order; the first failure stops the rest. */
export async function runCommands(commands: readonly TrainerCommand[], cwd: string, opts: LaunchOptions): Promise<void> {
  for (const command of commands) if (!command.after) await runCommand(command, cwd, opts);
}

/** An external trainer's `launch`: its prepared commands, run from the round's folder. */
export function launchPrepared(round: TrainerRound, prepared: PreparedTraining, opts: LaunchOptions): Promise<void> {
  return runCommands(prepared.commands, resolve(round.workDir), opts);
}
