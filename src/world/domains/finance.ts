/** finance: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const financeDomain: WorldDomain = { name: 'finance', tools: [] };
