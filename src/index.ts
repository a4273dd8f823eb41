/** looptool's public library API. */
export * from './core/value.ts';
export * from './core/json.ts';
export * from './core/types.ts';
export * from './core/records.ts';
export * from './toolcall/result.ts';
export * from './toolcall/think.ts';
export * from './toolcall/hermes.ts';
