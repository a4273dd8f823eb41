/** calendar: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const calendarDomain: WorldDomain = { name: 'calendar', tools: [] };
