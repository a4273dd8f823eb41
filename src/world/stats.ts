/**
 * Measures of a world directory: the mix of kinds and domains per split, how varied the
 * phrasing is (distinct n-grams of the user turns), and, given a judge's verdicts, how
 * precisely it found the injected wrong labels, by noise kind.
 */
import type { Sample } from '../core/types.ts';
import type { NoiseRecord } from './noise.ts';

export interface SplitStats {
  samples: number;
  kinds: Record<string, number>;
  domains: Record<string, number>;
  /** Distinct n-grams over all n-grams of the user turns, n = 1, 2, 3. */
  distinctNgrams: [number, number, number];
  /** Distinct phrasing instances (core template + greeting). */
  phrasings: number;
}

export interface NoiseFinding {
  judged: number;
  flagged: number;
  recall: number;
}

export interface VerdictStats {
  /** Verdicts that blame the label (label_incorrect or both_incorrect) and how many hit a noisy label. */
  blames: number;
  correctBlames: number;
  precision: number;
  recall: number;
  byKind: Record<string, NoiseFinding>;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export function splitStats(samples: readonly Sample[]): SplitStats {
  const kinds: Record<string, number> = {};
  const domains: Record<string, number> = {};
  const grams = [new Set<string>(), new Set<string>(), new Set<string>()];
  const totals = [0, 0, 0];
  const phrasings = new Set<string>();
  for (const s of samples) {
    bump(kinds, String(s.meta?.['kind'] ?? 'unknown'));
    const ds = s.meta?.['domains'];
    for (const d of Array.isArray(ds) ? ds : []) bump(domains, String(d));
    const ps = s.meta?.['phrasings'];
    for (const p of Array.isArray(ps) ? ps : []) phrasings.add(String(p));
    for (const m of s.messages) {
      if (m.role !== 'user') continue;
      const words = m.content.toLowerCase().match(/[a-z0-9']+/g) ?? [];
      for (let n = 1; n <= 3; n++) {
        for (let i = 0; i + n <= words.length; i++) {
          grams[n - 1]!.add(words.slice(i, i + n).join(' '));
          totals[n - 1]!++;
        }
      }
    }
  }
  const ratio = (i: number): number => (totals[i]! === 0 ? 0 : grams[i]!.size / totals[i]!);
  return { samples: samples.length, kinds, domains, distinctNgrams: [ratio(0), ratio(1), ratio(2)], phrasings: phrasings.size };
}

const BLAMES = new Set(['label_incorrect', 'both_incorrect']);

export function verdictStats(verdicts: ReadonlyMap<string, string>, noise: readonly NoiseRecord[]): VerdictStats {
  const truth = new Map(noise.map((n) => [n.id, n]));
  const byKind: Record<string, NoiseFinding> = {};
  let blames = 0;
  let correct = 0;
  for (const [id, verdict] of verdicts) {
    const n = truth.get(id);
    const blamed = BLAMES.has(verdict);
    if (blamed) blames++;
    if (!n) continue;
    const k = (byKind[n.kind] ??= { judged: 0, flagged: 0, recall: 0 });
    k.judged++;
    if (blamed) {
      k.flagged++;
      correct++;
    }
  }
  let judged = 0;
  for (const k of Object.values(byKind)) {
    k.recall = k.judged === 0 ? 0 : k.flagged / k.judged;
    judged += k.judged;
  }
  return { blames, correctBlames: correct, precision: blames === 0 ? 0 : correct / blames, recall: judged === 0 ? 0 : correct / judged, byKind };
}
