/** The toolcall layer: reading calls out of model text, and writing them back. */
export * from './result.ts';
export * from './think.ts';
export * from './hermes.ts';
export * from './json-calls.ts';
export * from './python.ts';
export * from './pyrepr.ts';
export * from './render.ts';
export * from './detect.ts';
