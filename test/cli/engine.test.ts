import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { seedProvenance, type Sample } from '../../src/core/types.ts';
import { scoreContinuation } from '../../src/engine/generate.ts';
import { renderChat } from '../../src/models/chat-template.ts';
import { loadEngineModel } from '../../src/models/engine-model.ts';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-cli-engine-'));
after(() => rmSync(work, { recursive: true, force: true }));

function looptool(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
}

test('engine init → sft → generate → score works end to end and score prints the library numbers', async () => {
  const corpus = join(work, 'corpus.txt');
  writeFileSync(corpus, Array.from({ length: 50 }, (_, i) => `user asks about city ${i}\n\n<tool_call> {"name": "get_weather"} </tool_call>`).join('\n\n'));
  const init = looptool('engine', 'init', '--out', 'base', '--size', 'micro', '--corpus', corpus, '--seed', '3');
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /created base: micro model/);

  const samples: Sample[] = ['Oslo', 'Rome'].map((city, i) => ({
    id: `s${i}`,
    tools: [],
    messages: [{ role: 'user', content: `weather ${city}` }],
    label: { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city } }] },
    provenance: seedProvenance(),
  }));
  writeFileSync(join(work, 'train.jsonl'), samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  const sft = looptool('engine', 'sft', '--model', 'base', '--data', 'train.jsonl', '--out', 'tuned', '--epochs', '2', '--batch-tokens', '64');
  assert.equal(sft.status, 0, sft.stderr);
  assert.match(sft.stdout, /trained \d+ steps .* saved to tuned/);
  assert.match(sft.stderr, /sft: \d+\/\d+ steps .*steps\/s .*ETA/);
  const again = looptool('engine', 'sft', '--model', 'base', '--data', 'train.jsonl', '--out', 'tuned', '--epochs', '2', '--batch-tokens', '64');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /trained 0 steps/);

  const gen = looptool('engine', 'generate', '--model', 'tuned', '--prompt', 'weather Oslo', '--greedy', '--max-tokens', '8');
  assert.equal(gen.status, 0, gen.stderr);

  const score = looptool('engine', 'score', '--model', 'tuned', '--chat', '--prompt', 'weather Oslo', '--continuation', '<tool_call>\n{"name"', '--json');
  assert.equal(score.status, 0, score.stderr);
  const printed = JSON.parse(score.stdout) as { tokens: string[]; ids: number[]; logprobs: number[]; perplexity: number };
  const bundle = await loadEngineModel(join(work, 'tuned'));
  const expected = scoreContinuation(bundle.model, Int32Array.from(bundle.tokenizer.encode(renderChat([{ role: 'user', content: 'weather Oslo' }], [], true))), Int32Array.from(printed.ids));
  assert.deepEqual(printed.logprobs, expected);
  assert.equal(printed.tokens.join(''), '<tool_call>\n{"name"');
});

test('engine sft names the file, line and field of a bad sample', () => {
  writeFileSync(join(work, 'bad.jsonl'), '{"id": "a", "tools": [], "messages": [{"role": "user", "content": "x"}], "label": {"kind": "text", "text": "y"}, "provenance": {"source": "seed", "round": 0}}\n{"id": "b", "tools": [], "messages": [], "label": {"kind": "text", "text": "y"}, "provenance": {"source": "seed", "round": 0}}\n');
  const r = looptool('engine', 'sft', '--model', 'base', '--data', 'bad.jsonl', '--out', 'x');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.jsonl:2: messages: /);
});

test('engine grpo trains on samples, reports its groups, and resumes to nothing left to do', () => {
  const corpus = join(work, 'grpo-corpus.txt');
  writeFileSync(corpus, Array.from({ length: 30 }, (_, i) => `user: hello ${i}\n\nassistant: hi there ${i}`).join('\n\n'));
  assert.equal(looptool('engine', 'init', '--out', 'grpo-base', '--size', 'micro', '--corpus', corpus, '--seed', '4', '--max-positions', '128').status, 0);
  const samples: Sample[] = ['hello', 'hi', 'hey', 'yo'].map((text, i) => ({
    id: `g${i}`,
    tools: [],
    messages: [{ role: 'user', content: text }],
    label: { kind: 'text', text: 'hi' },
    provenance: seedProvenance(),
  }));
  writeFileSync(join(work, 'grpo.jsonl'), samples.map((s) => JSON.stringify(s)).join('\n'));
  const args = ['engine', 'grpo', '--model', 'grpo-base', '--data', 'grpo.jsonl', '--out', 'grpo-out', '--group-size', '3', '--prompts-per-step', '2', '--max-tokens', '4', '--save-every', '1'];
  const r = looptool(...args);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /trained 2 steps; mean reward \d\.\d{3}; \d+ groups skipped/);
  const again = looptool(...args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /trained 0 steps \(resumed from step 2\)/);
  const other = looptool(...args.slice(0, -2), '--save-every', '1', '--lr', '0.5');
  assert.equal(other.status, 2);
  assert.match(other.stderr, /grpo-out: holds a different training run/);
});
