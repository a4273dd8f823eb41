import type { Command } from 'commander';

// Placeholder until the command is written.
export function registerConvertCommand(program: Command): void {
  void program;
}
