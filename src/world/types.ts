/**
 * The shapes of the built-in tool world: a tool is its API (name, description, JSON-schema
 * parameters), a deterministic executor over the world's fixed state, and the ways a user
 * asks for it (templates with slots filled from value sources).
 */
import type { Rng } from '../core/random.ts';
import type { Value, ValueObject } from '../core/value.ts';

/** Which slice of the world a value or phrasing belongs to: base model SFT, the loop's seed data, held-out test. */
export type Split = 'base' | 'seed' | 'test';

export const SAMPLE_KINDS = ['single', 'parallel', 'multiple', 'parallel_multiple', 'irrelevance', 'ask_back', 'multi_turn'] as const;
/** What a sample asks of the model (the paper's and BFCL's categories plus ask-back and multi-turn). */
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** One parameter's JSON schema, as written in a catalog entry. */
export interface ParamSpec {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  description: string;
  enum?: readonly string[];
  default?: Value;
  items?: ParamSpec;
  properties?: Readonly<Record<string, ParamSpec>>;
  required?: readonly string[];
}

/** A value as it goes into the call, and the words a user writes for it. */
export interface Filled {
  value: Value;
  text: string;
  /** Other arguments the same words fix ("Golden Hour by Mira Vale" sets the artist too), by argument path. */
  also?: Readonly<Record<string, Value>>;
}

export interface FillContext {
  rng: Rng;
  split: Split;
  /**
   * Share (0–1) of free-text pool draws replaced by an invented value of the same shape
   * (see invent.ts); for pretraining data, so a model learns to copy values. Unset: none.
   */
  invent?: number;
  /**
   * Draw from the values of every split, not only this split's own: pretraining data for
   * a model that should know all the world's entities, as a pretrained LLM knows the real
   * world's, so the loop's data differs from what it saw by phrasing only.
   */
  allValues?: boolean;
}

/** How pretraining data draws its values (see `FillContext`); the empty object: as every split does. */
export type ValueDraw = Pick<FillContext, 'invent' | 'allValues'>;

/** Draws a value and one of its surface forms (`2026-03-14` written as "March 14", say). */
export type ValueSource = (ctx: FillContext) => Filled;

export interface SlotSpec {
  /** Where the value goes in the arguments: `city`, or `reminder.minutes` inside an object parameter. */
  arg: string;
  source: ValueSource;
}

/** A realistic error a tool reports (unknown city, no such file); executors throw it. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/**
 * One tool of the world.
 *
 * Templates are whole user requests with `{slot}` placeholders. A segment in square
 * brackets `[ … ]` may be left out together with the slots inside it: optional
 * parameters live in such segments, and a required slot inside one lets the generator
 * make an ask-back sample (the request without it). Every template must contain at least
 * one word of the tool's description that its look-alike's description lacks, so a
 * reader (or the rule judge) can tell the two apart.
 */
export interface WorldTool {
  name: string;
  domain: string;
  description: string;
  params: Readonly<Record<string, ParamSpec>>;
  required: readonly string[];
  /** The tool this one is easily confused with (`get_weather` ↔ `get_forecast`). */
  lookAlike?: string;
  templates: readonly string[];
  slots: Readonly<Record<string, SlotSpec>>;
  /** A slot that can hold a list ("in Paris, Rome and Oslo") to make parallel calls, one per value. */
  parallelSlot?: string;
  /** Pure and deterministic over the world's fixed state; throws `ToolError` for a realistic failure. */
  execute(args: ValueObject): Value;
}

/**
 * A dependent follow-up: the second call's arguments come from the first call's result
 * ("find flights from Oslo to Rome on May 2 and book the cheapest").
 */
export interface WorldChain {
  first: string;
  then: string;
  /** The follow-up phrasing appended to the first request; `{slot}`s name slots of `then` not bound from the result. */
  templates: readonly string[];
  /** Arguments of `then` read from `first`'s result; undefined when the result offers nothing to use. */
  bind(result: Value, firstArgs: ValueObject): ValueObject | undefined;
}

export interface WorldDomain {
  name: string;
  tools: readonly WorldTool[];
  chains?: readonly WorldChain[];
}
