import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LlamaConfig } from '../../src/engine/config.ts';
import { createModel } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';
import { trainTokenizer } from '../../src/engine/tokenizer/index.ts';
import { fileURLToPath } from 'node:url';
import { renderAssistantTurn } from '../../src/models/chat-template.ts';
import { END_OF_TURN, EngineChatModel, loadEngineModel } from '../../src/models/engine-model.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';

const weatherTool = toolSpec(worldTool('get_weather')!);

function untrainedModel(maxPositions: number): EngineChatModel {
  const tokenizer = trainTokenizer(['what is the weather in Paris today and tomorrow, please tell me'], { vocabSize: 300 });
  const config: LlamaConfig = { vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 40, numLayers: 1, numHeads: 2, numKvHeads: 1, maxPositions, ropeTheta: 10000, rmsNormEps: 1e-6 };
  return new EngineChatModel({ model: createModel(config, initParams(paramLayout(config), 3)), tokenizer });
}

test('each prompt gets the room its own length leaves: one long prompt does not silence the rest of the batch', async () => {
  const model = untrainedModel(96);
  const short = { messages: [{ role: 'user' as const, content: 'weather?' }], tools: [] };
  const long = { messages: [{ role: 'user' as const, content: 'what is the weather in Paris today and tomorrow, please tell me '.repeat(12) }], tools: [] };
  const options = { temperature: 0, maxTokens: 8 };
  const [a, b, c] = await model.generate([short, long, short], options);
  assert.equal(b!.choices[0]!.completionTokens, 0);
  assert.equal(b!.choices[0]!.finishReason, 'length');
  for (const r of [a!, c!]) assert.ok(r.choices[0]!.completionTokens > 0, 'the short prompts are answered');
  const [alone] = await model.generate([short], options);
  assert.equal(a!.choices[0]!.text, alone!.choices[0]!.text, 'batching does not change a greedy answer');
});

test('sampled answers in one batch draw from their own random streams, as before per-prompt limits', async () => {
  const model = untrainedModel(96);
  const short = { messages: [{ role: 'user' as const, content: 'weather?' }], tools: [] };
  const [r] = await model.generate([short], { temperature: 1.5, maxTokens: 12, n: 4, seed: 7 });
  const texts = new Set(r!.choices.map((c) => c.text));
  assert.ok(texts.size > 1, `four samples at temperature 1.5 were all ${JSON.stringify([...texts])}`);
});

test('labelLogprob: a call label scores as its rendering teacher-forced; a text label as not opening with a tool call', async () => {
  const bundle = await loadEngineModel(fileURLToPath(new URL('../../assets/base-model', import.meta.url)));
  const model = new EngineChatModel(bundle);
  const request = { messages: [{ role: 'user' as const, content: 'What is the weather in Oslo right now?' }], tools: [weatherTool] };
  const right = { kind: 'calls' as const, calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] };
  const wrong = { kind: 'calls' as const, calls: [{ name: 'get_weather', arguments: { city: 'Lima' } }] };
  const forced = model.scoreContinuation(request, renderAssistantTurn(undefined, right.calls) + END_OF_TURN).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs((await model.labelLogprob(request, right)) - forced) < 1e-9);
  assert.ok((await model.labelLogprob(request, right)) > (await model.labelLogprob(request, wrong)) + 2, 'a value the user gave is far more reachable than one nobody gave');
  const opensWithCall = Math.exp(model.scoreContinuation(request, '<tool_call>')[0]!);
  const text = await model.labelLogprob(request, { kind: 'text', text: 'any words at all' });
  assert.ok(Math.abs(text - Math.log(1 - opensWithCall)) < 1e-9);
  assert.ok(text < 0 && text > -Infinity);
});
