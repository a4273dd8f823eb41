/** Shell words for the launch scripts looptool writes: any path or value, spaces and quotes included, stays one word. */

/** Characters bash gives no meaning to inside a word (a leading `~` or `=` aside, which `shellWord` quotes). */
const PLAIN = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:@%+,=-]*$/;

/** `value` as one bash word: left bare when nothing in it is special, else in single quotes (a `'` inside closes, escapes and reopens them). */
export function shellWord(value: string): string {
  if (value !== '' && PLAIN.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/**
 * A long command as a script writes it: one word (or flag and value) per line with `\`
 * continuations, so a reader sees every setting and a diff between rounds shows what changed.
 */
export function shellCommandLines(head: readonly string[], args: readonly (readonly string[])[]): string {
  return [shellLine(head), ...args.map((a) => `  ${shellLine(a)}`)].join(' \\\n');
}
