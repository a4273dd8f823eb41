/**
 * Loading a tool set — the tools a user wants data for — from a file or a folder,
 * whatever the format: a JSON-schema tool list (looptool's, OpenAI's, bare functions,
 * MCP's), an OpenAPI 3.0/3.1 document, or ToolBench tool files. A folder is read
 * whole (its `.json` files, sub-folders included, in name order), as ToolBench's
 * `toolenv/tools/<Category>/<tool>.json` tree is.
 *
 * Every problem names the file, the JSON pointer and the line. Any error makes the
 * result a failure (a tool set with a broken tool would make data for the wrong tools);
 * warnings say what was changed or left out. JSON only: YAML would need a parser this
 * package does not ship, so a YAML file gets an error that says how to convert it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { stringifyJson, tryParseJson } from '../json.ts';
import { lineOfPosition } from '../records.ts';
import type { Tool } from '../types.ts';
import { pointerLineLocator } from './json-pointer.ts';
import { isOpenApiDocument, openApiToTools, type ToolAt } from './openapi.ts';
import { noProblems } from './problems.ts';
import { toolListToTools } from './tool-list.ts';
import { isToolBenchToolFile, toolBenchToTools } from './toolbench.ts';

export interface ToolSetError {
  file: string;
  /** JSON pointer to the value at fault, e.g. `/paths/~1pets/get/parameters/0`; `''` is the whole file. */
  pointer: string;
  message: string;
  /** 1-based line of the value in the file, when the file is JSON that parses. */
  line?: number;
}

export type ToolSetResult = { ok: true; tools: Tool[]; warnings: string[] } | { ok: false; errors: ToolSetError[] };

export type ToolFileFormat = 'openapi' | 'toolbench' | 'tool-list';

/** What one file holds, with problems placed in it. */
export interface ToolFile {
  file: string;
  format: ToolFileFormat | undefined;
  tools: ToolAt[];
  errors: ToolSetError[];
  warnings: ToolSetError[];
  /** The line a pointer lands on in the file. */
  lineOf(pointer: string): number | undefined;
}

/** Reads a tool set from a file or a folder and detects each file's format. */
export async function loadToolSet(path: string): Promise<ToolSetResult> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    return { ok: false, errors: [{ file: path, pointer: '', message: info.code === 'ENOENT' ? 'no such file or folder' : info.message }] };
  }
  if (!info.isDirectory()) return nonEmpty(combineToolFiles([await readToolFile(path)]), path);
  const files = await jsonFilesUnder(path);
  const skippedYaml = files.filter((f) => /\.ya?ml$/i.test(f));
  const jsonFiles = files.filter((f) => extname(f).toLowerCase() === '.json');
  if (jsonFiles.length === 0) {
    const hint = skippedYaml.length > 0 ? ` (${skippedYaml.length} YAML files: ${YAML_HINT})` : '';
    return { ok: false, errors: [{ file: path, pointer: '', message: `no .json files in this folder${hint}` }] };
  }
  const read = await Promise.all(jsonFiles.map(readToolFile));
  const result = combineToolFiles(read);
  if (result.ok) for (const f of skippedYaml) result.warnings.push(`${f}: skipped: ${YAML_HINT}`);
  return nonEmpty(result, path);
}

/** A tool set without tools is a mistake (an empty list, an API without operations), not a set to make data for. */
function nonEmpty(result: ToolSetResult, path: string): ToolSetResult {
  return result.ok && result.tools.length === 0 ? { ok: false, errors: [{ file: path, pointer: '', message: 'no tools found' }] } : result;
}

const YAML_HINT = 'YAML is not read; convert it to JSON first, e.g. python3 -c "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout, indent=2)" < api.yaml > api.json';

async function readToolFile(file: string): Promise<ToolFile> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => e);
  if (text instanceof Error) return failedFile(file, text.message);
  return parseToolFile(text, file);
}

function failedFile(file: string, message: string, line?: number): ToolFile {
  return { file, format: undefined, tools: [], errors: [line === undefined ? { file, pointer: '', message } : { file, pointer: '', message, line }], warnings: [], lineOf: () => undefined };
}

/** The tools of one file's text; `file` names it in problems (and its name is ToolBench's tool name). */
export function parseToolFile(text: string, file: string): ToolFile {
  if (/\.ya?ml$/i.test(file)) return failedFile(file, YAML_HINT);
  const parsed = tryParseJson(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const looksYaml = /^\s*(openapi|swagger)\s*:/m.test(text) || text.trimStart().startsWith('---');
    return failedFile(file, looksYaml ? YAML_HINT : `not valid JSON: ${parsed.error}`, lineOfPosition(text, parsed.position));
  }
  const doc = parsed.value;
  const problems = noProblems();
  let format: ToolFileFormat;
  let tools: ToolAt[];
  if (isOpenApiDocument(doc)) {
    format = 'openapi';
    tools = openApiToTools(doc, problems);
  } else if (isToolBenchToolFile(doc)) {
    format = 'toolbench';
    tools = toolBenchToTools(doc, basename(file).replace(/\.[^.]*$/, ''), problems);
  } else {
    format = 'tool-list';
    tools = toolListToTools(doc, problems);
  }
  const lineOf = pointerLineLocator(text);
  const result: ToolFile = { file, format, tools, errors: [], warnings: [], lineOf };
  result.errors = problems.errors.map((p) => placed(result, p.pointer, p.message));
  // A schema inlined into several operations would repeat its warning once per use.
  const warnings = new Map(problems.warnings.map((p) => [`${p.pointer}\u0000${p.message}`, p]));
  result.warnings = [...warnings.values()].map((p) => placed(result, p.pointer, p.message));
  return result;
}

/**
 * The tools of several files as one set. A name used twice is an error unless both
 * definitions are the same (then the second is dropped with a warning).
 */
export function combineToolFiles(files: readonly ToolFile[]): ToolSetResult {
  const errors: ToolSetError[] = files.flatMap((f) => f.errors);
  const warnings: string[] = files.flatMap((f) => f.warnings.map(formatToolSetProblem));
  const tools: Tool[] = [];
  const seen = new Map<string, { file: string; pointer: string; text: string }>();
  for (const f of files) {
    for (const { tool, pointer } of f.tools) {
      const text = stringifyJson(tool as never);
      const first = seen.get(tool.name);
      if (first === undefined) {
        seen.set(tool.name, { file: f.file, pointer, text });
        tools.push(tool);
        continue;
      }
      const where = `${first.file}${first.pointer === '' ? '' : ` at ${first.pointer}`}`;
      if (first.text === text) warnings.push(formatToolSetProblem(placed(f, pointer, `tool "${tool.name}" is defined the same way in ${where}; kept once`)));
      else errors.push(placed(f, pointer, `tool name "${tool.name}" is already used by a different tool in ${where}`));
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, tools, warnings };
}

function placed(f: ToolFile, pointer: string, message: string): ToolSetError {
  const line = f.lineOf(pointer);
  return line === undefined ? { file: f.file, pointer, message } : { file: f.file, pointer, message, line };
}

/** `file:line: pointer: message`, the way the CLI prints problems. */
export function formatToolSetProblem(e: ToolSetError): string {
  return `${e.file}${e.line === undefined ? '' : `:${e.line}`}: ${e.pointer === '' ? '' : `${e.pointer}: `}${e.message}`;
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.(json|ya?ml)$/i.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}
