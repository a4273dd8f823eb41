/** What is wrong with a tool set, found while reading it: where (a JSON pointer into the file) and what. */

export interface Problem {
  pointer: string;
  message: string;
}

/** Errors stop a tool from being made; warnings say what was changed or left out on the way. */
export interface Problems {
  errors: Problem[];
  warnings: Problem[];
}

export function noProblems(): Problems {
  return { errors: [], warnings: [] };
}
