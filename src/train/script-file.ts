/** The generated shell scripts of the external trainers: written whole (a rerun of `prepare` never leaves half a script) and executable. */
import { chmod } from 'node:fs/promises';
import { writeFileAtomic } from '../core/records.ts';

export async function writeShellScript(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text);
  await chmod(path, 0o755);
}
