/** Maths: arithmetic, unit conversion, means and medians, quadratics, percentages and primes. */
import type { Value, ValueObject } from '../../core/value.ts';
import { ToolError, type FillContext, type Filled, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, decimal, integer, listOf } from '../values.ts';

/** Evaluates + - * / and parentheses over decimal numbers; anything else is an error, never code. */
export function evaluateArithmetic(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = tokens[i++] === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++];
      const r = factor();
      if (op === '/' && r === 0) throw new ToolError('division by zero');
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const factor = (): number => {
    const t = tokens[i++];
    if (t === '-') return -factor();
    if (t === '(') {
      const v = expr();
      if (tokens[i++] !== ')') throw new ToolError('unbalanced parentheses');
      return v;
    }
    if (t !== undefined && /^\d/.test(t)) return Number(t);
    throw new ToolError(`unexpected ${t === undefined ? 'end of expression' : `"${t}"`}`);
  };
  const v = expr();
  if (i < tokens.length) throw new ToolError(`unexpected "${tokens[i]}"`);
  return v;
}

const expression = ({ rng }: FillContext): Filled => {
  const n = (): number => rng.int(2, 99);
  const op = (): string => rng.pick(['+', '-', '*', '/']);
  const text = rng.chance(0.5) ? `${n()} ${op()} ${n()}` : `(${n()} ${op()} ${n()}) ${op()} ${n()}`;
  return { value: text, text };
};

const numbers = listOf(integer(1, 99), 3, 5);
const round4 = (x: number): number => Math.round(x * 10000) / 10000;

function numberList(args: ValueObject): number[] {
  const list = args['numbers'];
  if (!Array.isArray(list) || list.length === 0) throw new ToolError('numbers needs at least one number');
  return list.map((x: Value) => {
    if (typeof x !== 'number') throw new ToolError(`not a number: ${JSON.stringify(x)}`);
    return x;
  });
}

const LENGTH_IN_METERS: Readonly<Record<string, number>> = { kilometers: 1000, meters: 1, miles: 1609.344, feet: 0.3048 };

const calculate: WorldTool = {
  name: 'calculate',
  domain: 'maths',
  description: 'Evaluate an arithmetic expression (+, -, *, / and parentheses) and compute its result.',
  params: { expression: { type: 'string', description: 'The arithmetic expression' } },
  required: ['expression'],
  lookAlike: 'convert_units',
  templates: ['Calculate {expr}.', 'What does {expr} evaluate to?', 'Work out the arithmetic: {expr}.', 'Compute {expr} for me.', 'Evaluate the expression {expr}, please.'],
  slots: { expr: { arg: 'expression', source: expression } },
  parallelSlot: 'expr',
  execute(args) {
    const e = String(args['expression'] ?? '');
    return { expression: e, result: round4(evaluateArithmetic(e)) };
  },
};

const convertUnits: WorldTool = {
  name: 'convert_units',
  domain: 'maths',
  description: 'Convert a length measurement from one unit to another (kilometers, meters, miles, feet).',
  params: {
    value: { type: 'number', description: 'The amount to convert' },
    from_unit: { type: 'string', description: 'Unit of the value', enum: ['kilometers', 'meters', 'miles', 'feet'] },
    to_unit: { type: 'string', description: 'Unit wanted', enum: ['kilometers', 'meters', 'miles', 'feet'] },
  },
  required: ['value', 'from_unit', 'to_unit'],
  lookAlike: 'calculate',
  templates: ['Convert {value} {from} to {to}.', 'How many {to} are in {value} {from}? Convert it.', 'Please convert {value} {from} into {to}.', 'What is {value} {from} in {to}, as a unit conversion?', 'Turn a length of {value} {from} into {to}.'],
  slots: {
    value: { arg: 'value', source: decimal(1, 500, 1) },
    from: { arg: 'from_unit', source: choice([{ value: 'kilometers', texts: ['kilometers'] }, { value: 'meters', texts: ['meters'] }]) },
    to: { arg: 'to_unit', source: choice([{ value: 'miles', texts: ['miles'] }, { value: 'feet', texts: ['feet'] }]) },
  },
  execute(args) {
    const value = args['value'];
    if (typeof value !== 'number') throw new ToolError('value must be a number');
    const from = LENGTH_IN_METERS[String(args['from_unit'])];
    const to = LENGTH_IN_METERS[String(args['to_unit'])];
    if (from === undefined || to === undefined) throw new ToolError(`cannot convert ${String(args['from_unit'])} to ${String(args['to_unit'])}`);
    return { value, from_unit: args['from_unit']!, to_unit: args['to_unit']!, result: round4((value * from) / to) };
  },
};

const computeMean: WorldTool = {
  name: 'compute_mean',
  domain: 'maths',
  description: 'Average (arithmetic mean) of a list of numbers.',
  params: { numbers: { type: 'array', description: 'The numbers', items: { type: 'number', description: 'A number' } } },
  required: ['numbers'],
  lookAlike: 'compute_median',
  templates: ["What's the average of {numbers}?", 'Compute the mean of {numbers}.', 'Average these numbers: {numbers}.', 'Find the arithmetic mean[ of {numbers}].', 'Mean value of {numbers}, please, the average one.'],
  slots: { numbers: { arg: 'numbers', source: numbers } },
  execute(args) {
    const xs = numberList(args);
    return { mean: round4(xs.reduce((s, x) => s + x, 0) / xs.length), count: xs.length };
  },
};

const computeMedian: WorldTool = {
  name: 'compute_median',
  domain: 'maths',
  description: 'Median (the middle value when sorted) of a list of numbers.',
  params: { numbers: { type: 'array', description: 'The numbers', items: { type: 'number', description: 'A number' } } },
  required: ['numbers'],
  lookAlike: 'compute_mean',
  templates: ["What's the median of {numbers}?", 'Find the middle value of {numbers}.', 'Compute the median[ of {numbers}].', 'Sort {numbers} and tell me the middle one.', 'Median of these: {numbers}.'],
  slots: { numbers: { arg: 'numbers', source: numbers } },
  execute(args) {
    const xs = numberList(args).slice().sort((a, b) => a - b);
    const mid = Math.floor(xs.length / 2);
    return { median: xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2, count: xs.length };
  },
};

const solveQuadratic: WorldTool = {
  name: 'solve_quadratic',
  domain: 'maths',
  description: 'Solve a quadratic equation a·x² + b·x + c = 0: its real roots.',
  params: {
    a: { type: 'number', description: 'Coefficient of x squared' },
    b: { type: 'number', description: 'Coefficient of x' },
    c: { type: 'number', description: 'Constant term' },
  },
  required: ['a', 'b', 'c'],
  templates: [
    'Solve the quadratic equation with a = {a}, b = {b} and c = {c}.',
    'Find the roots of the quadratic with a = {a}, b = {b}, c = {c}.',
    'What are the roots when a = {a}, b = {b}, c = {c} in a quadratic?',
    'Solve for x: a = {a}, b = {b}, c = {c}.',
    'Quadratic roots please, coefficients a = {a}, b = {b}, c = {c}.',
  ],
  slots: { a: { arg: 'a', source: integer(1, 5) }, b: { arg: 'b', source: integer(1, 12) }, c: { arg: 'c', source: integer(1, 12) } },
  execute(args) {
    const [a, b, c] = ['a', 'b', 'c'].map((k) => {
      const v = args[k];
      if (typeof v !== 'number') throw new ToolError(`${k} must be a number`);
      return v;
    }) as [number, number, number];
    if (a === 0) throw new ToolError('a must not be 0 for a quadratic');
    const d = b * b - 4 * a * c;
    if (d < 0) return { discriminant: d, roots: [] };
    return { discriminant: d, roots: [...new Set([round4((-b + Math.sqrt(d)) / (2 * a)), round4((-b - Math.sqrt(d)) / (2 * a))])] };
  },
};

const percentageOf: WorldTool = {
  name: 'percentage-of',
  domain: 'maths',
  description: 'Compute a percentage of a total (for example 15 percent of 80).',
  params: { percent: { type: 'number', description: 'The percentage' }, total: { type: 'number', description: 'The total it is taken of' } },
  required: ['percent', 'total'],
  templates: ['What is {percent} percent of {total}?', 'Work out {percent}% of {total} as a percentage.', 'Take {percent} percent of {total}.', 'How much is {percent} percent of {total}?', 'Percentage question: {percent}% of {total}?'],
  slots: { percent: { arg: 'percent', source: integer(1, 90) }, total: { arg: 'total', source: integer(20, 2000) } },
  execute(args) {
    const p = args['percent'];
    const t = args['total'];
    if (typeof p !== 'number' || typeof t !== 'number') throw new ToolError('percent and total must be numbers');
    return { percent: p, total: t, result: round4((p / 100) * t) };
  },
};

const isPrime: WorldTool = {
  name: 'isPrime',
  domain: 'maths',
  description: 'Check whether a whole number is prime, and its smallest divisor if not.',
  params: { number: { type: 'integer', description: 'The whole number' } },
  required: ['number'],
  templates: ['Is {n} a prime number?', 'Check whether {n} is prime.', 'Tell me if {n} is prime or not.', 'Prime check for {n}, please.', 'Can {n} be divided by anything, or is it prime?'],
  slots: { n: { arg: 'number', source: integer(2, 9999) } },
  parallelSlot: 'n',
  execute(args): ValueObject {
    const n = args['number'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 2) throw new ToolError('number must be a whole number of at least 2');
    for (let d = 2; d * d <= n; d++) if (n % d === 0) return { number: n, prime: false, smallest_divisor: d };
    return { number: n, prime: true };
  },
};

export const mathsDomain: WorldDomain = {
  name: 'maths',
  tools: [calculate, convertUnits, computeMean, computeMedian, solveQuadratic, percentageOf, isPrime],
  chains: [
    {
      first: 'calculate',
      then: 'isPrime',
      templates: ['and tell me if the result is prime.', 'then check whether that result is a prime number.'],
      bind(result) {
        const r = (result as { result?: number }).result;
        return typeof r === 'number' && Number.isInteger(r) && r >= 2 ? { number: r } : undefined;
      },
    },
    {
      first: 'compute_mean',
      then: 'percentage-of',
      templates: ['and then take {percent} percent of that mean.', 'then work out {percent} percent of the average.'],
      bind(result) {
        const m = (result as { mean?: number }).mean;
        return typeof m === 'number' ? { total: m } : undefined;
      },
    },
  ],
};
