/**
 * The demo's claim over several seeds: `looptool demo --json` for each seed (one after
 * another, each in its own directory, resumable), then one table of final held-out
 * accuracy — base, static GRPO, LoopTool — and label cleaning. Not part of `npm run
 * bench` (a quick profile takes 8 to 14 minutes a seed):
 *
 *   npx tsx bench/demo-seeds.ts --profile quick --seeds 1,2,3 [--out runs/demo-seeds]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'quick' }, seeds: { type: 'string', default: '1,2,3' }, out: { type: 'string', default: 'runs/demo-seeds' } } });
const bin = fileURLToPath(new URL('../bin/looptool.js', import.meta.url));
const seeds = values.seeds!.split(',').map(Number);

interface Result {
  seconds: number;
  base: number;
  static: number[];
  looptool: number[];
  cleaning: { wrong_labels: number; reached: number; fixed: number; mended: number; dropped: number; missed: number; clean_reached: number; clean_changed: number };
}

const pct = (x: number): string => (100 * x).toFixed(1);
const rows: string[] = [];
const gains: number[] = [];
for (const seed of seeds) {
  const out = join(values.out!, `${values.profile}-seed${seed}`);
  const run = spawnSync(process.execPath, [bin, 'demo', '--profile', values.profile!, '--seed', String(seed), '--out', out, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`demo seed ${seed} exited ${run.status}`);
  const r = JSON.parse(run.stdout) as Result;
  const last = r.looptool.length - 1;
  const gain = r.looptool[last]! - r.static[last]!;
  gains.push(gain);
  const c = r.cleaning;
  rows.push(
    `| ${seed} | ${pct(r.base)} | ${r.static.map(pct).join(' → ')} | ${r.looptool.map(pct).join(' → ')} | ${(100 * gain).toFixed(1)} | ${c.fixed}/${c.reached} of ${c.wrong_labels} (${c.mended} mended, ${c.dropped} dropped) | ${c.clean_changed}/${c.clean_reached} | ${Math.round(r.seconds)} |`,
  );
}
console.log(`profile ${values.profile}: held-out accuracy % by round (round 0 = base model)\n`);
console.log('| seed | base | static | LoopTool | LoopTool − static (points) | wrong labels fixed / reached of injected | clean labels changed / reached | seconds |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
const mean = gains.reduce((a, b) => a + b, 0) / gains.length;
console.log(`\nmean LoopTool − static at the last round: ${(100 * mean).toFixed(1)} points over ${gains.length} seeds`);
