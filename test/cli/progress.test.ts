import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProgress } from '../../src/cli/progress.ts';

function captured(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(text.trimEnd()) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

test('a progress that starts part-way counts from where it starts and times only what it does', async () => {
  const { stream, lines } = captured();
  const before = performance.now();
  const progress = startProgress({ label: 'reading', total: 100, startAt: 40, unit: 'steps', stream, lineEvery: 0 });
  await sleep(200);
  progress.update(50, { loss: 2.5 });
  const seconds = (performance.now() - before) / 1000;
  const line = lines.at(-1)!;
  assert.match(line, /^reading: 50\/100 steps {2}/);
  assert.match(line, /loss 2\.500$/);
  // the rate is the ten steps done since the start, not the fifty counted from zero
  const rate = Number(/ ([\d.]+) steps\/s/.exec(line)![1]);
  assert.ok(rate * seconds > 9.9 && rate * seconds < 20, `${rate} steps/s over ${seconds} s`);
  // and the ETA is the fifty steps left at that rate
  const eta = Number(/ETA (\d+)s/.exec(line)![1]);
  assert.ok(Math.abs(eta - 50 / rate) <= 1, `ETA ${eta}s at ${rate} steps/s`);
});

test('without a start the count and the rate both begin at zero', async () => {
  const { stream, lines } = captured();
  const progress = startProgress({ label: 'scoring', total: 4, unit: 'samples', stream, lineEvery: 0 });
  await sleep(100);
  progress.update(4);
  assert.match(lines.at(-1)!, /^scoring: 4\/4 samples {2}[\d.]+ samples\/s {2}ETA 0s$/);
});
