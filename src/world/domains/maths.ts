/** maths: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const mathsDomain: WorldDomain = { name: 'maths', tools: [] };
