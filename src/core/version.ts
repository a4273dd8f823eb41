/** looptool's version, read from package.json so records that name it never drift from the release. */
import { readFileSync } from 'node:fs';

export const LOOPTOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
