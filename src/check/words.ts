/**
 * Content words for comparing a request with a tool's description: lower-cased, split at
 * non-letters and at camelCase, function words dropped, each cut to a four-letter stem so
 * "windy" meets "wind" and "forecasts" meets "forecast".
 */

const FUNCTION_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from into onto over under about as is are was were be been being am do does did ' +
    'have has had having i me my mine you your yours we us our it its they them their he she his her this that these those there here ' +
    'what which who whom whose when where why how can could would should will shall may might must please thanks thank hi hello hey ' +
    'some any all each every no not yes so too very just also then than more most much many few get give tell show want need like ' +
    'let make one two me eg up out off ll re ve'
  ).split(' '),
);

/** The content stems of a text (or a tool name such as `getAirQuality` or `list-weather-alerts`). */
export function contentStems(text: string): Set<string> {
  const spaced = text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const out = new Set<string>();
  for (const w of spaced.split(/[^a-z0-9]+/)) {
    if (w.length < 2 || FUNCTION_WORDS.has(w) || /^\d+$/.test(w)) continue;
    out.add(w.slice(0, 4));
  }
  return out;
}
