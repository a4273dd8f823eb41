/** travel: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const travelDomain: WorldDomain = { name: 'travel', tools: [] };
