/** Calendar: events, reminders, free slots, cancelling and rescheduling on the user's calendars. */
import type { ValueObject } from '../../core/value.ts';
import { CONTACTS, stableInt } from '../pools.ts';
import { clockTime, firstItem, isoDate } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, listOf, pool, timeOfDay } from '../values.ts';

const TITLES = ['Team standup', 'Dentist appointment', 'Project review', 'Lunch with Maya', 'Budget meeting', 'Yoga class', 'Parent teacher meeting', 'Quarterly planning', 'Car service', 'Book club', 'Design workshop', 'Call with the bank'];
const REMINDERS = ['take out the trash', 'call mom', 'water the plants', 'renew the passport', 'pay the rent', 'pick up the dry cleaning', 'submit the report', 'buy a birthday card'];
const EVENT_IDS = Array.from({ length: 20 }, (_, i) => `EV-${300 + i * 7}`);
const people = pool(CONTACTS.map((c) => c.name));

function knownEvent(args: ValueObject): string {
  const id = String(args['event_id'] ?? '');
  if (!EVENT_IDS.includes(id)) throw new ToolError(`No event with id "${id}"`);
  return id;
}

/** The events on a day: two or three, deterministic. */
function eventsOn(day: string, calendar: string | undefined): { event_id: string; title: string; start: string; calendar: string }[] {
  const n = stableInt(`n:${day}`, 2, 3);
  const out = [];
  for (let i = 0; i < n; i++) {
    const key = `${day}:${i}`;
    const cal = stableInt(`cal:${key}`, 0, 1) === 0 ? 'work' : 'personal';
    out.push({ event_id: EVENT_IDS[stableInt(key, 0, EVENT_IDS.length - 1)]!, title: TITLES[stableInt(`t:${key}`, 0, TITLES.length - 1)]!, start: `${String(8 + i * 3 + stableInt(`h:${key}`, 0, 2)).padStart(2, '0')}:00`, calendar: cal });
  }
  return calendar === undefined ? out : out.filter((e) => e.calendar === calendar);
}

const createEvent: WorldTool = {
  name: 'create_event',
  domain: 'calendar',
  description: 'Create a calendar event (meeting, appointment) with a title, date, start time, length, attendees and location.',
  params: {
    title: { type: 'string', description: 'Title of the event' },
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
    start_time: { type: 'string', description: 'Start time as HH:MM' },
    duration_minutes: { type: 'integer', description: 'Length in minutes', default: 60 },
    attendees: { type: 'array', description: 'People to invite', items: { type: 'string', description: 'Full name' } },
    location: { type: 'string', description: 'Where it takes place' },
  },
  required: ['title', 'date', 'start_time'],
  lookAlike: 'set_reminder',
  templates: [
    'Schedule a meeting "{title}" on {date} at {time}[ for {minutes}][ with {attendees}].',
    'Put "{title}" in my calendar on {date} at {time}[ in {location}].',
    'Create an event called "{title}" for {date}[ at {time}][, {minutes} long].',
    'Add an appointment "{title}" on {date} at {time}[ and invite {attendees}].',
    'Block my calendar for "{title}" on {date} from {time}[, lasting {minutes}].',
  ],
  slots: {
    title: { arg: 'title', source: pool(TITLES) },
    date: { arg: 'date', source: date() },
    time: { arg: 'start_time', source: timeOfDay() },
    minutes: { arg: 'duration_minutes', source: choice([15, 30, 45, 90, 120].map((m) => ({ value: m, texts: [`${m} minutes`] }))) },
    attendees: { arg: 'attendees', source: listOf(people, 1, 3) },
    location: { arg: 'location', source: pool(['Room 4B', 'the main office', 'Cafe Luna', 'the library', 'Zoom']) },
  },
  execute(args) {
    const day = isoDate(args['date'], 'date');
    const start = clockTime(args['start_time'], 'start_time');
    const minutes = Number(args['duration_minutes'] ?? 60);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 600) throw new ToolError('duration_minutes must be between 5 and 600');
    return { event_id: `EV-${stableInt(`new:${JSON.stringify(args)}`, 1000, 9999)}`, title: args['title'] ?? '', date: day, start_time: start, duration_minutes: minutes, attendees: args['attendees'] ?? [], status: 'created' };
  },
};

const setReminder: WorldTool = {
  name: 'set_reminder',
  domain: 'calendar',
  description: 'Set a reminder (a nudge, alert) to do something at a date and time, optionally repeating.',
  params: {
    text: { type: 'string', description: 'What to be reminded of' },
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
    time: { type: 'string', description: 'Time as HH:MM' },
    repeat: { type: 'string', description: 'How often it repeats', enum: ['none', 'daily', 'weekly'], default: 'none' },
  },
  required: ['text', 'date', 'time'],
  lookAlike: 'create_event',
  templates: [
    'Remind me to {text} on {date} at {time}[, {repeat}].',
    'Set a reminder to {text} for {date} at {time}.',
    'Can you remind me at {time} on {date} to {text}?',
    'Please set a reminder: {text}, {date}[ at {time}][, repeating {repeat}].',
    'Nudge me to {text} on {date} around {time}[ and repeat it {repeat}].',
  ],
  slots: {
    text: { arg: 'text', source: pool(REMINDERS) },
    date: { arg: 'date', source: date() },
    time: { arg: 'time', source: timeOfDay() },
    repeat: { arg: 'repeat', source: choice([{ value: 'daily', texts: ['daily'] }, { value: 'weekly', texts: ['weekly'] }]) },
  },
  execute(args) {
    return { reminder_id: `RM-${stableInt(`rm:${JSON.stringify(args)}`, 1000, 9999)}`, text: args['text'] ?? '', date: isoDate(args['date'], 'date'), time: clockTime(args['time'], 'time'), repeat: args['repeat'] ?? 'none', status: 'set' };
  },
};

const listEvents: WorldTool = {
  name: 'list_events',
  domain: 'calendar',
  description: 'List the scheduled events on my calendar for a date, optionally only the work or personal calendar.',
  params: {
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
    calendar: { type: 'string', description: 'Which calendar', enum: ['work', 'personal'] },
  },
  required: ['date'],
  lookAlike: 'find_free_slots',
  templates: [
    "What's scheduled on {date}[ in my {calendar} calendar]?",
    'List my events for {date}.',
    'Show my[ {calendar}] calendar events on {date}.',
    'What do I have scheduled[ on {date}]?',
    'Any events lined up for {date}[ on the {calendar} calendar]?',
  ],
  slots: {
    date: { arg: 'date', source: date() },
    calendar: { arg: 'calendar', source: choice([{ value: 'work', texts: ['work'] }, { value: 'personal', texts: ['personal'] }]) },
  },
  parallelSlot: 'date',
  execute(args) {
    const day = isoDate(args['date'], 'date');
    const cal = args['calendar'] === undefined ? undefined : String(args['calendar']);
    if (cal !== undefined && cal !== 'work' && cal !== 'personal') throw new ToolError(`Unknown calendar: ${cal}`);
    return { date: day, events: eventsOn(day, cal) };
  },
};

const findFreeSlots: WorldTool = {
  name: 'find_free_slots',
  domain: 'calendar',
  description: 'Find free (available, open) time slots of a given length on a date when all the attendees can meet.',
  params: {
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
    duration_minutes: { type: 'integer', description: 'Length of the slot in minutes' },
    attendees: { type: 'array', description: 'People who must be free', items: { type: 'string', description: 'Full name' } },
  },
  required: ['date', 'duration_minutes'],
  lookAlike: 'list_events',
  templates: [
    'When am I free for {minutes} on {date}[ with {attendees}]?',
    'Find an open slot of {minutes} on {date}[ for me and {attendees}].',
    'Do I have {minutes} available on {date}?',
    'Look for free time on {date}[, {minutes} long][, including {attendees}].',
    'Which {minutes} windows are open on {date}[ for {attendees} and me]?',
  ],
  slots: {
    date: { arg: 'date', source: date() },
    minutes: { arg: 'duration_minutes', source: choice([30, 45, 60, 90].map((m) => ({ value: m, texts: [`${m} minutes`] }))) },
    attendees: { arg: 'attendees', source: listOf(people, 1, 2) },
  },
  execute(args) {
    const day = isoDate(args['date'], 'date');
    const minutes = Number(args['duration_minutes']);
    if (!Number.isInteger(minutes) || minutes < 5) throw new ToolError('duration_minutes must be a whole number of at least 5');
    const busy = new Set(eventsOn(day, undefined).map((e) => e.start));
    const slots = [];
    for (let h = 8; h < 18 && slots.length < 4; h++) {
      const start = `${String(h).padStart(2, '0')}:00`;
      if (!busy.has(start) && stableInt(`free:${day}:${h}:${JSON.stringify(args['attendees'] ?? [])}`, 0, 2) > 0) slots.push({ start, end: `${String(h + Math.ceil(minutes / 60)).padStart(2, '0')}:00` });
    }
    return { date: day, duration_minutes: minutes, slots };
  },
};

const cancelEvent: WorldTool = {
  name: 'cancel_event',
  domain: 'calendar',
  description: 'Cancel (delete, remove) a calendar event by its id, telling the attendees or not.',
  params: {
    event_id: { type: 'string', description: 'Event id, e.g. EV-314' },
    notify_attendees: { type: 'boolean', description: 'Send a cancellation notice to the attendees', default: true },
  },
  required: ['event_id'],
  templates: [
    'Cancel event {event}.',
    'Delete {event} from my calendar[{quiet}].',
    'Please cancel the event with id {event}[{quiet}].',
    'Remove calendar entry {event}.',
    'Call off {event}, cancel it[{quiet}].',
  ],
  slots: {
    event: { arg: 'event_id', source: pool(EVENT_IDS) },
    quiet: { arg: 'notify_attendees', source: choice([{ value: false, texts: [' without notifying the attendees', ', no need to notify attendees'] }]) },
  },
  parallelSlot: 'event',
  execute(args) {
    return { event_id: knownEvent(args), status: 'cancelled', attendees_notified: args['notify_attendees'] !== false };
  },
};

const rescheduleEvent: WorldTool = {
  name: 'reschedule-event',
  domain: 'calendar',
  description: 'Reschedule (move) an existing calendar event to a new date and time.',
  params: {
    event_id: { type: 'string', description: 'Event id, e.g. EV-314' },
    new_date: { type: 'string', description: 'New date as YYYY-MM-DD' },
    new_time: { type: 'string', description: 'New start time as HH:MM' },
  },
  required: ['event_id', 'new_date', 'new_time'],
  templates: [
    'Move {event} to {date} at {time}.',
    'Reschedule event {event} to {date}[ at {time}].',
    'Can you push {event} to {date} at {time}? Reschedule it.',
    'Please reschedule {event} for {time} on {date}.',
    'Shift the event {event} over to {date}, {time}, a reschedule.',
  ],
  slots: { event: { arg: 'event_id', source: pool(EVENT_IDS) }, date: { arg: 'new_date', source: date() }, time: { arg: 'new_time', source: timeOfDay() } },
  execute(args) {
    return { event_id: knownEvent(args), new_date: isoDate(args['new_date'], 'new_date'), new_time: clockTime(args['new_time'], 'new_time'), status: 'rescheduled' };
  },
};

export const calendarDomain: WorldDomain = {
  name: 'calendar',
  tools: [createEvent, setReminder, listEvents, findFreeSlots, cancelEvent, rescheduleEvent],
  chains: [
    {
      first: 'list_events',
      then: 'cancel_event',
      templates: ['and cancel the first one.', 'then cancel the earliest event[{quiet}].'],
      bind(result) {
        const id = firstItem(result, 'events', 'event_id');
        return id === undefined ? undefined : { event_id: id };
      },
    },
    {
      first: 'list_events',
      then: 'reschedule-event',
      templates: ['and move the first one to {date} at {time}.', 'then reschedule the earliest one to {time} on {date}.'],
      bind(result) {
        const id = firstItem(result, 'events', 'event_id');
        return id === undefined ? undefined : { event_id: id };
      },
    },
  ],
};
