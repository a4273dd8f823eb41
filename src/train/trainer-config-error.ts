/**
 * A trainer's options are validated by the trainer (they are passed through the iterate config
 * untouched); a bad one is reported with its place in the config, `trainer.<kind>.<field>`, and the
 * CLI adds the config file's name.
 */
import type { z } from 'zod';
import { formatPath } from '../core/records.ts';

export class TrainerConfigError extends Error {
  constructor(
    /** The config field at fault, e.g. `trainer.verl.nGpusPerNode`. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'TrainerConfigError';
  }
}

/** Parses `raw` with `schema`; the first problem becomes a `TrainerConfigError` at `trainer.<kind>.<path>`. */
export function parseTrainerOptions<T>(schema: z.ZodType<T>, raw: unknown, kind: string): T {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // an unknown key is reported on its object; name the key itself
  const path = issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]!] : issue.path;
  const where = formatPath(path);
  throw new TrainerConfigError(`trainer.${kind}${where === '' ? '' : where.startsWith('[') ? where : `.${where}`}`, issue.message);
}
