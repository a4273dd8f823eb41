/** files: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const filesDomain: WorldDomain = { name: 'files', tools: [] };
