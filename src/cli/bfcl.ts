import type { Command } from 'commander';

// Placeholder until the command is written.
export function registerBfclCommand(program: Command): void {
  void program;
}
