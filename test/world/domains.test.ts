import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateToolCall } from '../../src/check/schema.ts';
import type { ToolCall } from '../../src/core/types.ts';
import { Rng } from '../../src/core/random.ts';
import { DOMAINS, WORLD_CHAINS, WORLD_TOOLS, executeCall, toolSpec, worldTool } from '../../src/world/catalog.ts';
import { fillTemplate, parseTemplate, templateSlots } from '../../src/world/template.ts';
import type { Split, WorldTool } from '../../src/world/types.ts';

const STOP = new Set(['the', 'and', 'for', 'with', 'what', 'how', 'this', 'that', 'from', 'into', 'please', 'give', 'tell', 'show', 'want', 'need', 'can', 'you', 'are', 'any', 'get', 'all', 'its', 'our', 'your', 'has', 'have', 'was', 'will', 'not', 'but', 'one', 'out', 'list']);
const words = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[a-z0-9.]+/g) ?? []).map((w) => w.replace(/\.$/, '')).filter((w) => w.length >= 2 && !STOP.has(w)).map((w) => w.slice(0, 5)));

/** The words a template always writes: no slot values, no optional segments. */
function literalText(template: string): string {
  return template.replace(/\[[^\]]*\]/g, ' ').replace(/\{[^}]*\}/g, ' ');
}

test('the catalog has at least 60 tools over at least 10 domains, with unique names', () => {
  const filled = DOMAINS.filter((d) => d.tools.length > 0);
  assert.ok(filled.length >= 10, `${filled.length} domains with tools`);
  assert.ok(WORLD_TOOLS.length >= 60, `${WORLD_TOOLS.length} tools`);
  assert.equal(new Set(WORLD_TOOLS.map((t) => t.name)).size, WORLD_TOOLS.length);
});

test('the catalog uses every parameter type and mixed naming conventions', () => {
  const types = new Set<string>();
  const visit = (p: { type: string; items?: unknown; properties?: Record<string, unknown> }): void => {
    types.add(p.type);
    if (p.items) visit(p.items as never);
    for (const q of Object.values(p.properties ?? {})) visit(q as never);
  };
  for (const t of WORLD_TOOLS) for (const p of Object.values(t.params)) visit(p);
  for (const t of ['string', 'integer', 'number', 'boolean', 'array', 'object']) assert.ok(types.has(t), `no parameter of type ${t}`);
  assert.ok(WORLD_TOOLS.some((t) => /^[a-z]+(_[a-z0-9]+)+$/.test(t.name)), 'snake_case');
  assert.ok(WORLD_TOOLS.some((t) => /^[a-z]+[A-Z]/.test(t.name)), 'camelCase');
  assert.ok(WORLD_TOOLS.some((t) => /^[A-Z][a-z]+[A-Z]/.test(t.name)), 'PascalCase');
  assert.ok(WORLD_TOOLS.some((t) => t.name.includes('-') || t.name.includes('.')), 'kebab or dotted');
  assert.ok(WORLD_TOOLS.filter((t) => t.lookAlike !== undefined).length >= 10, 'look-alike pairs');
  assert.ok(WORLD_CHAINS.length >= 8, `${WORLD_CHAINS.length} dependent chains`);
});

const problems: string[] = [];
for (const domain of DOMAINS) {
  test(`domain ${domain.name}: every tool is well formed, fills, validates and executes`, () => {
    problems.length = 0;
    for (const tool of domain.tools) checkTool(tool);
    assert.deepEqual(problems, []);
  });
}

function checkTool(tool: WorldTool): void {
  const where = `tool ${tool.name}`;
  assert.ok(tool.description.length > 10, `${where}: description`);
  for (const r of tool.required) assert.ok(r in tool.params, `${where}: required ${r} is not a parameter`);
  assert.ok(tool.templates.length >= 4, `${where}: at least 4 templates`);
  if (tool.lookAlike !== undefined) assert.ok(worldTool(tool.lookAlike), `${where}: look-alike ${tool.lookAlike} does not exist`);
  if (tool.parallelSlot !== undefined) assert.ok(tool.slots[tool.parallelSlot], `${where}: parallel slot has no spec`);
  for (const [name, slot] of Object.entries(tool.slots)) assert.ok(slot.arg.split('.')[0]! in tool.params, `${where}: slot ${name} feeds unknown parameter ${slot.arg}`);
  const spec = toolSpec(tool);
  const other = tool.lookAlike !== undefined ? worldTool(tool.lookAlike) : undefined;
  const mine = words(tool.description + ' ' + tool.name.replace(/[_.-]|(?=[A-Z])/g, ' '));
  const theirs = other ? words(other.description + ' ' + other.name.replace(/[_.-]|(?=[A-Z])/g, ' ')) : new Set<string>();
  for (const template of tool.templates) {
    const parts = parseTemplate(template);
    const { required, optional } = templateSlots(parts);
    for (const s of [...required, ...optional]) assert.ok(tool.slots[s], `${where}: template "${template}" uses {${s}} without a spec`);
    const covered = new Set([...required, ...optional].map((s) => tool.slots[s]!.arg.split('.')[0]!));
    for (const r of tool.required) assert.ok(covered.has(r), `${where}: template "${template}" never fills required "${r}"`);
    const cue = [...words(literalText(template))].filter((w) => mine.has(w) && !theirs.has(w));
    if (cue.length === 0) problems.push(`${where}: template "${template}" always writes no distinguishing word of the description`);
    for (const split of ['base', 'seed', 'test'] as Split[]) {
      for (let i = 0; i < 12; i++) {
        const rng = new Rng(i * 31 + split.length);
        const filled = fillTemplate(tool, template, { rng, split }, { optionalRate: i % 2 === 0 ? 1 : 0, parallelCount: i % 3 === 2 && tool.parallelSlot && required.includes(tool.parallelSlot) ? 2 : 1 });
        assert.ok(!/[{}[\]]/.test(filled.text), `${where}: unfilled text "${filled.text}"`);
        for (const args of filled.calls) {
          const call = { name: tool.name, arguments: args };
          assert.deepEqual(validateToolCall(call, [spec]), [], `${where}: "${filled.text}" → ${JSON.stringify(args)}`);
          const run = executeCall(call);
          assert.ok(run.ok, `${where}: "${filled.text}" → ${JSON.stringify(args)} fails: ${run.ok ? '' : run.error}`);
        }
      }
    }
  }
}

test('chains bind the follow-up call from the first call\'s real result', () => {
  for (const chain of WORLD_CHAINS) {
    const first = worldTool(chain.first);
    const then = worldTool(chain.then);
    assert.ok(first && then, `chain ${chain.first} → ${chain.then}: unknown tool`);
    assert.ok(chain.templates.length >= 2, `chain ${chain.first} → ${chain.then}: at least 2 templates`);
    let bound = 0;
    for (let i = 0; i < 20; i++) {
      const filled = fillTemplate(first, first.templates[i % first.templates.length]!, { rng: new Rng(i), split: 'seed' }, { optionalRate: 0 });
      const run = executeCall({ name: first.name, arguments: filled.calls[0]! });
      assert.ok(run.ok);
      const args = chain.bind(run.result, filled.calls[0]!);
      if (args === undefined) continue;
      bound++;
      for (const template of chain.templates) {
        const { required } = templateSlots(parseTemplate(template));
        const follow = fillTemplate(then, template, { rng: new Rng(i + 1), split: 'seed' }, { optionalRate: 0 });
        const call: ToolCall = { name: then.name, arguments: { ...follow.calls[0]!, ...args } };
        assert.deepEqual(validateToolCall(call, [toolSpec(then)]), [], `chain ${chain.first} → ${chain.then}: ${JSON.stringify(call)} (slots ${required.join(',')})`);
        const r = executeCall(call);
        assert.ok(r.ok, `chain ${chain.first} → ${chain.then}: ${JSON.stringify(call)} fails: ${r.ok ? '' : r.error}`);
      }
    }
    assert.ok(bound >= 10, `chain ${chain.first} → ${chain.then} binds only ${bound} of 20 results`);
  }
});
