import type { Command } from 'commander';

// Placeholder until the command is written.
export function registerRewardCommand(program: Command): void {
  void program;
}
