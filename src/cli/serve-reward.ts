/** `looptool serve-reward`: the LoopTool reward over HTTP, for verl, OpenRLHF and TRL running elsewhere. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RewardVariant } from '../check/reward.ts';
import { InputError } from '../core/records.ts';
import { portNumber } from './flag-parsers.ts';
import { serveUntilStopped } from './serve-until-stopped.ts';
import { createRewardServer } from '../serve/reward-server.ts';


function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 4096) throw new InvalidArgumentError('expected a size in MiB above 0 and at most 4096');
  return n;
}

/** Addresses that only this machine can reach; anything else needs an API key. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

const HELP = `
Endpoints (JSON in, JSON out; scores are floats):

  POST /reward          for verl and TRL shims
    in:  [{"response": "<model reply>", "ground_truth": "<label>", "extra_info": {...}?}, ...]
    out: [{"score": 1.0, "format_ok": true, "calls_ok": true, "reason": "match"}, ...]  (same order)

  POST /get_reward      OpenRLHF's remote reward protocol (also POST /)
    in:  {"query": ["<prompt + reply>", ...], "prompts": ["<prompt>", ...], "labels": ["<label>", ...]}
    out: {"rewards": [1.0, ...], "scores": [1.0, ...],
          "extra_logs": {"format_ok": [1.0, ...], "calls_ok": [1.0, ...]}}
    The reply is the query with its prompt removed.

  GET /health           {"status": "ok", "variant": "official"}  (no API key needed)

A label with <tool_call> blocks wants the same calls; a label without wants a text reply.
score: 1 right, 0 wrong. format_ok: the reply has a readable form (a text reply, or call
blocks that parsed); calls_ok: the reply is right. reason: match, text_match,
text_expected_got_call, missing_tags, count_mismatch, calls_differ, unparseable_block (strict).
A bad body gets a 400 naming the field ({"error": {"message": "body[3].ground_truth: expected
a string, got a number", ...}}); a body over --max-body-mb a 413; a wrong or missing key a 401.

Example:
  looptool serve-reward --port 8300
  curl -s localhost:8300/reward -H 'content-type: application/json' -d '[{"response":
    "<tool_call>\\n{\\"name\\": \\"f\\", \\"arguments\\": {\\"a\\": 1}}\\n</tool_call>", "ground_truth":
    "<tool_call>\\n{\\"name\\": \\"f\\", \\"arguments\\": {\\"a\\": 1}}\\n</tool_call>"}]'

Pointing trainers at it:
  OpenRLHF  --remote_rm_url http://HOST:8300/get_reward --label_key <ground-truth field>
            with --api-key: --remote_rm_url http://looptool:KEY@HOST:8300/get_reward
            (OpenRLHF sends no headers of its own; the key in the URL goes as Basic auth)
  verl      custom_reward_function.path=<module> whose compute_score(data_source,
            solution_str, ground_truth, extra_info) POSTs [{response: solution_str,
            ground_truth, extra_info}] to /reward (lists at once with a batch reward manager)
  TRL       a GRPOTrainer reward function (prompts, completions, ground_truth, **kw) that
            POSTs [{response, ground_truth}] to /reward and returns the scores
  With --api-key, send "Authorization: Bearer KEY" (or set LOOPTOOL_API_KEY here).

Binds 127.0.0.1 unless --host says otherwise; any address beyond loopback needs --api-key.
Stops on Ctrl-C / SIGTERM.
`;

interface ServeRewardOptions {
  port: number;
  host: string;
  variant: RewardVariant;
  apiKey?: string;
  maxBodyMb: number;
}

export function registerServeRewardCommand(program: Command): void {
  program
    .command('serve-reward')
    .description('serve the LoopTool reward over HTTP for verl, OpenRLHF and TRL (POST /reward, POST /get_reward, GET /health)')
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 8300)
    .option('--host <addr>', 'address to bind; anything beyond loopback needs --api-key', '127.0.0.1')
    .addOption(new Option('--variant <variant>', 'reward rules (see `looptool reward --help`)').choices(['official', 'strict']).default('official'))
    .option('--api-key <key>', 'require this key on every request but /health (or set LOOPTOOL_API_KEY)')
    .option('--max-body-mb <n>', 'largest request body in MiB', megabytes, 32)
    .addHelpText('after', HELP)
    .action(async (opts: ServeRewardOptions) => {
      const apiKey = opts.apiKey ?? process.env['LOOPTOOL_API_KEY'];
      if (!isLoopbackHost(opts.host) && !apiKey) {
        throw new InputError('--host', undefined, undefined, `binding ${opts.host} lets other machines ask for rewards; give --api-key too (or set LOOPTOOL_API_KEY)`);
      }
      const server = createRewardServer({
        variant: opts.variant,
        maxBodyBytes: Math.floor(opts.maxBodyMb * 1024 * 1024),
        log: (line) => process.stderr.write(`serve-reward: ${line}\n`),
        ...(apiKey ? { apiKey } : {}),
      });
      const host = opts.host.replace(/^\[(.*)\]$/, '$1');
      await serveUntilStopped(server, host, opts.port, (origin) => `serving the ${opts.variant} reward on ${origin}`);
    });
}
