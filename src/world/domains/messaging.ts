/** messaging: placeholder until the domain is written. */
import type { WorldDomain } from '../types.ts';

export const messagingDomain: WorldDomain = { name: 'messaging', tools: [] };
