/** `looptool serve`: the embedded model behind an OpenAI-compatible API. */
import type { Command } from 'commander';
import { InputError } from '../core/records.ts';
import { portNumber, positiveWholeNumber } from './flag-parsers.ts';
import { serveUntilStopped } from './serve-until-stopped.ts';
import { loadEngineModel } from '../models/engine-model.ts';
import { createOpenAIServer } from '../serve/openai-server.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);


export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve a model directory over an OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions).')
    .requiredOption('--model <dir>', 'model directory (from `looptool engine init` or `engine sft`)')
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 8000)
    .option('--host <addr>', 'address to bind; anything beyond loopback needs --api-key', '127.0.0.1')
    .option('--api-key <key>', 'require "Authorization: Bearer <key>" (or set LOOPTOOL_API_KEY)')
    .option('--served-model-name <name>', 'the model id clients use (default: the directory name)')
    .option('--max-tokens-cap <n>', 'largest max_tokens a request may ask for (also the default)', positiveWholeNumber, 1024)
    .option('--max-body <bytes>', 'largest request body', positiveWholeNumber, 1 << 20)
    .addHelpText(
      'after',
      `
Example:
  looptool serve --model models/sft --port 8000
  curl -s localhost:8000/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"messages": [{"role": "user", "content": "Weather in Oslo?"}], "temperature": 0}'
Any OpenAI client works: point its base URL at http://127.0.0.1:8000/v1.
`,
    )
    .action(async (opts: { model: string; port: number; host: string; apiKey?: string; servedModelName?: string; maxTokensCap: number; maxBody: number }) => {
      const apiKey = opts.apiKey ?? process.env['LOOPTOOL_API_KEY'];
      if (!LOOPBACK.has(opts.host) && !apiKey) throw new InputError('--host', undefined, undefined, `binding ${opts.host} exposes the model beyond this machine; give --api-key too`);
      const bundle = await loadEngineModel(opts.model);
      const modelId = opts.servedModelName ?? opts.model.replace(/\/+$/, '').split('/').pop()!;
      const server = createOpenAIServer({ bundle, modelId, maxTokensCap: opts.maxTokensCap, maxBodyBytes: opts.maxBody, ...(apiKey ? { apiKey } : {}) });
      await serveUntilStopped(server, opts.host, opts.port, (origin) => `serving "${modelId}" on ${origin}/v1`);
    });
}
