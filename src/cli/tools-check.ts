/** `looptool tools check`: load a tool set (tool list, OpenAPI 3, ToolBench folder) and print its tools, or what is wrong with it. */
import type { Command } from 'commander';
import { stringifyJson } from '../core/json.ts';
import { writeFileAtomic } from '../core/records.ts';
import { formatToolSetProblem, loadToolSet } from '../core/tools/load-tool-set.ts';
import type { Tool } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';

const HELP = `
Reads a tool set and checks every tool the way looptool will use it. PATH is a file
or a folder (every .json file under it is read, sub-folders included). Each file's
format is detected:

  tool list   [{name, description, parameters}], OpenAI [{type: "function",
              function: {…}}], MCP {tools: [{name, inputSchema}]}, or one tool;
              BFCL/Python type names (dict, float, int) become JSON Schema's
  OpenAPI     3.0 or 3.1 (JSON; convert YAML first): each operation is a tool —
              operationId (or method + path) as the name, summary as description,
              path/query/header parameters and the JSON body's properties as
              parameters; local $refs inlined, allOf merged
  ToolBench   tool files {tool_name, tool_description, api_list: [{name,
              required_parameters, optional_parameters}]}; point at
              toolenv/tools to read the whole tree

Problems print as FILE:LINE: JSON-POINTER: what is wrong. Exit status 2 when there is
any error (a tool set with a broken tool is not used), 0 otherwise.

Examples:
  looptool tools check tools.json
  looptool tools check petstore.openapi.json --out petstore.tools.json
  looptool tools check data/toolenv/tools/Finance
`;

export function registerToolsCommand(program: Command): void {
  const tools = program.command('tools').description('tool sets: check one and see its tools');
  tools
    .command('check')
    .description('load a tool set (tool list, OpenAPI 3 document or ToolBench folder) and print its tools or its errors')
    .argument('<path>', 'a tool-set file or a folder of them')
    .option('--out <file>', 'also write the tools as one JSON list (looptool form, usable with --tools)')
    .option('--json', 'print the tools as JSON instead of a summary')
    .addHelpText('after', HELP)
    .action(async (path: string, opts: { out?: string; json?: boolean }) => {
      const result = await loadToolSet(path);
      if (!result.ok) {
        for (const e of result.errors) process.stderr.write(`${formatToolSetProblem(e)}\n`);
        process.stderr.write(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in ${path}; no tools loaded\n`);
        process.exitCode = 2;
        return;
      }
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      const list = result.tools as unknown as Value[];
      if (opts.out) await writeFileAtomic(opts.out, JSON.stringify(list, null, 2) + '\n');
      if (opts.json) process.stdout.write(`${stringifyJson(list)}\n`);
      else process.stdout.write(summary(result.tools));
      process.stderr.write(`${result.tools.length} tool${result.tools.length === 1 ? '' : 's'} in ${path}${result.warnings.length > 0 ? `, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}` : ''}${opts.out ? `; written to ${opts.out}` : ''}\n`);
    });
}

function summary(tools: readonly Tool[]): string {
  return tools
    .map((t) => {
      const properties = isPlainObject(t.parameters['properties']) ? Object.keys(t.parameters['properties']) : [];
      const required = Array.isArray(t.parameters['required']) ? t.parameters['required'] : [];
      const params = properties.map((p) => (required.includes(p) ? `${p}*` : p)).join(', ');
      const description = (t.description ?? '').split('\n')[0]!.slice(0, 100);
      return `${t.name}(${params})${description ? `\n    ${description}` : ''}\n`;
    })
    .join('');
}
