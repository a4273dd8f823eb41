/** Messaging: e-mail, chat and SMS messages, the address book and the inbox. */
import type { Value, ValueObject } from '../../core/value.ts';
import { CONTACTS, stableInt, type Contact } from '../pools.ts';
import { firstItem } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, integer, listOf, pool } from '../values.ts';

const SUBJECTS = ['Quarterly report', 'Dinner on Friday', 'Project kickoff', 'Invoice 2291', 'Weekend plans', 'Team offsite', 'Contract draft', 'Flight details'];
const BODIES = ['I will be ten minutes late', 'The draft is ready for review', 'Can we move our call to tomorrow', 'Thanks for your help today', 'Please send me the slides', 'The package has arrived', 'Lunch is on me this time', 'See you at the station'];
const MESSAGE_IDS = Array.from({ length: 16 }, (_, i) => `MSG-${5100 + i * 13}`);
const names = pool(CONTACTS.map((c) => c.name));

function contactFor(nameOrEmail: Value | undefined): Contact {
  const want = String(nameOrEmail ?? '').trim().toLowerCase();
  const c = CONTACTS.find((x) => x.name.toLowerCase() === want || x.email === want || x.name.split(' ')[0]!.toLowerCase() === want);
  if (!c) throw new ToolError(`No contact named "${String(nameOrEmail)}"`);
  return c;
}

function recipients(args: ValueObject, key: string): Contact[] {
  const list = args[key];
  if (!Array.isArray(list) || list.length === 0) throw new ToolError(`${key} needs at least one recipient`);
  return list.map((r) => contactFor(r));
}

const sendEmail: WorldTool = {
  name: 'send_email',
  domain: 'messaging',
  description: 'Send an e-mail (email) with a subject line and body to one or more recipients, optionally with cc and priority.',
  params: {
    to: { type: 'array', description: 'Recipients by name or e-mail address', items: { type: 'string', description: 'Name or e-mail address' } },
    subject: { type: 'string', description: 'Subject line' },
    body: { type: 'string', description: 'Text of the e-mail' },
    cc: { type: 'array', description: 'People to copy', items: { type: 'string', description: 'Name or e-mail address' } },
    priority: { type: 'string', description: 'Priority flag', enum: ['low', 'normal', 'high'], default: 'normal' },
  },
  required: ['to', 'subject', 'body'],
  lookAlike: 'send_message',
  templates: [
    'Email {to} with the subject "{subject}" saying "{body}".',
    'Send an email to {to}, subject "{subject}", body "{body}"[, and cc {cc}].',
    'Write an e-mail to {to} titled "{subject}": "{body}"[. Mark it {priority} priority].',
    'Please email {to} about "{subject}"[ and tell them "{body}"].',
    'Fire off a mail with subject line "{subject}" to {to} that reads "{body}"[, copying {cc}].',
  ],
  slots: {
    to: { arg: 'to', source: listOf(names, 1, 2) },
    subject: { arg: 'subject', source: pool(SUBJECTS) },
    body: { arg: 'body', source: pool(BODIES) },
    cc: { arg: 'cc', source: listOf(names, 1, 1) },
    priority: { arg: 'priority', source: choice([{ value: 'high', texts: ['high'] }, { value: 'low', texts: ['low'] }]) },
  },
  execute(args) {
    const to = recipients(args, 'to');
    const cc = Array.isArray(args['cc']) ? recipients(args, 'cc') : [];
    return { message_id: `EM-${stableInt(`em:${JSON.stringify(args)}`, 10000, 99999)}`, to: to.map((c) => c.email), cc: cc.map((c) => c.email), status: 'sent' };
  },
};

const sendMessage: WorldTool = {
  name: 'send_message',
  domain: 'messaging',
  description: 'Send a short chat or text message (SMS, WhatsApp, Slack) to a contact.',
  params: {
    recipient: { type: 'string', description: 'Contact name' },
    text: { type: 'string', description: 'Message text' },
    platform: { type: 'string', description: 'Where to send it', enum: ['sms', 'whatsapp', 'slack'], default: 'sms' },
  },
  required: ['recipient', 'text'],
  lookAlike: 'send_email',
  templates: [
    'Text {recipient} "{text}"[ on {platform}].',
    'Send a message to {recipient} saying "{text}"[ via {platform}].',
    'Message {recipient}[: "{text}"].',
    'Ping {recipient} on {platform} with the text "{text}".',
    'Drop {recipient} a quick chat note: "{text}"[ over {platform}].',
  ],
  slots: {
    recipient: { arg: 'recipient', source: names },
    text: { arg: 'text', source: pool(BODIES) },
    platform: { arg: 'platform', source: choice([{ value: 'whatsapp', texts: ['WhatsApp', 'whatsapp'] }, { value: 'slack', texts: ['Slack', 'slack'] }, { value: 'sms', texts: ['SMS', 'sms'] }]) },
  },
  parallelSlot: 'recipient',
  execute(args) {
    const c = contactFor(args['recipient']);
    const text = String(args['text'] ?? '');
    if (text.trim() === '') throw new ToolError('text is empty');
    return { message_id: `TX-${stableInt(`tx:${JSON.stringify(args)}`, 10000, 99999)}`, recipient: c.name, platform: args['platform'] ?? 'sms', delivered: true };
  },
};

const findContact: WorldTool = {
  name: 'find_contact',
  domain: 'messaging',
  description: "Look up a person's contact details in the address book: their e-mail address and phone number.",
  params: { name: { type: 'string', description: 'Name to look up' } },
  required: ['name'],
  templates: ["What's {name}'s email address?", 'Look up {name} in my contacts.', 'Find the phone number of {name}.', 'Get me the contact details for {name}.', 'Who is {name} in my address book?'],
  slots: { name: { arg: 'name', source: names } },
  parallelSlot: 'name',
  execute(args) {
    const c = contactFor(args['name']);
    return { name: c.name, email: c.email, phone: c.phone };
  },
};

const listUnread: WorldTool = {
  name: 'list_unread_emails',
  domain: 'messaging',
  description: 'List unread e-mails in a mailbox folder, newest first.',
  params: {
    folder: { type: 'string', description: 'Mailbox folder', enum: ['inbox', 'work', 'promotions'], default: 'inbox' },
    limit: { type: 'integer', description: 'Most e-mails to list', default: 10 },
  },
  required: [],
  templates: ['Do I have unread emails[ in {folder}]?', 'Show my unread mail[ in the {folder} folder][, at most {limit}].', 'List the unread messages in my mailbox[, {limit} max].', 'What new unread email came in[ to {folder}]?', 'Any unread mail waiting[ in {folder}]?'],
  slots: {
    folder: { arg: 'folder', source: choice([{ value: 'work', texts: ['work'] }, { value: 'promotions', texts: ['promotions'] }]) },
    limit: { arg: 'limit', source: integer(2, 8) },
  },
  execute(args) {
    const folder = String(args['folder'] ?? 'inbox');
    if (!['inbox', 'work', 'promotions'].includes(folder)) throw new ToolError(`Unknown folder: ${folder}`);
    const limit = Number(args['limit'] ?? 10);
    if (!Number.isInteger(limit) || limit < 1) throw new ToolError('limit must be a positive whole number');
    const n = Math.min(limit, stableInt(`unread:${folder}`, 2, 5));
    const emails = Array.from({ length: n }, (_, i) => ({
      message_id: MESSAGE_IDS[stableInt(`${folder}:${i}`, 0, MESSAGE_IDS.length - 1)]!,
      from: CONTACTS[stableInt(`from:${folder}:${i}`, 0, CONTACTS.length - 1)]!.email,
      subject: SUBJECTS[stableInt(`subj:${folder}:${i}`, 0, SUBJECTS.length - 1)]!,
    }));
    return { folder, unread: emails };
  },
};

const replyToEmail: WorldTool = {
  name: 'reply_to_email',
  domain: 'messaging',
  description: 'Reply to (answer) an e-mail by its message id, to the sender or to everyone on it.',
  params: {
    message_id: { type: 'string', description: 'Id of the e-mail, e.g. MSG-5113' },
    body: { type: 'string', description: 'Text of the reply' },
    reply_all: { type: 'boolean', description: 'Reply to all recipients', default: false },
  },
  required: ['message_id', 'body'],
  templates: [
    'Reply to {id} with "{body}"[{all}].',
    'Answer e-mail {id}: "{body}"[{all}].',
    'Send a reply to message {id}[ saying "{body}"].',
    'Respond to message {id} and say "{body}".',
    'Write back on {id}, reply text "{body}"[{all}].',
  ],
  slots: {
    id: { arg: 'message_id', source: pool(MESSAGE_IDS) },
    body: { arg: 'body', source: pool(BODIES) },
    all: { arg: 'reply_all', source: choice([{ value: true, texts: [' and reply to all', ', reply all'] }]) },
  },
  execute(args) {
    const id = String(args['message_id'] ?? '');
    if (!MESSAGE_IDS.includes(id)) throw new ToolError(`No e-mail with id "${id}"`);
    return { reply_id: `RE-${stableInt(`re:${JSON.stringify(args)}`, 10000, 99999)}`, in_reply_to: id, reply_all: args['reply_all'] === true, status: 'sent' };
  },
};

const markRead: WorldTool = {
  name: 'mark-as-read',
  domain: 'messaging',
  description: 'Mark e-mails as read by their message ids.',
  params: { message_ids: { type: 'array', description: 'Ids of the e-mails', items: { type: 'string', description: 'Message id' } } },
  required: ['message_ids'],
  templates: ['Mark {ids} as read.', 'Please mark e-mails {ids} read.', 'Set {ids} to read.', 'Flag messages {ids} as already read.', 'Clear the unread mark on {ids}, make them read.'],
  slots: { ids: { arg: 'message_ids', source: listOf(pool(MESSAGE_IDS), 1, 3) } },
  execute(args) {
    const ids = args['message_ids'];
    if (!Array.isArray(ids) || ids.length === 0) throw new ToolError('message_ids needs at least one id');
    for (const id of ids) if (!MESSAGE_IDS.includes(String(id))) throw new ToolError(`No e-mail with id "${String(id)}"`);
    return { marked: ids.length, status: 'read' };
  },
};

export const messagingDomain: WorldDomain = {
  name: 'messaging',
  tools: [sendEmail, sendMessage, findContact, listUnread, replyToEmail, markRead],
  chains: [
    {
      first: 'find_contact',
      then: 'send_email',
      templates: ['and email them with the subject "{subject}" saying "{body}".', 'then send them an e-mail, subject "{subject}", body "{body}".'],
      bind(result) {
        const email = (result as { email?: string }).email;
        return email ? { to: [email] } : undefined;
      },
    },
    {
      first: 'list_unread_emails',
      then: 'reply_to_email',
      templates: ['and reply to the newest one with "{body}".', 'then answer the first one: "{body}".'],
      bind(result) {
        const id = firstItem(result, 'unread', 'message_id');
        return id === undefined ? undefined : { message_id: id };
      },
    },
  ],
};
