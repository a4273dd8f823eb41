/** shopping: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const shoppingDomain: WorldDomain = { name: 'shopping', tools: [] };
