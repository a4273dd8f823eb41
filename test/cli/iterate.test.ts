// Integration: `looptool iterate` driving a real `looptool serve` (a micro engine model on
// 127.0.0.1) through the openai-based provider, for probe, verify, expand and compose.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { looptool, serveWorld, type ServedWorld } from './fixtures/served-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-iterate-cli-'));
let served: ServedWorld;
let url = '';
after(() => {
  served?.stop();
  rmSync(work, { recursive: true, force: true });
});
const run = (...args: string[]) => looptool(work, ...args);

before(async () => {
  served = await serveWorld(work);
  url = served.url;
});

test('iterate over a served model: every stage runs, the round is composed, and training is asked for', () => {
  const config = {
    data: join(work, 'world', 'seed.jsonl'),
    rounds: 2,
    budget: 40,
    model: { provider: 'openai', baseUrls: [url], model: 'micro', mode: 'hermes', concurrency: 4 },
    probe: { batchSize: 8, maxTokens: 24 },
    judge: { kind: 'rule' },
    expander: { kind: 'template', perSeed: 2 },
    trainer: { kind: 'none' },
  };
  writeFileSync(join(work, 'config.json'), JSON.stringify(config));
  const r = run('iterate', 'runs/a', '--config', 'config.json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /round 1 needs a trained model/);
  const manifest = JSON.parse(readFileSync(join(work, 'runs/a/manifest.json'), 'utf8'));
  for (const s of ['dataset', 'probe', 'verify', 'expand', 'compose', 'train']) assert.equal(manifest.rounds[0].stages[s].state, 'done', s);
  const f = manifest.rounds[0].stages.probe.figures;
  assert.equal(f.probed, 40, 'every prompt fits the model and is answered');
  assert.ok(f.usage.requests >= 40 && f.usage.promptTokens > 0 && f.usage.completionTokens > 0, JSON.stringify(f.usage));
  // an untrained model gets most answers wrong: the judge sees them and the failures seed new samples
  assert.equal(manifest.rounds[0].stages.verify.figures.judged, f.failed);
  assert.ok(f.failed > 20, `${f.failed} wrong answers`);
  assert.ok(manifest.rounds[0].stages.expand.figures.made > 0);
  assert.equal(f.mastered + f.borderline + f.failed + f.error, 40);
  const next = readFileSync(join(work, 'runs/a/round-1/dataset.jsonl'), 'utf8').trim().split('\n');
  assert.equal(next.length, 40);
  const status = run('status', 'runs/a');
  assert.match(status.stdout, /^round +model/);
  // a rerun answers from the response cache and changes nothing
  const again = run('iterate', 'runs/a');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(join(work, 'runs/a/round-1/dataset.jsonl'), 'utf8').trim().split('\n').length, 40);
  // the trained model for round 1 (here: the same server) lets the run go on
  const cont = run('iterate', 'runs/a', '--trained-url', url, '--trained-name', 'micro');
  assert.equal(cont.status, 0, cont.stderr);
  const m2 = JSON.parse(readFileSync(join(work, 'runs/a/manifest.json'), 'utf8'));
  assert.equal(m2.rounds[1].stages.compose.state, 'done');
});

test('the LLM judge and LLM expander run over the served model too (an untrained judge decides nothing)', () => {
  const config = {
    data: join(work, 'world', 'seed.jsonl'),
    rounds: 1,
    budget: 12,
    model: { provider: 'openai', baseUrls: [url], model: 'micro', concurrency: 4 },
    probe: { batchSize: 4, maxTokens: 24 },
    judge: { kind: 'ensemble', model: { provider: 'openai', baseUrls: [url], model: 'micro' }, votes: 2 },
    expander: { kind: 'template', perSeed: 2 },
  };
  writeFileSync(join(work, 'llm.json'), JSON.stringify(config));
  const r = run('iterate', 'runs/llm', '--config', 'llm.json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(join(work, 'runs/llm/manifest.json'), 'utf8'));
  const v = m.rounds[0].stages.verify.figures;
  assert.equal(v.judged, m.rounds[0].stages.probe.figures.failed);
  assert.ok(v.judged > 0);
  const verdicts = readFileSync(join(work, 'runs/llm/round-0/verify.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(verdicts.every((x) => x.votes.length === 3 && x.votes.filter((y: { judge: string }) => y.judge.startsWith('llm:')).length === 2));
  assert.equal(m.rounds[0].stages.compose.state, 'done');
  // without JGLV every wrong answer seeds EDDE; the micro model's gibberish parses into no
  // sample, and that is counted, not thrown
  writeFileSync(join(work, 'llm-x.json'), JSON.stringify({ ...config, judge: { kind: 'rule' }, compose: { noJglv: true }, expander: { kind: 'llm', model: { provider: 'openai', baseUrls: [url], model: 'micro' }, perSeed: 2 } }));
  const x = run('iterate', 'runs/llm-x', '--config', 'llm-x.json');
  assert.equal(x.status, 0, x.stderr);
  const expand = readFileSync(join(work, 'runs/llm-x/round-0/expand.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(expand.length > 0 && expand.every((e) => e.samples.length === 0 && Object.keys(e.rejected).length > 0));
});

test('with the embedded trainer, every round trains with GRPO and the next round probes the new checkpoint', () => {
  const config = {
    data: join(work, 'world', 'seed.jsonl'),
    rounds: 2,
    budget: 8,
    model: { provider: 'engine', path: join(work, 'model') },
    probe: { batchSize: 4, maxTokens: 12 },
    expander: { kind: 'template', perSeed: 1 },
    trainer: { kind: 'embedded', grpo: { groupSize: 2, promptsPerStep: 4, maxTokens: 6 } },
  };
  writeFileSync(join(work, 'embedded.json'), JSON.stringify(config));
  const r = run('iterate', 'runs/embedded', '--config', 'embedded.json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /finished 2 rounds/);
  const m = JSON.parse(readFileSync(join(work, 'runs/embedded/manifest.json'), 'utf8'));
  assert.equal(m.rounds[1].model.path, join('runs/embedded', 'checkpoints', 'round-1'));
  assert.equal(m.rounds[2].model.path, join('runs/embedded', 'checkpoints', 'round-2'));
  assert.ok(existsSync(join(work, 'runs/embedded/checkpoints/round-1/model.safetensors')));
  assert.equal(m.rounds[1].stages.probe.state, 'done');
});

test('a bad config names its field', () => {
  writeFileSync(join(work, 'bad.json'), JSON.stringify({ data: 'x', model: { provider: 'openai', model: 'm' } }));
  const r = run('iterate', 'runs/b', '--config', 'bad.json');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: model\.baseUrls: an openai model needs baseUrls and model/);
  writeFileSync(join(work, 'ok.json'), JSON.stringify({ data: 'x', model: { provider: 'engine', path: 'm' } }));
  const set = run('iterate', 'runs/c', '--config', 'ok.json', '--set', 'judge.kind=oracle');
  assert.equal(set.status, 2);
  assert.match(set.stderr, /ok\.json: judge\.kind: /, 'an override is validated like the file');
  const schema = JSON.parse(run('iterate', '--print-schema').stdout);
  assert.equal(schema.type, 'object');
  assert.ok(schema.properties.judge);
});
