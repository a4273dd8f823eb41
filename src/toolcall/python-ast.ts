/**
 * The syntax tree of a Python expression, shaped like CPython's `ast` module (same node
 * names and fields) so that rules written against `ast` read the same here.
 */
import type { PyObj } from './python-object.ts';

export type PyUnaryOperator = '-' | '+' | '~' | 'not';
export type PyBinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '<<' | '>>' | '&' | '|' | '^';
export type PyCompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

interface Span {
  /** Offsets in the parsed text. */
  start: number;
  end: number;
  /** Height of the subtree (a leaf is 1): CPython refuses trees deeper than about 3,000. */
  depth: number;
}

export interface PyKeyword {
  /** The argument name; null for `**mapping`. */
  arg: string | null;
  value: PyNode;
}

export interface PyComprehension {
  target: PyNode;
  iter: PyNode;
  ifs: PyNode[];
  isAsync: boolean;
}

export interface PyArg {
  name: string;
  /** The default value, when given. */
  default: PyNode | null;
}

export interface PyArguments {
  posonly: PyArg[];
  args: PyArg[];
  vararg: string | null;
  kwonly: PyArg[];
  kwarg: string | null;
}

export type PyNode =
  | (Span & { kind: 'Constant'; value: PyObj; /** Written with a `u` prefix (ast's `kind='u'`). */ u: boolean })
  | (Span & { kind: 'Name'; id: string })
  | (Span & { kind: 'Attribute'; value: PyNode; attr: string })
  | (Span & { kind: 'Subscript'; value: PyNode; slice: PyNode })
  | (Span & { kind: 'Slice'; lower: PyNode | null; upper: PyNode | null; step: PyNode | null })
  | (Span & { kind: 'Call'; func: PyNode; args: PyNode[]; keywords: PyKeyword[] })
  | (Span & { kind: 'List' | 'Tuple' | 'Set'; elts: PyNode[] })
  | (Span & { kind: 'Dict'; /** null for a `**mapping` entry. */ keys: (PyNode | null)[]; values: PyNode[] })
  | (Span & { kind: 'UnaryOp'; op: PyUnaryOperator; operand: PyNode })
  | (Span & { kind: 'BinOp'; op: PyBinaryOperator; left: PyNode; right: PyNode })
  | (Span & { kind: 'BoolOp'; op: 'and' | 'or'; values: PyNode[] })
  | (Span & { kind: 'Compare'; left: PyNode; ops: PyCompareOperator[]; comparators: PyNode[] })
  | (Span & { kind: 'IfExp'; test: PyNode; body: PyNode; orelse: PyNode })
  | (Span & { kind: 'Lambda'; args: PyArguments; body: PyNode })
  | (Span & { kind: 'NamedExpr'; target: PyNode; value: PyNode })
  | (Span & { kind: 'Starred'; value: PyNode })
  | (Span & { kind: 'ListComp' | 'SetComp' | 'GeneratorExp'; elt: PyNode; generators: PyComprehension[] })
  | (Span & { kind: 'DictComp'; key: PyNode; value: PyNode; generators: PyComprehension[] })
  | (Span & { kind: 'Await'; value: PyNode })
  | (Span & { kind: 'Yield'; value: PyNode | null })
  | (Span & { kind: 'YieldFrom'; value: PyNode })
  /** An f-string: `Constant` str parts and `FormattedValue`s. */
  | (Span & { kind: 'JoinedStr'; values: PyNode[] })
  | (Span & { kind: 'FormattedValue'; value: PyNode; /** -1, or the char code of s, r, a. */ conversion: number; formatSpec: PyNode | null });

export type PyNodeKind = PyNode['kind'];

/** The node of one kind. */
export type PyNodeOf<K extends PyNodeKind> = Extract<PyNode, { kind: K }>;
