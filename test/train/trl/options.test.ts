import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainerConfigError } from '../../../src/train/trainer-config-error.ts';
import { grpoConfigArgs, parseTrlOptions } from '../../../src/train/trl/options.ts';

function refusal(raw: unknown): TrainerConfigError {
  try {
    parseTrlOptions(raw);
  } catch (e) {
    assert.ok(e instanceof TrainerConfigError, `expected a TrainerConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`${JSON.stringify(raw)} was accepted`);
}

test('the defaults are the paper\'s GRPO settings under GRPOConfig\'s names', () => {
  const args = grpoConfigArgs(parseTrlOptions(undefined), 7);
  assert.equal(args['num_generations'], 16);
  assert.equal(args['temperature'], 1);
  assert.equal(args['epsilon'], 0.2);
  assert.equal(args['epsilon_high'], 0.28);
  assert.equal(args['beta'], 0);
  assert.equal(args['loss_type'], 'dapo');
  assert.equal(args['learning_rate'], 1e-6);
  assert.equal(args['bf16'], false);
  assert.equal(args['seed'], 7);
  assert.equal(args['report_to'], 'none');
  assert.equal('max_steps' in args, false);
});

test('named options and extra GRPOConfig settings reach the config', () => {
  const args = grpoConfigArgs(parseTrlOptions({ numGenerations: 4, perDeviceTrainBatchSize: 8, maxSteps: 3, lossType: 'bnpo', extra: { mask_truncated_completions: true } }), 0);
  assert.equal(args['num_generations'], 4);
  assert.equal(args['per_device_train_batch_size'], 8);
  assert.equal(args['max_steps'], 3);
  assert.equal(args['loss_type'], 'bnpo');
  assert.equal(args['mask_truncated_completions'], true);
});

test('refusals name the field as trainer.trl.<field>', () => {
  assert.equal(refusal({ numGenerations: 1 }).field, 'trainer.trl.numGenerations');
  assert.equal(refusal({ learningRate: 'fast' }).field, 'trainer.trl.learningRate');
  assert.equal(refusal({ numGenrations: 8 }).field, 'trainer.trl.numGenrations');
  assert.equal(refusal({ launcher: 'torchrun' }).field, 'trainer.trl.launcher');
  assert.equal(refusal({ gpus: '0;1' }).field, 'trainer.trl.gpus');
  assert.equal(refusal({ extra: { 'Bad-Name': 1 } }).field, 'trainer.trl.extra.Bad-Name');
  assert.match(refusal({ numGenrations: 8 }).message, /^trainer\.trl\.numGenrations: /);
});

test('a step must hold whole groups, across accumulation and processes', () => {
  const e = refusal({ numGenerations: 16, perDeviceTrainBatchSize: 12 });
  assert.equal(e.field, 'trainer.trl.perDeviceTrainBatchSize');
  assert.match(e.message, /12 completions a step.*numGenerations \(16\)/);
  assert.doesNotThrow(() => parseTrlOptions({ numGenerations: 16, perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 4 }));
  assert.doesNotThrow(() => parseTrlOptions({ numGenerations: 16, perDeviceTrainBatchSize: 2, launcher: 'accelerate', numProcesses: 8 }));
  // Processes only count when accelerate starts them.
  assert.equal(refusal({ numGenerations: 16, perDeviceTrainBatchSize: 2, numProcesses: 8 }).field, 'trainer.trl.perDeviceTrainBatchSize');
});

test('extra may not set what a named option or looptool sets', () => {
  assert.match(refusal({ extra: { num_generations: 8 } }).message, /trainer\.trl\.extra\.num_generations: set it with trainer\.trl\.numGenerations/);
  assert.equal(refusal({ extra: { output_dir: '/tmp/x' } }).field, 'trainer.trl.extra.output_dir');
  assert.equal(refusal({ extra: { seed: 3 } }).field, 'trainer.trl.extra.seed');
  assert.equal(refusal({ epsilon: 0.3, epsilonHigh: 0.28 }).field, 'trainer.trl.epsilonHigh');
});
