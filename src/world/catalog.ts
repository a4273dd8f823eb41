/**
 * The world's tool catalog: every domain's tools as looptool `Tool`s (OpenAI function
 * shape with JSON-schema parameters), with lookup by name and execution of calls.
 */
import type { Tool, ToolCall } from '../core/types.ts';
import type { Value, ValueObject } from '../core/value.ts';
import { calendarDomain } from './domains/calendar.ts';
import { filesDomain } from './domains/files.ts';
import { financeDomain } from './domains/finance.ts';
import { healthDomain } from './domains/health.ts';
import { mathsDomain } from './domains/maths.ts';
import { messagingDomain } from './domains/messaging.ts';
import { musicDomain } from './domains/music.ts';
import { shoppingDomain } from './domains/shopping.ts';
import { travelDomain } from './domains/travel.ts';
import { weatherDomain } from './domains/weather.ts';
import { ToolError, type ParamSpec, type WorldChain, type WorldDomain, type WorldTool } from './types.ts';

export const DOMAINS: readonly WorldDomain[] = [weatherDomain, travelDomain, financeDomain, calendarDomain, messagingDomain, shoppingDomain, mathsDomain, filesDomain, musicDomain, healthDomain];

export const WORLD_TOOLS: readonly WorldTool[] = DOMAINS.flatMap((d) => d.tools);
export const WORLD_CHAINS: readonly WorldChain[] = DOMAINS.flatMap((d) => d.chains ?? []);

const BY_NAME = new Map(WORLD_TOOLS.map((t) => [t.name, t]));

export function worldTool(name: string): WorldTool | undefined {
  return BY_NAME.get(name);
}

/** The tools a request for `name` could be served by or mistaken for: itself and its look-alikes either way. */
export function lookAlikeFamily(name: string): Set<string> {
  const out = new Set([name]);
  const lookAlike = BY_NAME.get(name)?.lookAlike;
  if (lookAlike) out.add(lookAlike);
  for (const t of WORLD_TOOLS) if (t.lookAlike === name) out.add(t.name);
  return out;
}

function paramSchema(p: ParamSpec): ValueObject {
  const out: ValueObject = { type: p.type, description: p.description };
  if (p.enum) out['enum'] = [...p.enum];
  if (p.items) out['items'] = paramSchema(p.items);
  if (p.properties) {
    out['properties'] = Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, paramSchema(v)]));
    if (p.required && p.required.length > 0) out['required'] = [...p.required];
  }
  if (p.default !== undefined) out['default'] = p.default;
  return out;
}

const TOOL_CACHE = new Map<string, Tool>();

/** The tool as a model sees it. */
export function toolSpec(tool: WorldTool): Tool {
  let spec = TOOL_CACHE.get(tool.name);
  if (spec === undefined) {
    spec = {
      name: tool.name,
      description: tool.description,
      parameters: {
        type: 'object',
        properties: Object.fromEntries(Object.entries(tool.params).map(([k, v]) => [k, paramSchema(v)])),
        required: [...tool.required],
      },
    };
    TOOL_CACHE.set(tool.name, spec);
  }
  return spec;
}

export type ExecutionResult = { ok: true; result: Value } | { ok: false; error: string };

/** Runs a call against the world. Unknown tools and argument errors come back as failures, never as exceptions. */
export function executeCall(call: ToolCall): ExecutionResult {
  const tool = BY_NAME.get(call.name);
  if (tool === undefined) return { ok: false, error: `Unknown tool: ${call.name}` };
  try {
    return { ok: true, result: tool.execute(call.arguments) };
  } catch (e) {
    if (e instanceof ToolError) return { ok: false, error: e.message };
    return { ok: false, error: `Invalid arguments: ${e instanceof Error ? e.message : String(e)}` };
  }
}
