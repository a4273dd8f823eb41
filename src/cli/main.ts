/** The `looptool` command: each subcommand lives in its own file and registers itself here. */
import { Command, CommanderError } from 'commander';
import { InputError } from '../core/records.ts';
import { registerBfclCommand } from './bfcl.ts';
import { registerConvertCommand } from './convert.ts';
import { registerDemoCommand } from './demo.ts';
import { registerEngineCommand } from './engine.ts';
import { registerImportCommand } from './import.ts';
import { registerIterateCommand } from './iterate.ts';
import { registerRewardCommand } from './reward.ts';
import { registerServeCommand } from './serve.ts';
import { registerServeRewardCommand } from './serve-reward.ts';
import { registerSynthCommand } from './synth.ts';
import { registerToolsCommand } from './tools-check.ts';
import { registerWorldCommand } from './world.ts';

export function buildProgram(): Command {
  const program = new Command('looptool')
    .description('Make LLMs reliable at tool calling by closing the data-training loop (the LoopTool method).')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerRewardCommand(program);
  registerBfclCommand(program);
  registerConvertCommand(program);
  registerImportCommand(program);
  registerToolsCommand(program);
  registerEngineCommand(program);
  registerServeCommand(program);
  registerServeRewardCommand(program);
  registerWorldCommand(program);
  registerIterateCommand(program);
  registerSynthCommand(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI; an `InputError` becomes one clear line on stderr and exit code 2. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // a command that stopped on a signal has set its own code (130); keep it
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof InputError) {
      process.stderr.write(`looptool: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
