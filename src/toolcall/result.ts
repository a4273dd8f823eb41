import type { ToolCall } from '../core/types.ts';

/** Why model text did not yield tool calls. Model output is hostile input: parsers return this, never throw. */
export type ToolCallFailureKind =
  /** The text holds no tool call at all (for a text reply this is the expected outcome). */
  | 'no_calls'
  /** Something call-like is there but is not valid syntax (bad JSON, unbalanced brackets, unterminated string). */
  | 'syntax'
  /** Valid syntax of the wrong shape (a block without a name, arguments that are not an object, a list item that is not a call). */
  | 'shape';

export interface ToolCallFailure {
  kind: ToolCallFailureKind;
  message: string;
  /** Offset in the input where the problem was found, when known. */
  position?: number;
}

export type ToolCallParse =
  | {
      ok: true;
      calls: ToolCall[];
      /** Text outside the calls (and outside any `<think>` block), trimmed. */
      content: string;
    }
  | {
      ok: false;
      failure: ToolCallFailure;
      /** The calls that did parse before the failure, for diagnostics. */
      partial: ToolCall[];
      content: string;
    };

export function parsedCalls(calls: ToolCall[], content: string): ToolCallParse {
  return { ok: true, calls, content };
}

export function failedParse(kind: ToolCallFailureKind, message: string, partial: ToolCall[] = [], content = '', position?: number): ToolCallParse {
  const failure: ToolCallFailure = position === undefined ? { kind, message } : { kind, message, position };
  return { ok: false, failure, partial, content };
}
