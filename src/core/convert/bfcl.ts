/**
 * BFCL entries (`{id, question, function}` plus the possible answer
 * `{id, ground_truth}`) as samples: the first turn's messages, the function docs with
 * BFCL's type names turned into JSON Schema's, and as label one acceptable call list —
 * the first acceptable value of every parameter, parameters whose only acceptable value
 * is "" left out. Entries without an answer (irrelevance) get a text label.
 */
import type { Message, Sample, Tool, ToolCall } from '../types.ts';
import { seedProvenance } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { FormatError } from './looptool.ts';

const TO_JSON_SCHEMA: Record<string, string | undefined> = {
  dict: 'object',
  hashmap: 'object',
  float: 'number',
  double: 'number',
  long: 'integer',
  integer: 'integer',
  tuple: 'array',
  array: 'array',
  arraylist: 'array',
  string: 'string',
  boolean: 'boolean',
  any: undefined,
};

const TO_BFCL: Record<string, string> = { object: 'dict', number: 'float' };

/** The text label of entries where no function fits. */
export const NO_FITTING_FUNCTION = 'None of the available functions can be used for this request.';

function mapSchema(schema: Value, toBfcl: boolean): Value {
  if (!isPlainObject(schema)) return schema;
  const out: ValueObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' && typeof v === 'string') {
      const mapped = toBfcl ? TO_BFCL[v] ?? v : TO_JSON_SCHEMA[v.toLowerCase()] ?? (v.toLowerCase() in TO_JSON_SCHEMA ? undefined : v);
      if (mapped !== undefined) out[k] = mapped;
    } else if (k === 'properties' && isPlainObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, mapSchema(p, toBfcl)]));
    } else if (k === 'items') {
      out[k] = mapSchema(v, toBfcl);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function firstAcceptable(alternatives: Value): Value | undefined {
  if (!Array.isArray(alternatives)) return undefined;
  const found = alternatives.find((a) => a !== '');
  if (found === undefined) return undefined;
  // Dict values hold, per key, alternatives again.
  if (isPlainObject(found)) {
    const inner: ValueObject = {};
    for (const [k, alts] of Object.entries(found)) {
      const v = Array.isArray(alts) ? firstAcceptable(alts) : alts;
      if (v !== undefined) inner[k] = v;
    }
    return inner;
  }
  return found;
}

/** A question entry and its possible answer (or none) → one sample. */
export function bfclToSample(question: ValueObject, answer: ValueObject | undefined, origin?: string): Sample {
  const id = question['id'];
  if (typeof id !== 'string') throw new FormatError('id', 'must be a string');
  const turns = question['question'];
  if (!Array.isArray(turns) || !Array.isArray(turns[0])) throw new FormatError('question', 'must be a list of turns, each a list of messages');
  const messages: Message[] = (turns[0] as Value[]).map((m, i) => {
    if (!isPlainObject(m) || typeof m['role'] !== 'string' || typeof m['content'] !== 'string') throw new FormatError(`question[0][${i}]`, 'must be {role, content}');
    const role = m['role'];
    if (role !== 'system' && role !== 'user' && role !== 'assistant') throw new FormatError(`question[0][${i}].role`, `unexpected role "${role}"`);
    return role === 'assistant' ? { role, content: m['content'] } : { role, content: m['content'] };
  });
  const docs = question['function'];
  if (!Array.isArray(docs)) throw new FormatError('function', 'must be a list of function docs (multi-turn entries are not single samples)');
  const tools: Tool[] = docs.map((d, i) => {
    if (!isPlainObject(d) || typeof d['name'] !== 'string') throw new FormatError(`function[${i}]`, 'needs a "name"');
    const parameters = mapSchema(d['parameters'] ?? {}, false);
    return { name: d['name'], ...(typeof d['description'] === 'string' ? { description: d['description'] } : {}), parameters: isPlainObject(parameters) ? parameters : {} };
  });
  let label: Sample['label'] = { kind: 'text', text: NO_FITTING_FUNCTION };
  if (answer !== undefined) {
    const truth = answer['ground_truth'];
    if (!Array.isArray(truth)) throw new FormatError('ground_truth', 'must be a list of {function: {param: [alternatives]}}');
    const calls: ToolCall[] = truth.map((c, i) => {
      if (!isPlainObject(c) || Object.keys(c).length !== 1) throw new FormatError(`ground_truth[${i}]`, 'must be {function name: {param: [alternatives]}}');
      const [name, params] = Object.entries(c)[0]!;
      if (!isPlainObject(params)) throw new FormatError(`ground_truth[${i}].${name}`, 'must map parameters to lists of alternatives');
      const args: ValueObject = {};
      for (const [p, alts] of Object.entries(params)) {
        const v = firstAcceptable(alts);
        if (v !== undefined) args[p] = v;
      }
      return { name, arguments: args };
    });
    if (calls.length > 0) label = { kind: 'calls', calls };
  }
  return { id, tools, messages, label, provenance: seedProvenance(origin) };
}

/** A sample as a BFCL question entry (the label is not part of it). */
export function sampleToBfcl(sample: Sample): ValueObject {
  const turn = sample.messages.filter((m) => m.role !== 'tool').map((m): ValueObject => ({ role: m.role, content: m.role === 'assistant' ? m.content ?? '' : m.content }));
  return {
    id: sample.id,
    question: [turn],
    function: sample.tools.map((t) => {
      const doc: ValueObject = { name: t.name };
      if (t.description !== undefined) doc['description'] = t.description;
      doc['parameters'] = mapSchema(t.parameters, true);
      return doc;
    }),
  };
}
