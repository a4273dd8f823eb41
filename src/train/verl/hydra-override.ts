/**
 * Hydra command-line overrides (`key=value`) for verl's `main_ppo`, values written so Hydra's
 * override grammar reads them back as meant (facebookresearch/hydra, "Override grammar" in its
 * docs, and `hydra/grammar/OverrideParser.g4`): free text in double quotes, where only a quote
 * and the backslashes right before a quote or the end need escaping; numbers and booleans bare.
 */

export type HydraValue = string | number | boolean | readonly string[] | { readonly bare: string } | { readonly float: number };

export class HydraValueError extends Error {}

/** Free text as a Hydra quoted string. OmegaConf would resolve `${…}` inside it, so such text is refused rather than silently changed. */
export function hydraString(text: string): string {
  if (text.includes('${')) throw new HydraValueError(`"${text}" contains "\${", which Hydra would read as an interpolation`);
  // a backslash run before a quote or at the end is doubled, then the quote escaped
  return `"${text.replace(/(\\*)("|$)/g, (_, slashes: string, quote: string) => `${slashes}${slashes}${quote === '"' ? '\\"' : ''}`)}"`;
}

/** A float that stays a float for Hydra (1 would be read as an int). */
export function hydraFloat(n: number): string {
  if (!Number.isFinite(n)) throw new HydraValueError(`${n} is not a finite number`);
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

export function hydraValue(value: HydraValue): string {
  if (typeof value === 'string') return hydraString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HydraValueError(`${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if ('bare' in value) return value.bare;
  if ('float' in value) return hydraFloat(value.float);
  return `[${(value as readonly string[]).map(hydraString).join(',')}]`;
}

/** One override, `key=value`; `prefix` `++` adds the key when the config lacks it and sets it when it has it. */
export function hydraOverride(key: string, value: HydraValue, prefix: '' | '+' | '++' = ''): string {
  return `${prefix}${key}=${hydraValue(value)}`;
}
