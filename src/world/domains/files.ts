/** Files: a small file tree to list, search, read, inspect, copy, move and delete. */
import type { Value, ValueObject } from '../../core/value.ts';
import { stableInt } from '../pools.ts';
import { firstItem } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, pool } from '../values.ts';

interface FileEntry {
  path: string;
  sizeKb: number;
  modified: string;
  content?: string;
}

const TREE: readonly FileEntry[] = [
  ['/home/docs/report-2026.pdf'], ['/home/docs/budget.csv', 'month,amount\njan,1200\nfeb,950'], ['/home/docs/notes.txt', 'Call the landlord about the heating.'], ['/home/docs/resume.docx'],
  ['/home/docs/meeting-minutes.md', '# Minutes\nDecided to ship in May.'], ['/home/docs/todo.txt', 'buy milk; fix bike; book dentist'], ['/home/photos/beach.jpg'], ['/home/photos/birthday.png'],
  ['/home/photos/passport-scan.jpg'], ['/home/photos/skyline.jpg'], ['/home/music/demo-track.mp3'], ['/home/music/lyrics-draft.txt', 'Verse one, under the city lights'],
  ['/work/projects/plan.md', '# Plan\nPhase 1: research'], ['/work/projects/data.csv', 'id,value\n1,42\n2,17'], ['/work/projects/server.log', 'INFO started\nWARN slow request'], ['/work/projects/design.pdf'],
  ['/work/projects/readme.txt', 'Run make to build.'], ['/work/archive/old-report.pdf'], ['/work/archive/contacts.csv', 'name,email\nAna,ana@example.com'], ['/work/archive/backup.zip'],
].map(([path, content]) => ({ path: path!, sizeKb: stableInt(`size:${path}`, 2, 4800), modified: `2026-${String(stableInt(`m:${path}`, 1, 11)).padStart(2, '0')}-${String(stableInt(`d:${path}`, 1, 28)).padStart(2, '0')}`, ...(content ? { content } : {}) }));

const FOLDERS = ['/home/docs', '/home/photos', '/home/music', '/work/projects', '/work/archive'];
const TEXT_FILES = TREE.filter((f) => f.content !== undefined).map((f) => f.path);
const ALL_FILES = TREE.map((f) => f.path);

function entry(args: ValueObject, key: string): FileEntry {
  const path = String(args[key] ?? '');
  if (path.startsWith('/system')) throw new ToolError(`Permission denied: ${path}`);
  const f = TREE.find((x) => x.path === path);
  if (!f) throw new ToolError(`No such file: ${path}`);
  return f;
}

function folder(args: ValueObject, key: string): string {
  const f = String(args[key] ?? '').replace(/\/$/, '');
  if (!FOLDERS.includes(f)) throw new ToolError(`No such folder: ${f}`);
  return f;
}

const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const describe = (f: FileEntry): ValueObject => ({ path: f.path, size_kb: f.sizeKb, modified: f.modified });

const listFiles: WorldTool = {
  name: 'list_files',
  domain: 'files',
  description: 'List the files in a folder (directory), optionally only those with an extension, optionally including subfolders.',
  params: {
    folder: { type: 'string', description: 'Folder path, e.g. /home/docs' },
    extension: { type: 'string', description: 'Only files ending in this extension, e.g. pdf' },
    recursive: { type: 'boolean', description: 'Include subfolders', default: false },
  },
  required: ['folder'],
  templates: ['List the files in {folder}[ that end in .{ext}].', "What's in the folder {folder}?", 'Show me the directory listing of {folder}[, only .{ext} files].', 'Which files are in {folder}[, subfolders included{recursive}]?', 'Enumerate {folder} for me: every file in that folder.'],
  slots: {
    folder: { arg: 'folder', source: pool(FOLDERS) },
    ext: { arg: 'extension', source: choice(['pdf', 'txt', 'csv', 'jpg', 'md'].map((e) => ({ value: e, texts: [e] }))) },
    recursive: { arg: 'recursive', source: choice([{ value: true, texts: [' (recursive)', ', recursive'] }]) },
  },
  parallelSlot: 'folder',
  execute(args) {
    const dir = folder(args, 'folder');
    const ext = args['extension'] === undefined ? undefined : String(args['extension']).replace(/^\./, '');
    const files = TREE.filter((f) => f.path.startsWith(`${dir}/`) && (ext === undefined || f.path.endsWith(`.${ext}`))).map(describe);
    return { folder: dir, files };
  },
};

const readFile: WorldTool = {
  name: 'read_file',
  domain: 'files',
  description: 'Read and return the text content of a text file (txt, md, csv, log): open it and show what it says.',
  params: { path: { type: 'string', description: 'Path of the file' } },
  required: ['path'],
  lookAlike: 'get_file_info',
  templates: ['Read {path}.', 'Open {path} and show me what it says.', 'What does {path} say? Read it out.', 'Show the content of {path}.', 'Print the text inside {path} for me.'],
  slots: { path: { arg: 'path', source: pool(TEXT_FILES) } },
  parallelSlot: 'path',
  execute(args) {
    const f = entry(args, 'path');
    if (f.content === undefined) throw new ToolError(`${f.path} is not a text file`);
    return { path: f.path, content: f.content };
  },
};

const fileInfo: WorldTool = {
  name: 'get_file_info',
  domain: 'files',
  description: 'File metadata: size in KB and last modified date, without opening the file.',
  params: { path: { type: 'string', description: 'Path of the file' } },
  required: ['path'],
  lookAlike: 'read_file',
  templates: ['How big is {path}, size-wise?', 'When was {path} last modified?', 'Get the metadata of {path}.', 'What size is {path}, and when was it modified?', 'File size and modified date for {path}, please.'],
  slots: { path: { arg: 'path', source: pool(ALL_FILES) } },
  parallelSlot: 'path',
  execute(args) {
    return describe(entry(args, 'path'));
  },
};

const copyFile: WorldTool = {
  name: 'copy_file',
  domain: 'files',
  description: 'Copy a file into another folder, keeping the original; optionally overwrite an existing copy.',
  params: {
    source: { type: 'string', description: 'Path of the file to copy' },
    destination: { type: 'string', description: 'Folder to copy it into' },
    overwrite: { type: 'boolean', description: 'Replace a file of the same name', default: false },
  },
  required: ['source', 'destination'],
  lookAlike: 'move_file',
  templates: ['Copy {source} to {dest}[{overwrite}].', 'Make a copy of {source} in {dest}.', 'Duplicate {source} into {dest} as a copy[{overwrite}].', 'Please copy {source}[ into {dest}].', 'Keep {source} where it is but put a copy in {dest}.'],
  slots: {
    source: { arg: 'source', source: pool(ALL_FILES) },
    dest: { arg: 'destination', source: pool(FOLDERS) },
    overwrite: { arg: 'overwrite', source: choice([{ value: true, texts: [' and overwrite any existing file', ', overwriting if needed'] }]) },
  },
  execute(args) {
    const f = entry(args, 'source');
    const dir = folder(args, 'destination');
    return { copied: f.path, to: `${dir}/${name(f.path)}`, overwritten: args['overwrite'] === true && f.path === `${dir}/${name(f.path)}` };
  },
};

const moveFile: WorldTool = {
  name: 'move_file',
  domain: 'files',
  description: 'Move (relocate) a file to another folder; it is no longer where it was.',
  params: {
    source: { type: 'string', description: 'Path of the file to move' },
    destination: { type: 'string', description: 'Folder to move it to' },
  },
  required: ['source', 'destination'],
  lookAlike: 'copy_file',
  templates: ['Move {source} to {dest}.', 'Relocate {source} into {dest}.', 'Please move {source}[ to {dest}].', 'Take {source} out of its folder and move it to {dest}.', 'Shift {source} over to {dest} (move, do not keep it).'],
  slots: { source: { arg: 'source', source: pool(ALL_FILES) }, dest: { arg: 'destination', source: pool(FOLDERS) } },
  execute(args) {
    const f = entry(args, 'source');
    const dir = folder(args, 'destination');
    return { moved: f.path, to: `${dir}/${name(f.path)}` };
  },
};

const searchFiles: WorldTool = {
  name: 'search-files',
  domain: 'files',
  description: 'Search all files by name for a query, with optional filters on extension and modified date.',
  params: {
    query: { type: 'string', description: 'Part of the file name' },
    filters: {
      type: 'object',
      description: 'Extra conditions',
      properties: { extension: { type: 'string', description: 'File extension, e.g. pdf' }, modified_after: { type: 'string', description: 'Only files changed after this date, YYYY-MM-DD' } },
    },
  },
  required: ['query'],
  templates: [
    'Search my files for "{query}"[ modified after {after}].',
    'Find files named like "{query}"[ with extension {ext}].',
    'Look for any file with "{query}" in its name[, only .{ext}].',
    'Search for "{query}" among my files.',
    'Hunt down files whose name contains "{query}"[, changed after {after}].',
  ],
  slots: {
    query: { arg: 'query', source: pool(['report', 'budget', 'notes', 'plan', 'data', 'minutes', 'todo', 'readme', 'contacts', 'lyrics']) },
    ext: { arg: 'filters.extension', source: choice(['pdf', 'txt', 'csv', 'md'].map((e) => ({ value: e, texts: [e] }))) },
    after: { arg: 'filters.modified_after', source: date() },
  },
  execute(args) {
    const q = String(args['query'] ?? '').toLowerCase();
    if (q === '') throw new ToolError('query is empty');
    const filters = (args['filters'] ?? {}) as Record<string, Value>;
    const ext = filters['extension'] === undefined ? undefined : String(filters['extension']).replace(/^\./, '');
    const after = filters['modified_after'] === undefined ? undefined : String(filters['modified_after']);
    const matches = TREE.filter((f) => name(f.path).toLowerCase().includes(q) && (ext === undefined || f.path.endsWith(`.${ext}`)) && (after === undefined || f.modified > after)).map(describe);
    return { query: q, matches };
  },
};

const deleteFile: WorldTool = {
  name: 'deleteFile',
  domain: 'files',
  description: 'Delete a file: move it to the trash, or remove it permanently.',
  params: {
    path: { type: 'string', description: 'Path of the file' },
    permanent: { type: 'boolean', description: 'Skip the trash and delete permanently', default: false },
  },
  required: ['path'],
  templates: ['Delete {path}[{permanent}].', 'Remove the file {path}.', 'Put {path} in the trash.', 'Please delete[ {path}][{permanent}].', 'Get rid of {path}, delete it.'],
  slots: {
    path: { arg: 'path', source: pool(ALL_FILES) },
    permanent: { arg: 'permanent', source: choice([{ value: true, texts: [' permanently', ' for good, permanently'] }]) },
  },
  parallelSlot: 'path',
  execute(args) {
    const f = entry(args, 'path');
    return { deleted: f.path, permanent: args['permanent'] === true, recoverable_until: args['permanent'] === true ? null : '30 days' };
  },
};

export const filesDomain: WorldDomain = {
  name: 'files',
  tools: [listFiles, readFile, fileInfo, copyFile, moveFile, searchFiles, deleteFile],
  chains: [
    {
      first: 'search-files',
      then: 'read_file',
      templates: ['and open the first text file you find.', 'then read the first match.'],
      bind(result) {
        const matches = (result as { matches?: { path: string }[] }).matches ?? [];
        const text = matches.find((m) => TEXT_FILES.includes(m.path));
        return text ? { path: text.path } : undefined;
      },
    },
    {
      first: 'list_files',
      then: 'copy_file',
      templates: ['and copy the first one to {dest}.', 'then make a copy of the first file in {dest}.'],
      bind(result) {
        const path = firstItem(result, 'files', 'path');
        return path === undefined ? undefined : { source: path };
      },
    },
  ],
};
