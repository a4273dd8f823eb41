/**
 * A Tool that runs the user's own executor instead of simulating one: an HTTP endpoint
 * that takes `POST {name, arguments}` and answers with the result as JSON, or a JS
 * module exporting `execute({name, arguments})` (or a default function, or one function
 * per tool name). What the executor reports as a failure becomes the call's error result;
 * an endpoint that cannot be reached is a role failure, tried again.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { tryParseJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { isValue, type Value } from '../core/value.ts';
import type { RoleResult, ToolInput, ToolOutcome, ToolRole } from './roles.ts';

type Execute = (call: ToolCall) => unknown;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class HttpExecutorTool implements ToolRole {
  readonly name: string;
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.name = `http:${url}`;
  }

  async run(input: ToolInput): Promise<RoleResult<ToolOutcome[]>> {
    const out: ToolOutcome[] = [];
    for (const call of input.calls) {
      let response: Response;
      let text: string;
      const signals = [AbortSignal.timeout(this.timeoutMs), ...(input.signal ? [input.signal] : [])];
      try {
        response = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: call.name, arguments: call.arguments }), signal: AbortSignal.any(signals) });
        // the timeout covers the body too: an endpoint that stalls or drops mid-answer is a role failure, tried again
        text = await response.text();
      } catch (e) {
        input.signal?.throwIfAborted();
        return { ok: false, error: `${this.url}: ${errorText(e)}` };
      }
      const parsed = tryParseJson(text);
      const body: Value = parsed.ok ? parsed.value : text;
      out.push({ name: call.name, result: response.ok ? body : { error: `HTTP ${response.status}: ${typeof body === 'string' ? body : JSON.stringify(body)}` } });
    }
    return { ok: true, value: out };
  }
}

export class ModuleExecutorTool implements ToolRole {
  readonly name: string;
  private loaded: Promise<Execute> | undefined;
  constructor(private readonly path: string) {
    this.name = `module:${path}`;
  }

  private load(): Promise<Execute> {
    this.loaded ??= import(pathToFileURL(resolve(this.path)).href).then((m: Record<string, unknown>) => {
      const fn = m['execute'] ?? m['default'];
      if (typeof fn === 'function') return fn as Execute;
      const table = (typeof fn === 'object' && fn !== null ? fn : m) as Record<string, unknown>;
      return (call: ToolCall) => {
        const own = table[call.name];
        if (typeof own !== 'function') throw new Error(`Unknown tool: ${call.name}`);
        return (own as (args: unknown) => unknown)(call.arguments);
      };
    });
    return this.loaded;
  }

  async run(input: ToolInput): Promise<RoleResult<ToolOutcome[]>> {
    let execute: Execute;
    try {
      execute = await this.load();
    } catch (e) {
      return { ok: false, error: `${this.path}: ${errorText(e)}` };
    }
    const out: ToolOutcome[] = [];
    for (const call of input.calls) {
      try {
        const result = await execute(structuredClone(call));
        const value = result === undefined ? null : JSON.parse(JSON.stringify(result)) as unknown;
        out.push({ name: call.name, result: isValue(value) ? value : String(value) });
      } catch (e) {
        out.push({ name: call.name, result: { error: errorText(e) } });
      }
    }
    return { ok: true, value: out };
  }
}
