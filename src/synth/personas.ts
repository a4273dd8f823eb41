/** Who the simulated user is and how they write, drawn per dialogue so turns vary in voice. */
import type { Rng } from '../core/random.ts';
import type { Persona } from './roles.ts';

const WHO = [
  'a project manager with a full calendar',
  'a student on a tight budget',
  'a retired teacher planning trips',
  'a freelance designer juggling clients',
  'a nurse working night shifts',
  'a small shop owner',
  'a software engineer who likes exact answers',
  'a parent organising a family week',
  'a traveller who has just landed',
  'an accountant closing the month',
];

const STYLES = ['brief', 'chatty', 'formal', 'casual', 'precise', 'polite', 'hurried', 'friendly', 'matter-of-fact', 'playful'];

export function drawPersona(rng: Rng): Persona {
  return { who: rng.pick(WHO), style: rng.pick(STYLES) };
}
