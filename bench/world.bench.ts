/**
 * The world: generating 10k seed samples (plus base and test), judging noisy labels, and
 * expanding failures, each against JSON.stringify + JSON.parse of the samples it makes.
 */
import { worldRuleJudge } from '../src/loop/rule-judge.ts';
import { TemplateExpander } from '../src/loop/template-expander.ts';
import { generateSplit, generateWorld } from '../src/world/generate.ts';
import { formatRate, measure } from './measure.ts';

const n = 10_000;
const gen = measure(() => void generateSplit('seed', n, 1), n, { minRuns: 2, minMs: 0 });
const samples = generateSplit('seed', n, 1);
const roundTrip = measure(() => void JSON.parse(JSON.stringify(samples)), n, { minRuns: 2, minMs: 0 });
console.log(`generate ${n} seed samples: ${(n / gen.perSecond).toFixed(2)} s (${formatRate(gen.perSecond)} samples/s)`);
console.log(`JSON round trip of the same samples: ${formatRate(roundTrip.perSecond)} samples/s; generation takes ×${(roundTrip.perSecond / gen.perSecond).toFixed(1)} its time`);

const world = generateWorld({ seed: 2, n: 4000, base: 0, test: 0 });
const byId = new Map(world.seed.map((s) => [s.id, s]));
const judge = worldRuleJudge();
const judged = measure(() => {
  for (const r of world.noise) judge.compareSync(byId.get(r.id)!, r.noisy, r.clean);
}, world.noise.length);
console.log(`rule judge: ${formatRate(judged.perSecond)} comparisons/s (×${(roundTrip.perSecond / judged.perSecond).toFixed(1)} a JSON round trip per sample)`);

const seeds = world.seed.slice(0, 200);
const expanded = measure(() => {
  const ex = new TemplateExpander({ seed: 1 });
  for (const s of seeds) ex.expandSync({ sample: s }, 4);
}, seeds.length * 4, { minRuns: 2, minMs: 0 });
console.log(`template expander: ${formatRate(expanded.perSecond)} validated samples/s`);
