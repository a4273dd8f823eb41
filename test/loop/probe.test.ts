import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLoopToolOutput } from '../../src/core/convert/looptool.ts';
import { ModelError, type ChatModel, type ChatRequest, type ChatResponse } from '../../src/models/chat-model.ts';
import { parseHermesToolCalls } from '../../src/toolcall/hermes.ts';
import { classifyProbe, perplexityCut, perplexityOf, probeGreedy, type ProbeRecord } from '../../src/loop/probe.ts';
import { JsonlStream } from '../../src/store/jsonl-stream.ts';
import { generateSplit } from '../../src/world/generate.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-probe-'));
after(() => rmSync(work, { recursive: true, force: true }));
const dataset = generateSplit('seed', 60, 3);

/** Answers with the label for even-numbered samples, a wrong call for odd ones; fails on demand. */
class ScriptedModel implements ChatModel {
  readonly id = 'scripted';
  calls = 0;
  constructor(private readonly failOn: Set<string> = new Set()) {}
  async generate(requests: ChatRequest[]): Promise<ChatResponse[]> {
    this.calls++;
    return requests.map((r) => {
      const s = dataset.find((x) => x.messages === r.messages)!;
      if (this.failOn.has(s.id)) throw new ModelError('HTTP 500: boom', true, 500);
      const n = Number(s.id.slice(-3));
      const text = n % 2 === 0 ? renderLoopToolOutput(s.label) : '<tool_call>\n{"name": "nothing", "arguments": {}}\n</tool_call>';
      const logprobs = Array.from({ length: 4 }, () => -0.1 * (1 + (n % 5)));
      return { choices: [{ text, toolCalls: parseHermesToolCalls(text), tokenLogprobs: logprobs, completionTokens: 4, finishReason: 'stop' as const }], promptTokens: 10, latencyMs: 1 };
    });
  }
}

test('probe records prediction, correctness and perplexity for every sample and resumes where it stopped', async () => {
  const path = join(work, 'probe.jsonl');
  const first = JsonlStream.open(path);
  const half = new AbortController();
  let seen = 0;
  await assert.rejects(
    probeGreedy(dataset, new ScriptedModel(), first.stream, { batchSize: 8, signal: half.signal, onProgress: (d) => (seen = d) >= 24 && half.abort() }),
  );
  first.stream.close();
  const reopened = JsonlStream.open(path);
  assert.equal(reopened.records.length, 24);
  const model = new ScriptedModel();
  const summary = await probeGreedy(dataset, model, reopened.stream, { batchSize: 8 });
  reopened.stream.close();
  assert.deepEqual(summary, { probed: 36, skipped: 24, failed: 0 });
  const records = JsonlStream.open(path).records as ProbeRecord[];
  assert.deepEqual(records.map((r) => r.id).sort(), dataset.map((s) => s.id).sort());
  for (const r of records) {
    const n = Number(r.id.slice(-3));
    assert.equal(r.correct, n % 2 === 0, r.id);
    assert.ok(Math.abs(r.perplexity! - Math.exp(0.1 * (1 + (n % 5)))) < 1e-9);
  }
  assert.ok(seen >= 24);
});

test('a failing sample is isolated from its batch and recorded as failed with the reason', async () => {
  const path = join(work, 'probe-fail.jsonl');
  const { stream } = JsonlStream.open(path);
  const bad = new Set([dataset[5]!.id, dataset[6]!.id]);
  const summary = await probeGreedy(dataset.slice(0, 16), new ScriptedModel(bad), stream, { batchSize: 8 });
  stream.close();
  assert.deepEqual(summary, { probed: 14, skipped: 0, failed: 2 });
  const failed = (JsonlStream.open(path).records as ProbeRecord[]).filter((r) => r.status === 'failed');
  assert.deepEqual(failed.map((r) => [r.id, r.error]), [...bad].map((id) => [id, 'HTTP 500: boom']));
});

test('where the model can score a label, a wrong answer records how reachable the label is; a right one does not', async () => {
  const path = join(work, 'probe-reach.jsonl');
  const { stream } = JsonlStream.open(path);
  const scored: string[] = [];
  const model = Object.assign(new ScriptedModel(), {
    async labelLogprob(request: ChatRequest): Promise<number> {
      const s = dataset.find((x) => x.messages === request.messages)!;
      scored.push(s.id);
      return -Number(s.id.slice(-3));
    },
  });
  await probeGreedy(dataset.slice(0, 10), model, stream, { batchSize: 4 });
  stream.close();
  const records = JsonlStream.open(path).records as ProbeRecord[];
  for (const r of records) {
    const n = Number(r.id.slice(-3));
    assert.equal(r.labelLogprob, n % 2 === 0 ? undefined : -n, r.id);
  }
  assert.equal(scored.length, 5, 'only the wrong answers are scored');
});

test('classes: mastered below the perplexity cut, borderline above it, failed when wrong', () => {
  const rec = (id: string, correct: boolean, perplexity: number): ProbeRecord => ({ id, status: 'done', correct, perplexity });
  const records = [rec('a', true, 1.1), rec('b', true, 1.2), rec('c', true, 1.5), rec('d', true, 2.0), rec('e', false, 1.0), { id: 'f', status: 'failed' as const }];
  const cut = perplexityCut(records, 0.5);
  assert.equal(cut, 1.5);
  assert.deepEqual(records.map((r) => classifyProbe(r, cut)), ['mastered', 'mastered', 'mastered', 'borderline', 'failed', 'error']);
  assert.equal(perplexityOf([]), null);
  assert.equal(perplexityOf([Math.log(0.5), Math.log(0.5)]), 2);
});
