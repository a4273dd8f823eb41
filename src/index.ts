/** looptool's public library API. */
export * from './core/value.ts';
export * from './core/json.ts';
export * from './core/types.ts';
export * from './core/records.ts';
export * from './core/convert/index.ts';
export * from './core/convert/looptool.ts';
export * from './core/convert/sharegpt.ts';
export * from './core/convert/openai.ts';
export * from './core/convert/bfcl.ts';
export * from './toolcall/index.ts';
export * from './check/reward.ts';
export * from './check/schema.ts';
export {
  Tokenizer,
  trainTokenizer,
  loadTokenizer,
  saveTokenizer,
  parseTokenizerJson,
  tokenizerToJson,
  tokenizerFromJson,
  tokenizerConfigJson,
  DEFAULT_SPECIAL_TOKENS,
  type TrainOptions,
  type TokenizerConfigOptions,
  type EncodeOptions,
  type DecodeOptions,
  type SpecialTokenSpec,
} from './engine/tokenizer/index.ts';
export type { BfclErrorType, BfclCheckResult } from './check/bfcl/result.ts';
export type { BfclLanguage, BfclFunctionDoc, BfclParamDoc, BfclExpectedCall, BfclCall } from './check/bfcl/docs.ts';
export { checkBfclEntry, checkRelevance, type BfclDecoded, type BfclEntryInput } from './check/bfcl/entry.ts';
export { checkBfclAst } from './check/bfcl/ast-check.ts';
export { checkFunctionCall, expectedFunctionName, type BfclCheckOptions } from './check/bfcl/function-check.ts';
export { standardizeString } from './check/bfcl/standardize.ts';
export { BFCL_V3_CATEGORIES, AST_CATEGORIES as BFCL_AST_CATEGORIES } from './bench/bfcl/categories.ts';
export { loadBfclData, type BfclData, type BfclEntry } from './bench/bfcl/data.ts';
export { decodeBfclResult, BFCL_FORMATS, type BfclFormat } from './bench/bfcl/decode.ts';
export { readBfclPredictions } from './bench/bfcl/predictions.ts';
export { scoreBfcl, scoreBfclItem, type BfclPrediction, type BfclScore, type BfclItemScore, type BfclCategoryScore, type BfclScoreOptions } from './bench/bfcl/score.ts';
export { bfclLeaderboard, type BfclLeaderboard, type BfclLeaderboardRow, type BfclAccuracy } from './bench/bfcl/aggregate.ts';
export { formatBfclReport, bfclReportJson, bfclDetailsRecord } from './bench/bfcl/report.ts';
export { renderPossibleAnswers, type RenderedAnswer } from './bench/bfcl/render-answers.ts';
export * from './engine/config.ts';
export { createModel, forward, backward, logits, type Model, type Batch } from './engine/model.ts';
export { generate, scoreContinuation, GREEDY, type SamplingOptions, type GeneratedSequence } from './engine/generate.ts';
export { saveCheckpoint, loadCheckpoint, CheckpointError } from './engine/checkpoint.ts';
export { sftTrain, planSft, DEFAULT_SFT, type SftOptions, type TokenExample } from './engine/sft.ts';
export * from './models/chat-model.ts';
export { renderChat, renderAssistantTurn, CHAT_TEMPLATE_JINJA } from './models/chat-template.ts';
export { EngineChatModel, loadEngineModel, saveEngineModel, type EngineBundle } from './models/engine-model.ts';
export { initEngineModel, type InitModelOptions, type InitializedModel } from './models/init-engine-model.ts';
export { runEmbeddedSft, type SftRunOptions, type SftRunResult } from './train/embedded-sft-run.ts';
export { sampleToExample, renderLabel } from './train/sample-tokens.ts';
export { DEFAULT_PRETRAIN, pretrainWorldModel, pretrainSamples, pretrainReadingSamples, pretrainEvalSamples, PretrainMismatchError, readPretrainRecord, recordPretrainEvaluation, type PretrainOptions, type PretrainRecord, type PretrainResult, type PretrainEvaluation, type PretrainStage } from './train/pretrain-world.ts';
export { exportVerlParquet, verlRowsToParquet, type VerlExport, type VerlExportOptions } from './train/verl/export-parquet.ts';
export { sampleToVerlRow, type VerlRow } from './train/verl/rows.ts';
export { createOpenAIServer, type OpenAIServerOptions } from './serve/openai-server.ts';
export { decodeBfclPrompt, BFCL_NONE_KEY, type BfclPromptLanguage, type BfclDecodeResult } from './bench/bfcl/decode-prompt.ts';
export { groundingIndex, isGrounded, type GroundingIndex, type ParamHint } from './check/grounding.ts';
export { contentWords, wordsMatch, hasWord } from './check/words.ts';
export { Rng, seededRandom, hashString } from './core/random.ts';
export * from './world/types.ts';
export { DOMAINS, WORLD_TOOLS, WORLD_CHAINS, worldTool, toolSpec, executeCall, type ExecutionResult } from './world/catalog.ts';
export { generateWorld, generateSplit, DEFAULT_KIND_WEIGHTS, type GenerateOptions, type WorldData } from './world/generate.ts';
export { composeScenario, type ScenarioRequest, type WorldSample } from './world/scenario.ts';
export { NOISE_KINDS, injectNoise, maybeCorrupt, type NoiseKind, type NoiseRecord } from './world/noise.ts';
export { MISTAKE_KINDS, makeMistake, type MistakeKind, type ModelMistake } from './world/mistakes.ts';
export { writeWorld, readSplit, readNoise, readVerdicts, type WorldManifest } from './world/files.ts';
export { splitStats, verdictStats, type SplitStats, type VerdictStats } from './world/stats.ts';
export { VERDICTS, type Verdict, type Judge, type JudgeVerdict } from './loop/judge.ts';
export { RuleJudge, worldRuleJudge, assess, labelDefects, type RuleJudgeOptions, type Defect, type DefectKind } from './loop/rule-judge.ts';
export { sampleFingerprint, type Expander, type ExpansionSeed, type ExpansionReport } from './loop/expander.ts';
export { TemplateExpander, inferKind, type TemplateExpanderOptions } from './loop/template-expander.ts';
export { evaluateJudge, type JudgeEvaluation } from './loop/judge-eval.ts';
export { loadToolSet, parseToolFile, formatToolSetProblem, type ToolSetResult, type ToolSetError } from './core/tools/load-tool-set.ts';
export { importText, importRecords, IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportResult } from './core/convert/import.ts';
export type { TrainerPlugin, TrainerRound, PreparedTraining, TrainerCommand, TrainedModel, LaunchOptions } from './train/trainer-plugin.ts';
export { trainerPlugin, TRAINER_KINDS, type TrainerKind } from './train/trainers.ts';
export { verlTrainer } from './train/verl/verl-trainer.ts';
export { openRlhfTrainer } from './train/openrlhf/openrlhf-trainer.ts';
export { trlTrainer } from './train/trl/trl-trainer.ts';
export { synthesize, type SynthSettings, type SynthDeps, type SynthOutcome } from './synth/pipeline.ts';
export { createRewardServer, type RewardServerOptions } from './serve/reward-server.ts';
