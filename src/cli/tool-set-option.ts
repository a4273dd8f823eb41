/**
 * A tool set named on the command line (`--tools` of import and synth): its warnings are
 * printed, and a set with any error is refused — the errors printed in file order, the last
 * one thrown as the `InputError` that ends the command, each naming file, line and JSON pointer.
 */
import { InputError } from '../core/records.ts';
import { formatToolSetProblem, loadToolSet } from '../core/tools/load-tool-set.ts';
import type { Tool } from '../core/types.ts';

export async function readToolSetOption(path: string): Promise<Tool[]> {
  const read = await loadToolSet(path);
  if (read.ok) {
    for (const w of read.warnings) process.stderr.write(`looptool: warning: ${w}\n`);
    return read.tools;
  }
  for (const e of read.errors.slice(0, -1)) process.stderr.write(`looptool: ${formatToolSetProblem(e)}\n`);
  const last = read.errors.at(-1)!;
  throw new InputError(last.file, last.line, last.pointer || undefined, last.message);
}
