/**
 * xLAM / APIGen function-calling records (Salesforce/xlam-function-calling-60k):
 * `{id, query, tools, answers}` where `tools` and `answers` are JSON strings — the tools
 * with flat parameter maps (`{"limit": {"type": "int, optional", …}}`), the answers a
 * list of `{name, arguments}`. Each record is one single-turn conversation; it is
 * turned into a ShareGPT conversation so the ShareGPT converter makes the sample. An
 * empty answer list (the irrelevance variant of the data) is a text label saying no
 * function fits, as BFCL's irrelevance entries are read.
 */
import { dumpJson, tryParseJson } from '../json.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { NO_FITTING_FUNCTION } from './bfcl.ts';
import { RecordSkip, type NoteSink } from './import-report.ts';
import { toolsOfRecordList } from './record-tools.ts';

export interface XlamConversation {
  /** A ShareGPT record: `{tools, conversations}`. */
  conversation: ValueObject;
  /** The label is a text reply (no call fits), so text turns must become samples. */
  textLabel: boolean;
}

export function xlamToShareGpt(record: ValueObject, note?: NoteSink): XlamConversation {
  const query = record['query'];
  if (typeof query !== 'string' || query.trim() === '') throw new RecordSkip('missing_field', 'query', 'must be a non-empty string');
  if (record['tools'] === undefined) throw new RecordSkip('missing_field', 'tools', 'is missing');
  if (record['answers'] === undefined) throw new RecordSkip('missing_field', 'answers', 'is missing');
  const tools = toolsOfRecordList(record['tools'], 'tools', note);
  const answers = callList(record['answers']);
  const reply = answers.length === 0 ? NO_FITTING_FUNCTION : dumpJson(answers);
  return {
    conversation: { tools: tools as unknown as Value[], conversations: [{ from: 'user', value: query }, { from: 'assistant', value: reply }] },
    textLabel: answers.length === 0,
  };
}

function callList(raw: Value | undefined): ValueObject[] {
  let value = raw;
  if (typeof value === 'string') {
    const parsed = tryParseJson(value);
    if (!parsed.ok) throw new RecordSkip('bad_answers', 'answers', `a string that is not JSON: ${parsed.error}`);
    value = parsed.value;
  }
  if (!Array.isArray(value)) throw new RecordSkip('bad_answers', 'answers', 'must be a list of {name, arguments}');
  return value.map((call, i) => {
    if (!isPlainObject(call) || typeof call['name'] !== 'string' || call['name'] === '') throw new RecordSkip('bad_answers', `answers[${i}]`, 'must be {name, arguments}');
    let args: Value = call['arguments'] ?? {};
    if (typeof args === 'string') {
      const parsed = tryParseJson(args);
      args = parsed.ok ? parsed.value : args;
    }
    if (!isPlainObject(args)) throw new RecordSkip('bad_answers', `answers[${i}].arguments`, 'must be an object of argument values');
    return { name: call['name'], arguments: args };
  });
}
