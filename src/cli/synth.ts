/** `looptool synth`: verified multi-turn tool-calling data for a tool set, from four cooperating roles. */
import { setMaxListeners } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../core/records.ts';
import type { Tool } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { DiskResponseCache } from '../models/response-cache.ts';
import { RunStore } from '../store/run-store.ts';
import { buildRoles, describeChoice, type JudgeChoice, type ModelChoice, type RoleChoices, type ToolChoice } from '../synth/build-roles.ts';
import { synthesize } from '../synth/pipeline.ts';
import { checkSameRun, toolSetHash, type SynthRunConfig } from '../synth/run-config.ts';
import { servedModelName } from '../synth/served-model.ts';
import { formatSummary } from '../synth/summary.ts';
import { POLICIES, type Policy } from '../synth/to-samples.ts';
import { STAGES, UsageMeter } from '../synth/usage-meter.ts';
import { WORLD_TOOLS, toolSpec, worldTool } from '../world/catalog.ts';
import { WORLD_YEAR } from '../world/values.ts';
import { SHIPPED_BASE_MODEL } from './demo.ts';
import { nonNegativeNumber, positiveWholeNumber, toolRange, wholeNumber } from './flag-parsers.ts';
import { startProgress } from './progress.ts';
import { readToolSetOption } from './tool-set-option.ts';

const HELP = `
Four roles make each dialogue, as in the LoopTool paper: a Planner writes the user's
needs for a sampled subset of your tools (single calls, multi-step, parallel, ones that
need a clarifying question, ones no tool serves), a User speaks them in a persona, an
Assistant calls tools in Hermes <tool_call> format or replies (sampled twice, a third
time when the two disagree), and a Tool answers the calls (simulated, or your executor).
Every assistant step is verified before it joins: rules first (the tool exists, required
arguments are there with the right types and allowed values, every value comes from the
dialogue), then the judge. A dialogue with a rejected step is cut there (--policy cut)
or dropped (--policy drop).

--model embedded runs everything on this machine from the built-in world: its planner
and templated user, the shipped base model as the assistant, its executors as the tool
(use --tools world, or a list of the world's tools). A URL names an OpenAI-compatible
server (vLLM, SGLang, llama.cpp, Ollama, looptool serve); --planner, --user,
--assistant and --tool give a role its own model.

OUT gets samples.jsonl (per-turn looptool samples, ready for looptool iterate),
summary.json, round-0/dialogues.jsonl (every dialogue with each step's verdict and
reasons), manifest.json and cache/. Stop it any time; the same command continues.

Examples:
  looptool synth --tools world --n 20 --model embedded --out runs/synth-demo
  looptool synth --tools my-tools.json --n 500 --model http://127.0.0.1:8000/v1 \\
    --judge http://127.0.0.1:8001/v1 --judge-votes 3 --concurrency 16 --out runs/synth
  looptool synth --tools my-tools.json --n 200 --model http://127.0.0.1:8000/v1 \\
    --executor ./my-executor.mjs --policy drop --out runs/synth-exec
`;

/** The name of a server's model is filled in later (from --model-name or the server's list). */
function modelChoice(value: string): ModelChoice {
  if (value === 'embedded') return { kind: 'embedded' };
  if (/^https?:\/\//.test(value)) return { kind: 'openai', url: value, name: '' };
  if (existsSync(value) && statSync(value).isDirectory()) return { kind: 'engine', path: value };
  throw new InvalidArgumentError('expected "embedded", an http(s) URL of an OpenAI-compatible server, or an embedded model directory');
}

function executorChoice(value: string): ToolChoice {
  if (/^https?:\/\//.test(value)) return { kind: 'http', url: value };
  if (/\.(?:m?js|cjs)$/.test(value) && existsSync(value)) return { kind: 'module', path: value };
  throw new InvalidArgumentError('expected the URL of an executor endpoint or an existing .js/.mjs module');
}

function policy(value: string): Policy {
  if (!(POLICIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${POLICIES.join(', ')}`);
  return value as Policy;
}

interface SynthFlags {
  tools: string;
  n: number;
  model: ModelChoice;
  modelName?: string;
  planner?: ModelChoice;
  user?: ModelChoice;
  assistant?: ModelChoice;
  tool?: ModelChoice;
  executor?: ToolChoice;
  out: string;
  judge: string;
  judgeName?: string;
  judgeVotes: number;
  judgeK?: number;
  ensemble?: boolean;
  concurrency: number;
  seed: number;
  policy: Policy;
  toolsPerDialogue?: { min: number; max: number };
  needs?: { min: number; max: number };
  retries: number;
  maxSteps: number;
  temperature: number;
  date?: string;
  apiKey?: string;
  json?: boolean;
}

async function readTools(path: string): Promise<Tool[]> {
  return path === 'world' ? WORLD_TOOLS.map(toolSpec) : readToolSetOption(path);
}

/** The served model name at a URL: the one given, else what the server lists first (asked once per URL). */
async function servedName(url: string, given: string | undefined, flag: string, apiKey: string | undefined, asked: Map<string, string>): Promise<string> {
  if (given !== undefined) return given;
  let name = asked.get(url);
  if (name === undefined) {
    try {
      name = await servedModelName(url, apiKey);
    } catch (e) {
      throw new InputError(flag, undefined, undefined, `${url}: ${e instanceof Error ? e.message : String(e)} (give ${flag}-name)`);
    }
    asked.set(url, name);
  }
  return name;
}

async function named<T extends ToolChoice>(choice: T, given: string | undefined, apiKey: string | undefined, asked: Map<string, string>): Promise<T> {
  return choice.kind === 'openai' ? { ...choice, name: await servedName(choice.url, given, '--model', apiKey, asked) } : choice;
}

function thousands(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('synthesize verified multi-turn tool-calling dialogues for a tool set (planner, user, assistant, tool; rules + judge), as per-turn samples')
    .requiredOption('--tools <path>', 'the tool set: a JSON tool list, an OpenAPI 3 document, a ToolBench folder (see looptool tools check), or "world" for the built-in world\'s tools')
    .option('--n <count>', 'dialogues to make', positiveWholeNumber, 50)
    .requiredOption('--model <url|embedded|dir>', 'the model for every role: an OpenAI-compatible base URL, "embedded", or an embedded model directory', modelChoice)
    .option('--model-name <name>', 'the served model name at the URLs (default: the first one GET /models lists)')
    .option('--planner <url|embedded|dir>', 'the planner\'s own model', modelChoice)
    .option('--user <url|embedded|dir>', 'the user\'s own model', modelChoice)
    .option('--assistant <url|embedded|dir>', 'the assistant\'s own model', modelChoice)
    .option('--tool <url|embedded|dir>', 'the model that simulates the tools', modelChoice)
    .option('--executor <url|module>', 'run calls on your executor instead: POST {name, arguments} to a URL, or a JS module exporting execute({name, arguments})', executorChoice)
    .requiredOption('--out <dir>', 'output directory (rerun the same command to resume)')
    .option('--judge <rule|url>', 'the judge: "rule", or the base URL of an LLM judge', 'rule')
    .option('--judge-name <name>', 'the served model name of the LLM judge (default: the first one it lists)')
    .option('--judge-votes <n>', 'votes of the LLM judge (samples at temperature 0.7 when more than one)', positiveWholeNumber, 1)
    .option('--judge-k <n>', 'votes that must agree (default: a majority)', positiveWholeNumber)
    .option('--ensemble', 'the rule judge votes too, beside the LLM judge')
    .option('--concurrency <n>', 'dialogues in flight at once', positiveWholeNumber, 4)
    .option('--seed <n>', 'seeds the tool subsets, lengths, personas and every model call', wholeNumber, 0)
    .addOption(new Option('--policy <cut|drop>', 'a dialogue with a rejected step is cut there or dropped').argParser(policy).default('cut'))
    .option('--tools-per-dialogue <min-max>', 'tools offered per dialogue (default 2-3 embedded, 3-6 otherwise)', toolRange)
    .option('--needs <min-max>', 'user needs per dialogue (default 1-2 embedded, 2-4 otherwise)', toolRange)
    .option('--retries <n>', 'tries after the first when a role gives nothing usable', wholeNumber, 2)
    .option('--max-steps <n>', 'assistant steps one user turn may take', positiveWholeNumber, 4)
    .option('--temperature <t>', 'the assistant\'s sampling temperature for self-consistency', nonNegativeNumber, 0.7)
    .option('--date <YYYY-MM-DD>', 'the dialogues\' date (default: the world\'s year when the world plans, else today)')
    .option('--api-key <key>', 'API key for the servers (or set LOOPTOOL_API_KEY)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', HELP)
    .action(async (flags: SynthFlags) => {
      const tools = await readTools(flags.tools);
      const apiKey = flags.apiKey ?? process.env['LOOPTOOL_API_KEY'];
      const asked = new Map<string, string>();
      const choices: RoleChoices = {
        planner: await named(flags.planner ?? flags.model, flags.modelName, apiKey, asked),
        user: await named(flags.user ?? flags.model, flags.modelName, apiKey, asked),
        assistant: await named(flags.assistant ?? flags.model, flags.modelName, apiKey, asked),
        tool: await named(flags.executor ?? flags.tool ?? flags.model, flags.modelName, apiKey, asked),
      };
      const worldPlans = choices.planner.kind === 'embedded';
      if (worldPlans && !tools.some((t) => worldTool(t.name))) {
        throw new InputError(flags.tools, undefined, undefined, "the embedded planner plans for the built-in world's tools only and none of these is one; use --model URL (or --planner and --user URL) for your own tools");
      }
      let judge: JudgeChoice = { kind: 'rule' };
      if (flags.judge !== 'rule') {
        if (!/^https?:\/\//.test(flags.judge)) throw new InputError('--judge', undefined, undefined, `expected "rule" or an http(s) URL, got "${flags.judge}"`);
        const name = await servedName(flags.judge, flags.judgeName, '--judge', apiKey, asked);
        judge = { kind: flags.ensemble ? 'ensemble' : 'llm', url: flags.judge, name, votes: flags.judgeVotes, ...(flags.judgeK !== undefined ? { k: flags.judgeK } : {}) };
      }
      const manifestPath = join(flags.out, 'manifest.json');
      const stored = existsSync(manifestPath) ? (RunStore.open(flags.out, { config: {} }).manifest.config as { date?: string }) : undefined;
      const date = flags.date ?? stored?.date ?? (worldPlans ? `${WORLD_YEAR}-01-15` : new Date().toISOString().slice(0, 10));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InputError('--date', undefined, undefined, `expected YYYY-MM-DD, got "${date}"`);
      const embedded = choices.assistant.kind === 'embedded';
      const settings = {
        n: flags.n,
        seed: flags.seed,
        policy: flags.policy,
        toolsPerDialogue: flags.toolsPerDialogue ?? (embedded ? { min: 2, max: 3 } : { min: 3, max: 6 }),
        needs: flags.needs ?? (embedded ? { min: 1, max: 2 } : { min: 2, max: 4 }),
        date,
        retries: flags.retries,
        maxStepsPerTurn: flags.maxSteps,
      };
      const config: SynthRunConfig = {
        toolSet: toolSetHash(tools),
        tools: tools.length,
        concurrency: flags.concurrency,
        ...settings,
        temperature: flags.temperature,
        roles: { planner: describeChoice(choices.planner), user: describeChoice(choices.user), assistant: describeChoice(choices.assistant), tool: describeChoice(choices.tool) },
        judge: judge.kind === 'rule' ? 'rule' : `${judge.kind}:${judge.url}#${judge.name} votes ${judge.votes}${judge.k !== undefined ? ` k ${judge.k}` : ''}`,
      };
      if (stored) checkSameRun(stored as unknown as Value, config, manifestPath);
      const store = RunStore.open(flags.out, { config: config as unknown as Value });
      const meter = new UsageMeter();
      const built = await buildRoles(choices, { meter, baseModelDir: SHIPPED_BASE_MODEL, cache: new DiskResponseCache(join(flags.out, 'cache')), date, temperature: flags.temperature, concurrency: Math.max(4, flags.concurrency * 3), ...(apiKey !== undefined ? { apiKey } : {}) });
      const abort = new AbortController();
      setMaxListeners(0, abort.signal);
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const bar = startProgress({ label: 'synth', total: flags.n, unit: 'dialogues' });
      const started = performance.now();
      let done = 0;
      let barStopped = false;
      const refresh = (): void => {
        const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
        const fields: Record<string, string> = {};
        for (const s of STAGES) if (meter.tokens(s) > 0) fields[s] = `${thousands(meter.tokens(s))} tok ${thousands(Math.round(meter.tokens(s) / seconds))}/s`;
        bar.update(done, fields);
      };
      const timer = setInterval(refresh, 2000);
      timer.unref();
      try {
        const outcome = await synthesize(store, tools, settings, {
          roles: built.roles,
          judge: await built.judgeFor(judge),
          meter,
          concurrency: flags.concurrency,
          signal: abort.signal,
          onDialogue: (d) => {
            done = d;
            refresh();
          },
          log: (line) => process.stderr.write(`${line}\n`),
        });
        clearInterval(timer);
        bar.stop();
        barStopped = true;
        process.stdout.write(flags.json ? JSON.stringify(outcome.summary, null, 2) + '\n' : formatSummary(outcome.summary) + `\nwrote ${outcome.samplesPath} and ${outcome.summaryPath}\n`);
        if (outcome.failures.length > 0) {
          process.stderr.write(`${outcome.failures.length} dialogues failed (first: ${outcome.failures[0]!.id}: ${outcome.failures[0]!.error}); run the same command to try them again\n`);
          process.exitCode = 1;
        }
      } catch (e) {
        if (abort.signal.aborted) {
          process.stderr.write(`\nstopped; the dialogues made so far are in ${flags.out}. Run the same command to continue.\n`);
          process.exitCode = 130;
          return;
        }
        throw e;
      } finally {
        clearInterval(timer);
        if (!barStopped) bar.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        store.close();
      }
    });
}
