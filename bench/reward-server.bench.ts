/**
 * `looptool serve-reward` under load, in its own process as a trainer would reach it:
 * rewards/s and latency for batches of 256 from a few keep-alive clients, against the
 * reward of the same batches computed in this process (so the ratio is what HTTP, JSON
 * and validation cost); then 10,000 malformed requests, each of which must get a JSON 4xx,
 * with the server's memory before and after.
 *
 * The acceptance it measures (issue 7): ≥ 20,000 rewards/s at batch 256 on 2 cores, p99
 * reported; 10,000 malformed bodies without a crash or a leak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scoreToolCallReward } from '../src/check/reward.ts';
import { dumpJson } from '../src/core/json.ts';
import { Rng } from '../src/core/random.ts';
import { parseRewardBatch, rewardBatchAnswer, scoreItems, verdictOf, type RewardItem } from '../src/serve/reward-batch.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../src/serve/reward-server.ts';
import { generateSplit } from '../src/world/generate.ts';
import { malformedRequests, MALFORMED_CATEGORIES, refusalProblem, sendMalformed } from '../test/serve/malformed-requests.ts';
import { rewardCases } from '../test/train/verl/reward-cases.ts';
import { formatRate, measure } from './measure.ts';

const BATCH = 256;
const CLIENTS = 4;
const WARMUP_MS = 2_000;
const LOAD_MS = 10_000;
const MALFORMED = 10_000;
const SETTLE_MS = 2_000;

// --- the batches: world samples with the replies a policy writes during GRPO (right, wrong, malformed) ---
const samples = generateSplit('seed', 800, 1);
const cases = new Rng(7).shuffle(rewardCases(samples, 1));
const batches: { items: RewardItem[]; body: Buffer; expected: string }[] = [];
for (let i = 0; i + BATCH <= cases.length; i += BATCH) {
  const slice = cases.slice(i, i + BATCH);
  const body = Buffer.from(JSON.stringify(slice.map((c, j) => ({ response: c.response, ground_truth: c.ground_truth, extra_info: { index: i + j, data_source: 'looptool-world' } }))));
  const items = slice.map((c) => ({ response: c.response, groundTruth: c.ground_truth }));
  // the answer as the library writes it, from the reward itself: every answer under load is checked against it
  const verdicts = items.map((it) => verdictOf(scoreToolCallReward(it.response, it.groundTruth)));
  batches.push({ items, body, expected: dumpJson(rewardBatchAnswer(verdicts), { ensureAscii: false, separators: [',', ':'] }) });
}
const share = (reasons: string[]): string => {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${((100 * n) / reasons.length).toFixed(0)}%`).join(', ');
};
const allReasons = batches.flatMap((b) => (JSON.parse(b.expected) as { reason: string }[]).map((v) => v.reason));
const meanBytes = batches.reduce((s, b) => s + b.body.length, 0) / batches.length;
console.log(`${batches.length} batches of ${BATCH} from ${samples.length} world samples (${(meanBytes / 1024).toFixed(0)} KiB a body); replies: ${share(allReasons)}`);

// --- the reference: the same batches scored in this process ---
const reward = { variant: 'official' as const };
function inProcessRates(): { reward: number; handler: number } {
  const r = measure(() => {
    for (const b of batches) scoreItems(b.items, reward);
  }, batches.length * BATCH);
  // what the server does per request short of HTTP: parse, validate, score, write the answer
  const h = measure(() => {
    for (const b of batches) dumpJson(rewardBatchAnswer(scoreItems(parseRewardBatch(JSON.parse(b.body.toString('utf8'))), reward)), { ensureAscii: false, separators: [',', ':'] });
  }, batches.length * BATCH);
  return { reward: r.perSecond, handler: h.perSecond };
}

function machineLoad(): string {
  return `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} on ${cpus().length} cores`;
}

// --- the server, in its own process ---
const bin = fileURLToPath(new URL('../bin/looptool.js', import.meta.url));
const probe = pathToFileURL(fileURLToPath(new URL('./fixtures/memory-probe.mjs', import.meta.url))).href;
const server: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', probe, bin, 'serve-reward', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
let exited: string | undefined;
server.on('exit', (code, signal) => (exited = `exit code ${code}, signal ${signal}`));
let stderrLines = 0;
const stderrTail: string[] = [];
server.stderr!.setEncoding('utf8').on('data', (text: string) => {
  for (const line of text.split('\n').filter(Boolean)) {
    stderrLines++;
    stderrTail.push(line);
    if (stderrTail.length > 5) stderrTail.shift();
  }
});
const origin = await new Promise<URL>((resolve, reject) => {
  let out = '';
  server.stdout!.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    const m = /(http:\/\/\S+)/.exec(out);
    if (m) resolve(new URL(m[1]!));
  });
  server.once('exit', () => reject(new Error(`serve-reward exited before listening: ${stderrTail.join(' | ')}`)));
});

const failures: string[] = [];
const fail = (what: string): void => {
  failures.push(what);
  console.log(`FAIL ${what}`);
};

/** CPU seconds the server process has used (user + system), from /proc. */
function serverCpuSeconds(): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

interface Memory {
  vmRssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** The server's resident memory from /proc, and its heap after a forced collection (from the preloaded probe). */
async function serverMemory(): Promise<Memory> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const heap = await new Promise<NodeJS.MemoryUsage>((resolve) => {
    server.once('message', (m) => resolve((m as { memory: NodeJS.MemoryUsage }).memory));
    server.send('memory');
  });
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]);
  const mib = (bytes: number): number => bytes / 2 ** 20;
  return { vmRssMiB: rssKb / 1024, heapUsedMiB: mib(heap.heapUsed), heapTotalMiB: mib(heap.heapTotal), externalMiB: mib(heap.external) };
}
const showMemory = (m: Memory): string => `RSS ${m.vmRssMiB.toFixed(1)} MiB, heap used ${m.heapUsedMiB.toFixed(1)} of ${m.heapTotalMiB.toFixed(1)} MiB, external ${m.externalMiB.toFixed(1)} MiB`;

// Each phase opens its connections afresh: a connection left idle through the pauses between
// phases (in-process timing, memory settling) reaches the server's keep-alive timeout, and a
// request racing that close would count as a dropped connection that no body caused.
let agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
function freshConnections(): void {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
}
function postBatch(body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: origin.hostname, port: origin.port, method: 'POST', path: '/reward', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

try {
  // --- load: CLIENTS keep-alive connections, each sending the next batch as soon as its answer is in ---
  const before = inProcessRates();
  const loadBefore = machineLoad();
  const run = async (ms: number, latencies: number[] | undefined): Promise<number> => {
    const end = performance.now() + ms;
    let next = 0;
    let wrong = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const b = batches[next++ % batches.length]!;
          const t0 = performance.now();
          const a = await postBatch(b.body);
          latencies?.push(performance.now() - t0);
          if (a.status !== 200 || a.text !== b.expected) wrong++;
        }
      }),
    );
    if (wrong > 0) fail(`${wrong} batches answered with something other than the in-process scores`);
    return next;
  };
  await run(WARMUP_MS, undefined);
  const latencies: number[] = [];
  const cpu0 = serverCpuSeconds();
  const t0 = performance.now();
  const sent = await run(LOAD_MS, latencies);
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = (serverCpuSeconds() - cpu0) / seconds;
  const loadDuring = machineLoad();
  const after = inProcessRates();

  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  const rewardsPerSecond = (sent * BATCH) / seconds;
  const referenceReward = (before.reward + after.reward) / 2;
  const referenceHandler = (before.handler + after.handler) / 2;
  console.log(`machine: ${loadBefore} before, ${loadDuring} after the load`);
  console.log(`serve-reward, batches of ${BATCH}, ${CLIENTS} keep-alive clients, ${seconds.toFixed(1)} s: ${formatRate(rewardsPerSecond)} rewards/s, ${formatRate(sent / seconds)} batches/s (target ≥ 20,000 rewards/s)`);
  console.log(`latency per batch: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; server process CPU ${(100 * serverCpu).toFixed(0)}% of a core, so ${formatRate(rewardsPerSecond / serverCpu)} rewards per CPU-second of the server (what a core of its own would give; other jobs share this machine's cores)`);
  console.log(`in this process, same batches: reward alone ${formatRate(referenceReward)} rewards/s; parse + validate + reward + answer JSON ${formatRate(referenceHandler)} rewards/s (before/after the load: ${formatRate(before.reward)}/${formatRate(after.reward)})`);
  console.log(`ratio server / in-process reward: ${(rewardsPerSecond / referenceReward).toFixed(2)}; server / in-process handler: ${(rewardsPerSecond / referenceHandler).toFixed(2)}`);
  if (rewardsPerSecond < 20_000) fail(`${formatRate(rewardsPerSecond)} rewards/s is below the 20,000 target`);

  // --- malformed requests: each must get a JSON 4xx naming the problem; the connection must never end unanswered ---
  // A first pass over every kind of refusal, so code compiled and buffers sized once for
  // the error paths are in the baseline: what remains to grow would be kept per request.
  freshConnections();
  for (const c of malformedRequests(500, 2, { limit: DEFAULT_MAX_BODY_BYTES, streamShare: 0 })) await sendMalformed(origin, c, agent).catch(() => undefined);
  const memoryBefore = await serverMemory();
  const malformed = malformedRequests(MALFORMED, 1, { limit: DEFAULT_MAX_BODY_BYTES, streamShare: 0.01 });
  const statuses = new Map<number, number>();
  const problems = new Map<string, number>();
  const count = <K>(m: Map<K, number>, k: K): void => void m.set(k, (m.get(k) ?? 0) + 1);
  let dropped = 0;
  let next = 0;
  const m0 = performance.now();
  const sendAll = async (upTo: number): Promise<void> => {
    freshConnections();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < upTo) {
          const index = next++;
          const c = malformed[index]!;
          try {
            const a = await sendMalformed(origin, c, agent);
            count(statuses, a.status);
            const problem = refusalProblem(c, a);
            if (problem) count(problems, `${c.category} (${c.what}): ${problem}`);
          } catch (e) {
            dropped++;
            count(problems, `${c.category} (#${index}): ${(e as Error).message}`);
          }
        }
      }),
    );
  };
  await sendAll(MALFORMED / 2);
  const malformedMs = performance.now() - m0;
  const memoryHalfway = await serverMemory();
  const m1 = performance.now();
  await sendAll(MALFORMED);
  const totalMalformedMs = malformedMs + performance.now() - m1;
  const memoryAfter = await serverMemory();

  const perCategory = MALFORMED_CATEGORIES.map((c) => `${c} ${malformed.filter((m) => m.category === c).length}`).join(', ');
  console.log(`${MALFORMED.toLocaleString('en-US')} malformed requests (${perCategory}) in ${(totalMalformedMs / 1000).toFixed(1)} s`);
  console.log(`answers: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(', ')}; connections ended unanswered: ${dropped}; server log lines: ${stderrLines}`);
  for (const [p, n] of [...problems].slice(0, 10)) fail(`${n}× ${p}`);

  freshConnections();
  const health = await fetch(new URL('/health', origin)).then(async (r) => `${r.status} ${await r.text()}`, (e: unknown) => String(e));
  const valid = await postBatch(batches[0]!.body).catch((e: unknown) => ({ status: 0, text: String(e) }));
  console.log(`afterwards: /health ${health}; a valid batch ${valid.status === 200 && valid.text === batches[0]!.expected ? 'scored as in-process' : `FAILED (${valid.status})`}; process ${exited ?? 'running'}`);
  if (!health.startsWith('200 ')) fail('/health does not answer after the malformed requests');
  if (valid.status !== 200 || valid.text !== batches[0]!.expected) fail('a valid batch is not scored correctly after the malformed requests');
  if (exited) fail(`the server process ended: ${exited}; last log lines: ${stderrTail.join(' | ')}`);

  console.log(`server memory before, settled:          ${showMemory(memoryBefore)}`);
  console.log(`after 5,000 malformed requests:        ${showMemory(memoryHalfway)}`);
  console.log(`after 10,000 malformed requests:       ${showMemory(memoryAfter)}`);
  const growth = memoryAfter.heapUsedMiB - memoryBefore.heapUsedMiB;
  const secondHalf = memoryAfter.heapUsedMiB - memoryHalfway.heapUsedMiB;
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  console.log(`heap growth over the 10,000: ${signed(growth)} MiB (${((growth * 2 ** 20) / MALFORMED).toFixed(0)} bytes per request); second half alone: ${signed(secondHalf)} MiB`);
  // A leak keeps something per request, so it grows with their number: 5,000 requests keeping
  // 200 bytes each would add 1 MiB in the second half alone.
  if (growth > 2 || secondHalf > 1) fail(`the heap grew ${growth.toFixed(1)} MiB over the malformed requests, ${secondHalf.toFixed(1)} MiB over the second half`);
} finally {
  agent.destroy();
  if (!exited) {
    const stopped = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGTERM');
    await stopped;
    console.log(`server stopped on SIGTERM: ${exited}`);
  }
  if (failures.length > 0) process.exitCode = 1;
}
