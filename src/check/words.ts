/**
 * Content words for comparing a request with a tool's description: lower-cased, split at
 * non-letters and at camelCase, function words dropped. Two words match when they share
 * a start of at least four letters that leaves at most three letters over, so "windy"
 * meets "wind" and "delivered" meets "delivery", while "playlist" and "play" stay apart.
 */

const FUNCTION_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from into onto over under about as is are was were be been being am do does did ' +
    'have has had having i me my mine you your yours we us our it its they them their he she his her this that these those there here ' +
    'what which who whom whose when where why how can could would should will shall may might must please thanks thank hi hello hey ' +
    'some any all each every no not yes so too very just also then than more most much many few get give tell show want need like ' +
    'let make one two eg up out off ll re ve'
  ).split(' '),
);

/** The content words of a text (or of a tool name such as `getAirQuality` or `list-weather-alerts`). */
export function contentWords(text: string): Set<string> {
  const spaced = text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const out = new Set<string>();
  for (const w of spaced.split(/[^a-z0-9]+/)) {
    if (w.length < 2 || FUNCTION_WORDS.has(w) || /^\d+$/.test(w)) continue;
    out.add(w);
  }
  return out;
}

export function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common >= 4 && common >= Math.max(a.length, b.length) - 3;
}

/** Whether `words` holds a word matching `w`. */
export function hasWord(words: ReadonlySet<string>, w: string): boolean {
  if (words.has(w)) return true;
  for (const x of words) if (wordsMatch(x, w)) return true;
  return false;
}
