/**
 * Possible answers written out as prompt-mode model replies: `[f(a=1)]` for Python,
 * `[Cls.method(a="x", n=5)]` for Java, `[fn(a="x", list=[1, 2])]` for JavaScript. Used
 * to test the decoder and checker together on every acceptable value of the data, and
 * as the benchmark workload.
 *
 * Java and JavaScript values are written as source the official tree-sitter decoders
 * hand to the type converters unchanged: numbers, booleans and strings as literals;
 * Java collections as one string literal holding `new T[]{...}` or
 * `new ArrayList<>(Arrays.asList(...))` (a Java string literal's text is passed on
 * without its quotes, and array items of type String must not be quoted to convert to
 * the expected strings). A HashMap is written as `new HashMap<...>() {{ put(...); }}`,
 * which the official Java decoder reduces to an empty map: no reply can give it keys.
 */
import { formatPyFloat } from '../../core/json.ts';
import { PyFloat, isPlainObject, pyTypeOf, type Value, type ValueObject } from '../../core/value.ts';
import type { ToolCall } from '../../core/types.ts';
import { languageOfCategory, type BfclExpectedCall, type BfclFunctionDoc, type BfclLanguage } from '../../check/bfcl/docs.ts';
import { renderPythonToolCalls } from '../../toolcall/pyrepr.ts';
import type { BfclEntry } from './data.ts';

export interface RenderedAnswer {
  id: string;
  category: string;
  /** Which variant: `first` (first acceptable value of every parameter) or `param=alternative k` / `param omitted`. */
  variant: string;
  output: string;
}

/** An expected call with one value chosen per parameter (a missing key = left out). */
interface ChosenCall {
  name: string;
  args: ValueObject;
}

function firstAcceptable(alternatives: readonly Value[]): Value | undefined {
  return alternatives.find((a) => a !== '');
}

/** The first acceptable value of every key of an expected dict (keys with only "" are left out). */
function chooseDict(expected: ValueObject): ValueObject {
  const out: ValueObject = {};
  for (const [key, alternatives] of Object.entries(expected)) {
    const chosen = Array.isArray(alternatives) ? firstAcceptable(alternatives as Value[]) : alternatives;
    if (chosen !== undefined) out[key] = chosen;
  }
  return out;
}

/** A parameter's chosen value: expected dicts (alone or in a list) hold alternatives per key. */
function chooseValue(value: Value): Value {
  if (isPlainObject(value)) return chooseDict(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isPlainObject(v))) return value.map((v) => chooseDict(v as ValueObject));
  return value;
}

function chooseCall(call: BfclExpectedCall, docs: readonly BfclFunctionDoc[], override?: { param: string; value: Value | undefined }): ChosenCall {
  const doc = docs.find((d) => d.name === call.name);
  const args: ValueObject = {};
  for (const [param, alternatives] of Object.entries(call.params)) {
    const inDoc = doc !== undefined && Object.prototype.hasOwnProperty.call(doc.parameters.properties, param);
    let chosen = firstAcceptable(alternatives);
    // A parameter the doc lacks must be left out when the answer allows it.
    if (!inDoc && alternatives.includes('')) chosen = undefined;
    if (override !== undefined && override.param === param) chosen = override.value;
    if (chosen !== undefined) args[param] = chooseValue(chosen);
  }
  return { name: call.name, args };
}

// ---------------------------------------------------------------- Java

function javaNumber(value: Value, type: string): string | undefined {
  const kind = pyTypeOf(value);
  if (kind === 'int' && (type === 'integer' || type === 'byte' || type === 'short')) return String(value);
  if (kind === 'int' && type === 'long') return `${String(value)}L`;
  if ((kind === 'float' || kind === 'int') && type === 'double') return formatPyFloat(Number(value));
  if ((kind === 'float' || kind === 'int') && type === 'float') return `${formatPyFloat(Number(value))}f`;
  if (kind === 'bool' && type === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function javaItem(value: Value, itemType: string, quote: boolean): string {
  if (typeof value === 'string') return quote ? `'${value}'` : value;
  return javaNumber(value, itemType) ?? (value instanceof PyFloat ? formatPyFloat(value.value) : String(value));
}

const JAVA_ARRAY_TYPES: Readonly<Record<string, string>> = { integer: 'int', long: 'long', double: 'double', float: 'float', boolean: 'boolean', char: 'char', String: 'String' };

/** A Java string literal whose text the decoder passes on as is (the text must hold no quote, backslash or newline). */
function javaTextLiteral(text: string): string {
  return /["\\\n]/.test(text) ? text : `"${text}"`;
}

function javaSource(value: Value, type: string, itemType: string | undefined): string {
  if (typeof value === 'string') return javaTextLiteral(value);
  const number = javaNumber(value, type);
  if (number !== undefined) return number;
  if (Array.isArray(value) && type === 'Array') {
    const items = value.map((v) => javaItem(v as Value, itemType ?? 'any', false));
    return javaTextLiteral(`new ${JAVA_ARRAY_TYPES[itemType ?? ''] ?? 'Object'}[]{${items.join(', ')}}`);
  }
  if (Array.isArray(value) && type === 'ArrayList') {
    const quote = itemType === 'String' || itemType === 'char';
    return javaTextLiteral(`new ArrayList<>(Arrays.asList(${value.map((v) => javaItem(v as Value, itemType ?? 'any', quote)).join(', ')}))`);
  }
  if (isPlainObject(value)) {
    const puts = Object.entries(value).map(([k, v]) => `put("${k}", ${typeof v === 'string' ? `"${v}"` : javaItem(v, 'any', false)});`);
    return `new HashMap<String, Object>() {{ ${puts.join(' ')} }}`;
  }
  return javaTextLiteral(value instanceof PyFloat ? formatPyFloat(value.value) : String(value));
}

// ---------------------------------------------------------------- JavaScript

function jsString(text: string): string {
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}

function jsSource(value: Value, nested = false): string {
  if (typeof value === 'string') return nested && !value.includes("'") ? `'${value}'` : jsString(value);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || value instanceof PyFloat) return pyTypeOf(value) === 'float' ? formatPyFloat(Number(value)) : String(value);
  if (Array.isArray(value)) return `[${value.map((v) => jsSource(v as Value, true)).join(', ')}]`;
  const pairs = Object.entries(value).map(([k, v]) => `${k}: ${jsSource(v, true)}`);
  return `{${pairs.join(', ')}}`;
}

// ---------------------------------------------------------------- calls

function renderCLike(calls: readonly ChosenCall[], docs: readonly BfclFunctionDoc[], language: 'java' | 'javascript'): string {
  const rendered = calls.map((call) => {
    const doc = docs.find((d) => d.name === call.name);
    const args = Object.entries(call.args).map(([param, value]) => {
      const paramDoc = doc?.parameters.properties[param];
      const source = language === 'java' ? javaSource(value, paramDoc?.type ?? 'any', paramDoc?.items?.type) : jsSource(value);
      return `${param}=${source}`;
    });
    return `${call.name}(${args.join(', ')})`;
  });
  return `[${rendered.join(', ')}]`;
}

/** Renders chosen calls as a prompt-mode reply in the category's language. */
function renderCalls(calls: readonly ChosenCall[], docs: readonly BfclFunctionDoc[], language: BfclLanguage): string {
  if (language === 'python') return renderPythonToolCalls(calls.map((c): ToolCall => ({ name: c.name, arguments: c.args })));
  return renderCLike(calls, docs, language);
}

/**
 * The prompt-mode replies for an AST entry: the first acceptable value of every
 * parameter, and with `allAlternatives` one more reply per other acceptable value of a
 * parameter and per optional parameter left out. Single-call categories use the doc's
 * function name, as the checker does.
 */
export function renderPossibleAnswers(entry: BfclEntry, options: { allAlternatives?: boolean } = {}): RenderedAnswer[] {
  const answers = entry.answers ?? [];
  const language = languageOfCategory(entry.category);
  const singleCall = !entry.category.includes('parallel') && !entry.category.includes('multiple');
  const named = (call: BfclExpectedCall): BfclExpectedCall => (singleCall && entry.docs[0] !== undefined ? { ...call, name: entry.docs[0].name } : call);
  const base = answers.map((call) => chooseCall(named(call), entry.docs));
  const out: RenderedAnswer[] = [{ id: entry.id, category: entry.category, variant: 'first', output: renderCalls(base, entry.docs, language) }];
  if (!options.allAlternatives) return out;
  answers.forEach((call, callIndex) => {
    const doc = entry.docs.find((d) => d.name === named(call).name);
    for (const [param, alternatives] of Object.entries(call.params)) {
      // A parameter the doc lacks can only be left out.
      if (doc === undefined || !Object.prototype.hasOwnProperty.call(doc.parameters.properties, param)) continue;
      const acceptable = alternatives.filter((a) => a !== '');
      const variants: { label: string; value: Value | undefined }[] = acceptable.slice(1).map((value, k) => ({ label: `${param}=alternative ${k + 2}`, value }));
      // A "" alternative lets an optional parameter be left out (a required one stays required).
      if (alternatives.includes('') && acceptable.length > 0 && !doc.parameters.required.includes(param)) variants.push({ label: `${param} omitted`, value: undefined });
      for (const variant of variants) {
        const calls = base.slice();
        calls[callIndex] = chooseCall(named(call), entry.docs, { param, value: variant.value });
        out.push({ id: entry.id, category: entry.category, variant: `call ${callIndex}: ${variant.label}`, output: renderCalls(calls, entry.docs, language) });
      }
    }
  });
  return out;
}
