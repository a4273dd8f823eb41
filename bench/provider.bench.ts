/**
 * The OpenAI-compatible provider against a server (in another process) that answers at
 * once: requests per second through looptool's provider (hermes prompt rendering, the
 * SDK, retries bookkeeping, reply parsing) against plain `fetch` of the same bodies at the
 * same concurrency, and looptool's overhead per request.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChatRequest } from '../src/models/chat-model.ts';
import { OpenAIChatModel } from '../src/models/openai-chat-model.ts';
import { generateSplit } from '../src/world/generate.ts';
import { formatRate } from './measure.ts';

const server = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/instant-server.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())));
try {
  const samples = generateSplit('seed', 400, 1);
  const requests: ChatRequest[] = samples.map((s) => ({ messages: s.messages, tools: s.tools }));
  const total = 4000;
  const concurrency = 64;
  const all = Array.from({ length: total }, (_, i) => requests[i % requests.length]!);

  // best of three runs each: the rate the code allows, without scheduler hiccups
  const best = async (run: () => Promise<unknown>): Promise<number> => {
    let rate = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await run();
      rate = Math.max(rate, total / ((performance.now() - t0) / 1000));
    }
    return rate;
  };
  const model = new OpenAIChatModel({ baseUrls: [url], model: 'instant', concurrency, mode: 'hermes' });
  await model.generate(all.slice(0, 200), { logprobs: true });
  const viaProvider = await best(() => model.generate(all, { logprobs: true }));

  const bodies = all.map((r) => JSON.stringify({ model: 'instant', messages: r.messages, temperature: 0, logprobs: true }));
  const raw = async (): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await res.json();
        }
      }),
    );
  };
  await raw();
  const viaFetch = await best(raw);
  console.log(`provider, ${total} requests at concurrency ${concurrency}: ${formatRate(viaProvider)} requests/s (target ≥ 2,000)`);
  console.log(`plain fetch of the same requests:          ${formatRate(viaFetch)} requests/s`);
  console.log(`ratio provider / fetch: ${(viaProvider / viaFetch).toFixed(2)}; looptool's overhead ${((1 / viaProvider - 1 / viaFetch) * 1e6).toFixed(0)} µs per request`);
} finally {
  server.kill();
}
