/**
 * The data model: tools, calls, messages and samples, as zod schemas so that every
 * input from outside is checked with errors that name the bad field.
 */
import { z } from 'zod';
import { isPlainObject, isValue, type Value, type ValueObject } from './value.ts';

/** JSON Schema of a tool's parameters (an object schema). Kept loose: tools in the wild carry many dialects. */
export const JsonSchemaSchema = z.custom<ValueObject>((v) => isPlainObject(v) && isValue(v), {
  message: 'expected a JSON Schema object',
});
export type JsonSchema = ValueObject;

export const ToolSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: JsonSchemaSchema,
});
/** A function the model may call: name, description and JSON-schema parameters (OpenAI's `function` shape). */
export type Tool = z.infer<typeof ToolSchema>;

const ArgumentsSchema = z.custom<ValueObject>((v) => isPlainObject(v) && isValue(v), {
  message: 'expected an object of argument values',
});
export const ValueSchema = z.custom<Value>(isValue, { message: 'expected a JSON value' });

export const ToolCallSchema = z.object({
  name: z.string(),
  arguments: ArgumentsSchema,
});
/** One call: a function name and its arguments by name. */
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const MessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string().optional(),
    toolCalls: z.array(ToolCallSchema).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    content: z.string(),
    name: z.string().optional(),
    toolCallId: z.string().optional(),
  }),
]);
/** A conversation turn. Tool results are `tool` messages, in the order the calls were made. */
export type Message = z.infer<typeof MessageSchema>;

export const LabelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('calls'), calls: z.array(ToolCallSchema).min(1) }),
  z.object({ kind: z.literal('text'), text: z.string() }),
]);
/** What the assistant should do next: call these tools, or reply with text (ask back, decline, summarise). */
export type Label = z.infer<typeof LabelSchema>;

export const LabelChangeSchema = z.object({
  round: z.number().int().nonnegative(),
  stage: z.string(),
  previous: LabelSchema,
  reason: z.string().optional(),
});
/** One replacement of a sample's label, with what it replaced: JGLV corrections are never silent. */
export type LabelChange = z.infer<typeof LabelChangeSchema>;

export const SampleSourceSchema = z.enum(['seed', 'corrected', 'expanded']);
export type SampleSource = z.infer<typeof SampleSourceSchema>;

export const ProvenanceSchema = z.object({
  source: SampleSourceSchema,
  round: z.number().int().nonnegative(),
  parentId: z.string().optional(),
  /** Where the sample came from outside looptool (a file and record), when it did. */
  origin: z.string().optional(),
  labelHistory: z.array(LabelChangeSchema).default([]),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const SampleSchema = z.object({
  id: z.string().min(1),
  tools: z.array(ToolSchema),
  /** The conversation so far; the label is the assistant turn that follows it. */
  messages: z.array(MessageSchema).min(1),
  label: LabelSchema,
  provenance: ProvenanceSchema,
  /** Free-form extras carried along (for example the original record's system prompt date). */
  meta: z.record(z.string(), ValueSchema).optional(),
});
/** One assistant turn to predict, with everything needed to predict and to trace it. */
export type Sample = z.infer<typeof SampleSchema>;

export type Dataset = Sample[];

export function seedProvenance(origin?: string): Provenance {
  return origin === undefined ? { source: 'seed', round: 0, labelHistory: [] } : { source: 'seed', round: 0, origin, labelHistory: [] };
}
