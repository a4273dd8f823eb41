/** Reward throughput on realistic pairs, against plain JSON.parse of the same bytes. */
import { scoreToolCallReward } from '../src/check/reward.ts';
import { seededRandom } from '../src/engine/params.ts';
import { formatRate, measure } from './measure.ts';

const rand = seededRandom(1);
const cities = ['Paris', 'Oslo', 'Lima', 'São Paulo', 'Reykjavík'];
const call = (): string => {
  const city = cities[Math.floor(rand() * cities.length)]!;
  return `<tool_call>\n{"name": "get_weather", "arguments": {"city": "${city}", "days": ${1 + Math.floor(rand() * 7)}, "units": ["c", "f"]}}\n</tool_call>`;
};
const pairs = Array.from({ length: 5000 }, () => {
  const gt = Array.from({ length: 1 + Math.floor(rand() * 3) }, call).join('\n');
  const response = rand() < 0.5 ? `<think>\nThe user wants the weather.\n</think>\n${gt}` : Array.from({ length: 1 + Math.floor(rand() * 3) }, call).join('\n');
  return { response, ground_truth: gt };
});
const lines = pairs.map((p) => JSON.stringify(p));

const reward = measure(() => {
  for (const line of lines) {
    const p = JSON.parse(line) as { response: string; ground_truth: string };
    scoreToolCallReward(p.response, p.ground_truth);
  }
}, lines.length);
const parseOnly = measure(() => {
  for (const line of lines) JSON.parse(line);
}, lines.length);
console.log(`reward (official), ${lines.length} pairs: ${formatRate(reward.perSecond)} items/s`);
console.log(`JSON.parse of the same lines:       ${formatRate(parseOnly.perSecond)} items/s`);
console.log(`ratio reward / JSON.parse: ${(reward.perSecond / parseOnly.perSecond).toFixed(3)} (time ×${(parseOnly.perSecond / reward.perSecond).toFixed(1)})`);
