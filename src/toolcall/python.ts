/**
 * Python-call tool calls: `[get_weather(city='Paris'), math.hypot(x=3, y=4)]`, the
 * "pythonic" format of BFCL's prompt mode and of several open models.
 *
 * The pieces: a real Python 3.11 expression parser (`parsePythonExpression`, giving a
 * `PyNode` tree shaped like CPython's `ast`), `ast.unparse` (`unparsePython`), an
 * evaluator for literal values (`evaluatePythonLiteral`, ints and floats kept apart,
 * tuples kept as tuples), and `parsePythonToolCalls` for reading a model's reply.
 */
import type { ToolCall } from '../core/types.ts';
import { isPlainObject, type Value, type ValueObject } from '../core/value.ts';
import type { PyNode } from './python-ast.ts';
import { evaluatePython } from './python-eval.ts';
import { PY_FALSE, PY_NONE, PY_TRUE, setOwn, toValue, type PyObj } from './python-object.ts';
import { parsePythonExpression, parsePythonExpressionPrefix, type PySyntaxError } from './python-parser.ts';
import { failedParse, parsedCalls, type ToolCallParse } from './result.ts';
import { stripThink } from './think.ts';

export type { PyArg, PyArguments, PyBinaryOperator, PyCompareOperator, PyComprehension, PyKeyword, PyNode, PyNodeKind, PyNodeOf, PyUnaryOperator } from './python-ast.ts';
export { MAX_AST_DEPTH, childrenOf, parsePythonExpression, parsePythonExpressionPrefix, type PyParseResult, type PyPrefixOptions, type PySyntaxError } from './python-parser.ts';
export { unparsePython, type UnparseResult } from './python-unparse.ts';
export { evaluatePython, pyObjEquals, type EvalOptions, type EvalResult } from './python-eval.ts';
export { reprObj, toValue, type PyObj, type ToValueMode, type ToValueResult } from './python-object.ts';

export interface PythonLiteralOptions {
  /** Read the names `true`, `false`, `null` as JSON's literals (models trained on JSON write them). Default false. */
  jsonLiterals?: boolean;
}

export type PythonValueResult = { ok: true; value: Value } | { ok: false; message: string; position: number };

const JSON_NAMES: Record<string, PyObj> = { true: PY_TRUE, false: PY_FALSE, null: PY_NONE };

function jsonName(id: string): PyObj | undefined {
  return Object.prototype.hasOwnProperty.call(JSON_NAMES, id) ? JSON_NAMES[id] : undefined;
}

/**
 * The value of a literal expression: constants, lists, tuples, dicts with string keys,
 * unary and binary arithmetic over them (Python's rules: `7 // 2 == 3`, `1 / 2 == 0.5`),
 * and `float('inf')`-style calls. Complex numbers, bytes, sets, Ellipsis, names and
 * other calls are failures. Never throws.
 */
export function evaluatePythonLiteral(node: PyNode, options: PythonLiteralOptions = {}): PythonValueResult {
  const result = evaluatePython(node, { floatCalls: true, resolveName: options.jsonLiterals ? jsonName : undefined });
  if (!result.ok) return { ok: false, message: result.error, position: result.position };
  const value = toValue(result.value, 'strict');
  return value.ok ? { ok: true, value: value.value } : { ok: false, message: value.error, position: node.start };
}

/** Parses a whole text as one Python literal, e.g. `"[1, 2.0, (3,), {'a': None}]"`. Never throws. */
export function parsePythonLiteral(text: string, options: PythonLiteralOptions = {}): PythonValueResult {
  const parsed = parsePythonExpression(text.trim());
  if (!parsed.ok) return { ok: false, message: parsed.error.message, position: parsed.error.position };
  return evaluatePythonLiteral(parsed.node, options);
}

export interface PythonToolCallOptions {
  /** Read `true`/`false`/`null` as JSON literals. Default true: a model that writes them means the obvious. */
  jsonLiterals?: boolean;
}

type Classified = { kind: 'calls'; calls: PyNode[] } | { kind: 'empty' } | { kind: 'none' } | { kind: 'shape'; message: string; position: number };

/**
 * Reads Python-call tool calls from a model reply. Accepted: a list `[f(a=1), g()]` (or
 * a tuple), a bare call `f(a=1)`, inside a ``` fence or not, after a `<think>` block
 * or not. Lenient about surrounding text: when the whole reply is not a call list, the
 * first call list or call found in it (`Sure: [f(a=1)] Done.`) is taken and the rest,
 * a second list included, is `content`. Strict about the calls themselves: keyword arguments only (a positional
 * argument is a `shape` failure, as is a repeated keyword or a non-literal value);
 * function names are dotted names; `**{'key': value}` supplies arguments whose names
 * are not identifiers (what `renderPythonToolCalls` writes).
 *
 * `[]` and text without any call are `no_calls`; a call list that does not parse is
 * `syntax`. Never throws.
 */
export function parsePythonToolCalls(text: string, options: PythonToolCallOptions = {}): ToolCallParse {
  const literalOptions: PythonLiteralOptions = { jsonLiterals: options.jsonLiterals ?? true };
  const answer = stripThink(text);
  const fence = findFence(answer);
  const body = fence ? fence.content : answer;
  const outside = fence ? joinText(fence.before, fence.after) : '';
  const base = text.indexOf(body);
  const at = (offset: number): number | undefined => (base === -1 ? undefined : base + offset);

  const leading = body.length - body.trimStart().length;
  const whole = parsePythonExpression(body.trim());
  if (whole.ok) {
    const classified = classify(whole.node);
    if (classified.kind === 'calls') return convertCalls(classified.calls, literalOptions, outside, (p) => at(leading + p));
    if (classified.kind === 'empty') return failedParse('no_calls', 'empty call list', [], outside);
    if (classified.kind === 'shape') return failedParse('shape', classified.message, [], outside, at(leading + classified.position));
  }

  let syntax: PySyntaxError | undefined;
  for (const start of findCandidates(body)) {
    const parsed = parsePythonExpressionPrefix(body, start, { unit: 'primary' });
    if (!parsed.ok) {
      const strong = body[start] === '[' || body.slice(0, start).trim() === '';
      if (strong) syntax ??= parsed.error;
      continue;
    }
    const classified = classify(parsed.node);
    const content = joinText(fence?.before ?? '', body.slice(0, start), body.slice(parsed.end), fence?.after ?? '');
    if (classified.kind === 'calls') return convertCalls(classified.calls, literalOptions, content, at);
    if (classified.kind === 'shape') return failedParse('shape', classified.message, [], content, at(classified.position));
  }
  if (syntax) return failedParse('syntax', `Python call list does not parse: ${syntax.message}`, [], answer.trim(), at(syntax.position));
  return failedParse('no_calls', 'no Python call in the text', [], answer.trim());
}

function joinText(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join('\n');
}

function findFence(text: string): { content: string; before: string; after: string } | undefined {
  const open = text.indexOf('```');
  if (open === -1) return undefined;
  const lineEnd = text.indexOf('\n', open + 3);
  if (lineEnd === -1) return undefined;
  const info = text.slice(open + 3, lineEnd).trim();
  if (info !== '' && !/^[\w+-]+$/.test(info)) return undefined;
  const close = text.indexOf('```', lineEnd + 1);
  const content = close === -1 ? text.slice(lineEnd + 1) : text.slice(lineEnd + 1, close);
  return { content, before: text.slice(0, open), after: close === -1 ? '' : text.slice(close + 3) };
}

const MAX_CANDIDATES = 64;
const CALL_START = /(?<![\w.])[A-Za-z_][\w.]*\(/g;
const LIST_START = /\[\s*(?=[A-Za-z_][\w.]*\()/g;

/** Offsets where a call list or a call may begin, in order. */
function findCandidates(body: string): number[] {
  const starts = new Set<number>();
  for (const m of body.matchAll(LIST_START)) {
    starts.add(m.index);
    if (starts.size >= MAX_CANDIDATES) break;
  }
  for (const m of body.matchAll(CALL_START)) {
    if (starts.size >= 2 * MAX_CANDIDATES) break;
    starts.add(m.index);
  }
  return [...starts].sort((a, b) => a - b).slice(0, MAX_CANDIDATES);
}

function classify(node: PyNode): Classified {
  if (node.kind === 'Call') return { kind: 'calls', calls: [node] };
  if (node.kind !== 'List' && node.kind !== 'Tuple') return { kind: 'none' };
  if (node.elts.length === 0) return { kind: 'empty' };
  const notCall = node.elts.find((e) => e.kind !== 'Call');
  if (notCall === undefined) return { kind: 'calls', calls: node.elts };
  if (node.elts.some((e) => e.kind === 'Call')) return { kind: 'shape', message: 'call list item is not a call', position: notCall.start };
  return { kind: 'none' };
}

/** `a.b.c` as a string, or undefined when the expression is not a dotted name. */
export function dottedName(node: PyNode): string | undefined {
  const parts: string[] = [];
  let n = node;
  while (n.kind === 'Attribute') {
    parts.push(n.attr);
    n = n.value;
  }
  if (n.kind !== 'Name') return undefined;
  parts.push(n.id);
  return parts.reverse().join('.');
}

function convertCalls(nodes: PyNode[], options: PythonLiteralOptions, content: string, at: (offset: number) => number | undefined): ToolCallParse {
  const calls: ToolCall[] = [];
  for (const node of nodes) {
    const call = convertCall(node, options);
    if ('message' in call) return failedParse('shape', call.message, calls, content, at(call.position));
    calls.push(call);
  }
  return parsedCalls(calls, content);
}

function convertCall(node: PyNode, options: PythonLiteralOptions): ToolCall | { message: string; position: number } {
  if (node.kind !== 'Call') return { message: 'not a call', position: node.start };
  const name = dottedName(node.func);
  if (name === undefined) return { message: 'function name is not a dotted name', position: node.func.start };
  if (node.args.length > 0) return { message: `positional argument in call to ${name}: arguments must be given by name`, position: node.args[0]!.start };
  const args: ValueObject = {};
  const seen = new Set<string>();
  const add = (key: string, value: Value, position: number): { message: string; position: number } | undefined => {
    if (seen.has(key)) return { message: `argument ${key} repeated in call to ${name}`, position };
    seen.add(key);
    setOwn(args, key, value);
    return undefined;
  };
  for (const keyword of node.keywords) {
    const value = evaluatePythonLiteral(keyword.value, options);
    if (!value.ok) return { message: `argument ${keyword.arg ?? '**'} of ${name}: ${value.message}`, position: value.position };
    if (keyword.arg !== null) {
      const problem = add(keyword.arg, value.value, keyword.value.start);
      if (problem) return problem;
      continue;
    }
    const spread = value.value;
    if (!isPlainObject(spread)) {
      return { message: `** argument of ${name} is not a dict`, position: keyword.value.start };
    }
    for (const [key, v] of Object.entries(spread)) {
      const problem = add(key, v, keyword.value.start);
      if (problem) return problem;
    }
  }
  return { name, arguments: args };
}
