/** `looptool serve`: the embedded model behind an OpenAI-compatible API. */
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { InputError } from '../core/records.ts';
import { loadEngineModel } from '../models/engine-model.ts';
import { createOpenAIServer } from '../serve/openai-server.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve a model directory over an OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions).')
    .requiredOption('--model <dir>', 'model directory (from `looptool engine init` or `engine sft`)')
    .option('--port <n>', 'port (0 picks a free one)', port, 8000)
    .option('--host <addr>', 'address to bind; anything beyond loopback needs --api-key', '127.0.0.1')
    .option('--api-key <key>', 'require "Authorization: Bearer <key>" (or set LOOPTOOL_API_KEY)')
    .option('--served-model-name <name>', 'the model id clients use (default: the directory name)')
    .option('--max-tokens-cap <n>', 'largest max_tokens a request may ask for (also the default)', positiveInt, 1024)
    .option('--max-body <bytes>', 'largest request body', positiveInt, 1 << 20)
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
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, () => resolve());
      });
      const { port: bound } = server.address() as AddressInfo;
      process.stdout.write(`serving "${modelId}" on http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${bound}/v1\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          server.close(() => resolve());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
