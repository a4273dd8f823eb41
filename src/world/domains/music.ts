/** music: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const musicDomain: WorldDomain = { name: 'music', tools: [] };
