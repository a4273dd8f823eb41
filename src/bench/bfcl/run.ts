/**
 * BFCL-v3 against a model: each single-turn entry of the chosen AST categories becomes a
 * chat request (its function docs as tools), the model answers greedily, and the raw
 * reply is written as `{id, result}` to `BFCL_v3_<category>_result.json` in the official
 * result layout — appended as it comes, so a killed run resumes with the entries it had
 * not reached. Replies are then scored with the Hermes decoder (the provider renders
 * `tool_calls` of chat mode as `<tool_call>` blocks too).
 */
import { join } from 'node:path';
import { bfclToSample } from '../../core/convert/bfcl.ts';
import { readRecords } from '../../core/records.ts';
import type { Sample, Tool } from '../../core/types.ts';
import { isPlainObject, type ValueObject } from '../../core/value.ts';
import type { ChatModel } from '../../models/chat-model.ts';
import { JsonlStream } from '../../store/jsonl-stream.ts';
import { VERSION_PREFIX } from './categories.ts';
import { bfclDataFile } from './data.ts';

export interface BfclRunOptions {
  categories: readonly string[];
  /** Entries per category (the first ones), for a quick look. */
  limit?: number;
  maxTokens?: number;
  /** Requests handed to the model at once. */
  batchSize?: number;
  /** OpenAI function names may not hold dots: send `a_b` for `a.b` (score with underscore-to-dot). */
  dotsToUnderscores?: boolean;
  onProgress?: (category: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface BfclRunSummary {
  category: string;
  total: number;
  answered: number;
  skipped: number;
  failed: number;
}

export function resultFile(outDir: string, category: string): string {
  return join(outDir, `${VERSION_PREFIX}_${category}_result.json`);
}

function renameTools(tools: readonly Tool[]): Tool[] {
  return tools.map((t) => ({ ...t, name: t.name.replace(/\./g, '_') }));
}

/** The entries of a category as samples (tools with descriptions, the first turn's messages). */
export async function bfclSamples(dataDir: string, category: string): Promise<Sample[]> {
  const path = bfclDataFile(dataDir, category);
  return (await readRecords(path)).filter((r) => isPlainObject(r.value)).map((r) => bfclToSample(r.value as ValueObject, undefined, `${path}:${r.line}`));
}

export async function runBfcl(dataDir: string, model: ChatModel, outDir: string, options: BfclRunOptions): Promise<BfclRunSummary[]> {
  const summaries: BfclRunSummary[] = [];
  for (const category of options.categories) {
    const all = await bfclSamples(dataDir, category);
    const samples = options.limit === undefined ? all : all.slice(0, options.limit);
    const { stream } = JsonlStream.open(resultFile(outDir, category));
    const todo = samples.filter((s) => !stream.has(s.id));
    const summary: BfclRunSummary = { category, total: samples.length, answered: 0, skipped: samples.length - todo.length, failed: 0 };
    const batch = Math.max(1, options.batchSize ?? 32);
    options.onProgress?.(category, summary.skipped, samples.length);
    try {
      for (let i = 0; i < todo.length; i += batch) {
        options.signal?.throwIfAborted();
        const chunk = todo.slice(i, i + batch);
        const settled = await Promise.allSettled(
          chunk.map((s) =>
            model.generate([{ messages: s.messages, tools: options.dotsToUnderscores ? renameTools(s.tools) : s.tools }], { temperature: 0, maxTokens: options.maxTokens ?? 512, ...(options.signal ? { signal: options.signal } : {}) }),
          ),
        );
        if (options.signal?.aborted) options.signal.throwIfAborted();
        const records = chunk.flatMap((s, j) => {
          const r = settled[j]!;
          if (r.status === 'rejected') {
            summary.failed++;
            return [];
          }
          summary.answered++;
          return [{ id: s.id, result: r.value[0]!.choices[0]!.text }];
        });
        stream.append(records);
        options.onProgress?.(category, summary.skipped + i + chunk.length, samples.length);
      }
    } finally {
      stream.close();
    }
    summaries.push(summary);
  }
  return summaries;
}
