/** health: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const healthDomain: WorldDomain = { name: 'health', tools: [] };
