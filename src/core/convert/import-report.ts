/**
 * What an import did with each record: counts of records (or turns) skipped and of
 * notes, each by reason, with the first few examples by line so a user can look.
 */

export interface ImportIssue {
  /** 1-based line where the record starts. */
  line: number;
  reason: string;
  /** The field at fault, when one is (`conversations[3].value`). */
  field?: string;
  message: string;
}

export interface IssueTally {
  counts: Record<string, number>;
  /** The first few examples of each reason, in input order. */
  examples: ImportIssue[];
}

const EXAMPLES_PER_REASON = 3;

export function emptyTally(): IssueTally {
  return { counts: {}, examples: [] };
}

export function addIssue(tally: IssueTally, issue: ImportIssue, count = 1): void {
  const before = tally.counts[issue.reason] ?? 0;
  tally.counts[issue.reason] = before + count;
  if (tally.examples.filter((e) => e.reason === issue.reason).length < EXAMPLES_PER_REASON) tally.examples.push(issue);
}

export function totalOf(tally: IssueTally): number {
  return Object.values(tally.counts).reduce((a, b) => a + b, 0);
}

/** `file:line: field: message`, as users see an example. */
export function formatIssue(file: string, issue: ImportIssue): string {
  return `${file}:${issue.line}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
}

/** Where a record's converter reports something to know about a record it keeps. */
export type NoteSink = (reason: string, field: string, message: string) => void;

/** Thrown inside one record's conversion to skip it for a stated reason; the importer turns it into an issue. */
export class RecordSkip extends Error {
  constructor(
    readonly reason: string,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RecordSkip';
  }
}
