/** Health: workouts and meals, steps and sleep, medication reminders and doctor appointments. */
import type { ValueObject } from '../../core/value.ts';
import { stableInt } from '../pools.ts';
import { firstItem, isoDate } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, decimal, integer, listOf, pool, timeOfDay } from '../values.ts';

const ACTIVITIES = ['running', 'cycling', 'swimming', 'yoga', 'walking'];
const MEALS = ['breakfast', 'lunch', 'dinner', 'snack'];
const FOODS = ['oatmeal with berries', 'chicken salad', 'salmon and rice', 'greek yogurt', 'veggie wrap', 'lentil soup', 'peanut butter toast', 'pasta primavera'];
const MEDICATIONS = [
  { name: 'Ibuprofen', active: true },
  { name: 'Vitamin D', active: true },
  { name: 'Metformin', active: true },
  { name: 'Amoxicillin', active: false },
  { name: 'Cetirizine', active: true },
  { name: 'Omega-3', active: false },
];
const SPECIALTIES = ['general', 'dermatology', 'cardiology', 'dentistry', 'physiotherapy'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function positive(args: ValueObject, key: string): number {
  const v = args[key];
  if (typeof v !== 'number' || !(v > 0)) throw new ToolError(`${key} must be a positive number`);
  return v;
}

const logWorkout: WorldTool = {
  name: 'log_workout',
  domain: 'health',
  description: 'Log a workout (exercise session): the activity, how long it lasted, the distance covered and the date.',
  params: {
    activity: { type: 'string', description: 'Kind of exercise', enum: ACTIVITIES },
    duration_minutes: { type: 'integer', description: 'How long it lasted, in minutes' },
    distance_km: { type: 'number', description: 'Distance covered in kilometers' },
    date: { type: 'string', description: 'Day of the workout as YYYY-MM-DD' },
  },
  required: ['activity', 'duration_minutes'],
  lookAlike: 'log_meal',
  templates: [
    'Log a {minutes} {activity} workout[ on {date}].',
    'I did {activity} for {minutes}[ and covered {km}], log the exercise.',
    'Record {minutes} of {activity} as a workout[ for {date}].',
    'Add an exercise session: {activity}[, {minutes}][, {km}].',
    'Track my workout: {minutes} of {activity}[ on {date}].',
  ],
  slots: {
    activity: { arg: 'activity', source: choice(ACTIVITIES.map((a) => ({ value: a, texts: [a] }))) },
    minutes: { arg: 'duration_minutes', source: integer(10, 120, 'minutes') },
    km: { arg: 'distance_km', source: decimal(1, 40, 1, 'km') },
    date: { arg: 'date', source: date() },
  },
  execute(args) {
    const activity = String(args['activity'] ?? '');
    if (!ACTIVITIES.includes(activity)) throw new ToolError(`Unknown activity: ${activity}`);
    const minutes = positive(args, 'duration_minutes');
    const burned = Math.round(minutes * ({ running: 11, cycling: 8, swimming: 9, yoga: 4, walking: 5 } as Record<string, number>)[activity]!);
    return { workout_id: `WO-${stableInt(`wo:${JSON.stringify(args)}`, 1000, 9999)}`, activity, duration_minutes: minutes, calories_burned: burned, date: args['date'] ?? 'today' };
  },
};

const logMeal: WorldTool = {
  name: 'log_meal',
  domain: 'health',
  description: 'Log a meal I ate (food diary): which meal, the food, and optionally its nutrition (calories, protein).',
  params: {
    meal: { type: 'string', description: 'Which meal', enum: MEALS },
    food: { type: 'string', description: 'What was eaten' },
    nutrition: {
      type: 'object',
      description: 'Nutrition facts',
      properties: { calories: { type: 'integer', description: 'Calories' }, protein_g: { type: 'number', description: 'Protein in grams' } },
      required: ['calories'],
    },
  },
  required: ['meal', 'food'],
  lookAlike: 'log_workout',
  templates: [
    'Log {food} for {meal} in my food diary[, {calories} with {protein} of protein].',
    'I ate {food} for {meal}, add it to my food diary.',
    'Record my {meal} meal: {food}[, {calories}].',
    'Add {food} as today\'s {meal} in the meal log.',
    'For {meal} I had {food}, note it in my food log[ at {calories}].',
  ],
  slots: {
    meal: { arg: 'meal', source: choice(MEALS.map((m) => ({ value: m, texts: [m] }))) },
    food: { arg: 'food', source: pool(FOODS) },
    calories: { arg: 'nutrition.calories', source: integer(150, 900, 'calories') },
    protein: { arg: 'nutrition.protein_g', source: integer(5, 60, 'grams') },
  },
  execute(args) {
    const meal = String(args['meal'] ?? '');
    if (!MEALS.includes(meal)) throw new ToolError(`Unknown meal: ${meal}`);
    const food = String(args['food'] ?? '');
    if (food.trim() === '') throw new ToolError('food is empty');
    const n = args['nutrition'] as { protein_g?: number } | undefined;
    if (n && n.protein_g !== undefined && (n as { calories?: number }).calories === undefined) throw new ToolError('nutrition needs calories');
    return { entry_id: `ML-${stableInt(`ml:${JSON.stringify(args)}`, 1000, 9999)}`, meal, food, logged: true };
  },
};

const stepCount: WorldTool = {
  name: 'get_step_count',
  domain: 'health',
  description: 'How many steps I walked on a date, from the step counter.',
  params: { date: { type: 'string', description: 'Date as YYYY-MM-DD' } },
  required: ['date'],
  lookAlike: 'get_sleep_summary',
  templates: ['How many steps did I take on {date}?', 'Show my step count for {date}.', 'What was my step total[ on {date}]?', 'Steps walked on {date}, please.', 'Did I hit my steps goal on {date}?'],
  slots: { date: { arg: 'date', source: date() } },
  parallelSlot: 'date',
  execute(args) {
    const d = isoDate(args['date'], 'date');
    return { date: d, steps: stableInt(`steps:${d}`, 1200, 18000), goal: 8000 };
  },
};

const sleepSummary: WorldTool = {
  name: 'get_sleep_summary',
  domain: 'health',
  description: 'Summary of my sleep for a night: hours slept, sleep quality and times I woke up.',
  params: { date: { type: 'string', description: 'Night of the date as YYYY-MM-DD' } },
  required: ['date'],
  lookAlike: 'get_step_count',
  templates: ['How did I sleep on {date}?', 'Show my sleep summary for {date}.', 'How many hours of sleep did I get[ on {date}]?', 'What was my sleep quality on {date}?', 'Did I wake up a lot the night of {date}? Sleep report please.'],
  slots: { date: { arg: 'date', source: date() } },
  parallelSlot: 'date',
  execute(args) {
    const d = isoDate(args['date'], 'date');
    return { date: d, hours: stableInt(`sleep:${d}`, 45, 95) / 10, quality: ['poor', 'fair', 'good', 'great'][stableInt(`q:${d}`, 0, 3)]!, awakenings: stableInt(`aw:${d}`, 0, 5) };
  },
};

const listMedications: WorldTool = {
  name: 'list_medications',
  domain: 'health',
  description: 'List my medications (pills, prescriptions), only the active ones by default.',
  params: { active_only: { type: 'boolean', description: 'Only medications I take now', default: true } },
  required: [],
  templates: ['What medications am I on?', 'List my medications[{all}].', 'Show my prescriptions[{all}].', 'Which pills am I taking?', 'Give me my medication list[{all}].'],
  slots: { all: { arg: 'active_only', source: choice([{ value: false, texts: [', including inactive ones (not only active)', ', past ones too, not only active'] }]) } },
  execute(args) {
    const activeOnly = args['active_only'] !== false;
    return { medications: MEDICATIONS.filter((m) => !activeOnly || m.active).map((m) => ({ name: m.name, active: m.active, dose_mg: stableInt(`dose:${m.name}`, 1, 40) * 25 })) };
  },
};

const medicationReminder: WorldTool = {
  name: 'set_medication_reminder',
  domain: 'health',
  description: 'Set a reminder to take a medication at a time, with the dose, on chosen weekdays.',
  params: {
    medication: { type: 'string', description: 'Name of the medication' },
    time: { type: 'string', description: 'Time as HH:MM' },
    dosage_mg: { type: 'number', description: 'Dose in milligrams' },
    days: { type: 'array', description: 'Weekdays (every day when left out)', items: { type: 'string', description: 'Weekday', enum: WEEKDAYS } },
  },
  required: ['medication', 'time'],
  templates: [
    'Remind me to take {medication} at {time}[, {dose}][ on {days}].',
    'Set a medication reminder for {medication} at {time}.',
    'I need a reminder to take my {medication}[ at {time}].',
    'Alert me at {time} to take {medication}[, dose {dose}].',
    'Medication alarm: {medication}, {time}[, only on {days}].',
  ],
  slots: {
    medication: { arg: 'medication', source: pool(MEDICATIONS.map((m) => m.name)) },
    time: { arg: 'time', source: timeOfDay() },
    dose: { arg: 'dosage_mg', source: choice([100, 200, 250, 400, 500].map((d) => ({ value: d, texts: [`${d} mg`, `${d}mg`] }))) },
    days: { arg: 'days', source: listOf(choice(WEEKDAYS.map((d) => ({ value: d, texts: [d[0]!.toUpperCase() + d.slice(1)] }))), 1, 3) },
  },
  execute(args) {
    const med = MEDICATIONS.find((m) => m.name.toLowerCase() === String(args['medication'] ?? '').toLowerCase());
    if (!med) throw new ToolError(`Unknown medication: ${String(args['medication'])}`);
    if (!/^\d{2}:\d{2}$/.test(String(args['time'] ?? ''))) throw new ToolError('time must be HH:MM');
    if (args['dosage_mg'] !== undefined) positive(args, 'dosage_mg');
    return { reminder_id: `MR-${stableInt(`mr:${JSON.stringify(args)}`, 1000, 9999)}`, medication: med.name, time: args['time']!, days: args['days'] ?? WEEKDAYS };
  },
};

const bookAppointment: WorldTool = {
  name: 'BookDoctorAppointment',
  domain: 'health',
  description: 'Book an appointment with a doctor of a specialty on a date, in person or by video (telehealth).',
  params: {
    specialty: { type: 'string', description: 'Kind of doctor', enum: SPECIALTIES },
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
    time: { type: 'string', description: 'Preferred time as HH:MM' },
    telehealth: { type: 'boolean', description: 'A video visit instead of in person', default: false },
  },
  required: ['specialty', 'date'],
  templates: [
    'Book a {specialty} appointment on {date}[ at {time}][{video}].',
    'I need to see a doctor for {specialty} on {date}[{video}].',
    'Schedule a doctor visit ({specialty})[ on {date}][ around {time}].',
    'Get me a {specialty} doctor appointment for {date}.',
    'Find me a slot with a {specialty} doctor on {date}[, {video}].',
  ],
  slots: {
    specialty: { arg: 'specialty', source: choice(SPECIALTIES.map((s) => ({ value: s, texts: [s] }))) },
    date: { arg: 'date', source: date() },
    time: { arg: 'time', source: timeOfDay() },
    video: { arg: 'telehealth', source: choice([{ value: true, texts: [' by video (telehealth)', ' as a telehealth call'] }]) },
  },
  execute(args) {
    const specialty = String(args['specialty'] ?? '');
    if (!SPECIALTIES.includes(specialty)) throw new ToolError(`Unknown specialty: ${specialty}`);
    const d = isoDate(args['date'], 'date');
    return { appointment_id: `AP-${stableInt(`ap:${JSON.stringify(args)}`, 1000, 9999)}`, specialty, date: d, time: args['time'] ?? `${String(stableInt(`t:${d}`, 8, 16)).padStart(2, '0')}:30`, telehealth: args['telehealth'] === true };
  },
};

export const healthDomain: WorldDomain = {
  name: 'health',
  tools: [logWorkout, logMeal, stepCount, sleepSummary, listMedications, medicationReminder, bookAppointment],
  chains: [
    {
      first: 'list_medications',
      then: 'set_medication_reminder',
      templates: ['and remind me to take the first one at {time}.', 'then set a reminder for the first medication at {time}.'],
      bind(result) {
        const name = firstItem(result, 'medications', 'name');
        return name === undefined ? undefined : { medication: name };
      },
    },
  ],
};
