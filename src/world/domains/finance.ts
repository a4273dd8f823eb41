/** Finance: bank accounts, transfers and bills, stock quotes and history, share orders and exchange rates. */
import type { ValueObject } from '../../core/value.ts';
import { stableInt } from '../pools.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, integer, money, pool } from '../values.ts';

const BALANCES: Readonly<Record<string, number>> = { checking: 4820.55, savings: 12950.0, brokerage: 8300.25, credit: -640.1 };
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'TSLA', 'META', 'NFLX', 'AMD', 'INTC', 'ORCL', 'IBM', 'SAP', 'ADBE', 'CRM', 'UBER'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'INR'];
const PAYEES = ['City Power', 'AquaWorks', 'FiberNet', 'Metro Gas', 'Sunrise Insurance', 'Greenfield Rentals', 'CellOne', 'Hilltop Dental'];

const fromAccount = choice([
  { value: 'checking', texts: ['checking', 'my checking account', 'checking account'] },
  { value: 'savings', texts: ['savings', 'my savings account', 'savings account'] },
]);
const toAccount = choice([
  { value: 'brokerage', texts: ['brokerage', 'my brokerage account'] },
  { value: 'credit', texts: ['credit card', 'my credit account'] },
]);
const anyAccount = choice([
  { value: 'checking', texts: ['checking', 'my checking account'] },
  { value: 'savings', texts: ['savings', 'my savings account'] },
  { value: 'brokerage', texts: ['brokerage', 'my brokerage account'] },
]);
const ticker = pool(TICKERS);

function account(args: ValueObject, key: string): string {
  const name = String(args[key] ?? '');
  if (!(name in BALANCES)) throw new ToolError(`Unknown account: ${name}`);
  return name;
}

function knownTicker(args: ValueObject): string {
  const t = String(args['ticker'] ?? '').toUpperCase();
  if (!TICKERS.includes(t)) throw new ToolError(`Unknown ticker symbol: ${String(args['ticker'])}`);
  return t;
}

function positiveAmount(args: ValueObject, key = 'amount'): number {
  const a = args[key];
  if (typeof a !== 'number' || !(a > 0)) throw new ToolError(`${key} must be a positive number`);
  return a;
}

const price = (t: string): number => stableInt(`px:${t}`, 2000, 90000) / 100;
const confirmation = (prefix: string, args: ValueObject): string => `${prefix}-${stableInt(`${prefix}:${JSON.stringify(args)}`, 100000, 999999)}`;

const getBalance: WorldTool = {
  name: 'get_account_balance',
  domain: 'finance',
  description: 'Current balance (how much money is in it) of one of my bank accounts: checking, savings or brokerage.',
  params: { account: { type: 'string', description: 'Which account', enum: ['checking', 'savings', 'brokerage', 'credit'] } },
  required: ['account'],
  templates: [
    "What's the balance of {account}?",
    'How much money is in {account}?',
    'Check the balance on {account}, please.',
    'Show me the balance[ of {account}].',
    'Tell me what {account} holds at the moment, balance-wise.',
  ],
  slots: { account: { arg: 'account', source: anyAccount } },
  parallelSlot: 'account',
  execute(args) {
    const a = account(args, 'account');
    return { account: a, balance: BALANCES[a]!, currency: 'USD' };
  },
};

const transferMoney: WorldTool = {
  name: 'transfer_money',
  domain: 'finance',
  description: 'Transfer (move) money between two of my own accounts.',
  params: {
    from_account: { type: 'string', description: 'Account to move money out of', enum: ['checking', 'savings', 'brokerage', 'credit'] },
    to_account: { type: 'string', description: 'Account to move money into', enum: ['checking', 'savings', 'brokerage', 'credit'] },
    amount: { type: 'number', description: 'Amount to transfer in USD' },
    memo: { type: 'string', description: 'Note on the transfer' },
  },
  required: ['from_account', 'to_account', 'amount'],
  lookAlike: 'pay_bill',
  templates: [
    'Transfer {amount} from {from} to {to}[ with the note "{memo}"].',
    'Move {amount} from {from} into {to}.',
    'Please transfer[ {amount}] from {from} to {to}.',
    'Can you move {amount} out of {from} and into {to}[, memo "{memo}"]?',
    'Shift {amount} over to {to} from {from}, a transfer between my accounts.',
  ],
  slots: {
    amount: { arg: 'amount', source: money(20, 900) },
    from: { arg: 'from_account', source: fromAccount },
    to: { arg: 'to_account', source: toAccount },
    memo: { arg: 'memo', source: pool(['rent share', 'vacation fund', 'monthly savings', 'emergency buffer', 'car repair', 'birthday gift']) },
  },
  execute(args) {
    const from = account(args, 'from_account');
    const to = account(args, 'to_account');
    if (from === to) throw new ToolError('cannot transfer to the same account');
    const amount = positiveAmount(args);
    if (BALANCES[from]! < amount) throw new ToolError(`Insufficient funds in ${from}`);
    return { transfer_id: confirmation('TRF', args), from_account: from, to_account: to, amount, status: 'completed' };
  },
};

const payBill: WorldTool = {
  name: 'pay_bill',
  domain: 'finance',
  description: 'Pay a bill to a payee (utility, insurance, rent) from an account, optionally scheduled for a due date.',
  params: {
    payee: { type: 'string', description: 'Who the bill is from' },
    amount: { type: 'number', description: 'Amount to pay in USD' },
    due_date: { type: 'string', description: 'Payment date as YYYY-MM-DD' },
    account: { type: 'string', description: 'Account to pay from', enum: ['checking', 'savings', 'brokerage', 'credit'], default: 'checking' },
  },
  required: ['payee', 'amount'],
  lookAlike: 'transfer_money',
  templates: [
    'Pay the {payee} bill of {amount}[ on {date}].',
    'Please pay {amount} to {payee}[ from {account}].',
    'I need to pay my {payee} bill[, {amount}][ by {date}].',
    'Schedule a bill payment of {amount} to {payee}[ for {date}].',
    'Settle what I owe {payee}: {amount}, a bill payment[ from {account}].',
  ],
  slots: {
    payee: { arg: 'payee', source: pool(PAYEES) },
    amount: { arg: 'amount', source: money(25, 400) },
    date: { arg: 'due_date', source: date() },
    account: { arg: 'account', source: fromAccount },
  },
  execute(args) {
    const payee = String(args['payee'] ?? '');
    if (!PAYEES.some((p) => p.toLowerCase() === payee.toLowerCase())) throw new ToolError(`Unknown payee: ${payee}`);
    const amount = positiveAmount(args);
    const from = account({ account: args['account'] ?? 'checking' }, 'account');
    if (BALANCES[from]! < amount) throw new ToolError(`Insufficient funds in ${from}`);
    return { payment_id: confirmation('PAY', args), payee, amount, account: from, scheduled_for: args['due_date'] ?? 'today', status: 'scheduled' };
  },
};

const stockQuote: WorldTool = {
  name: 'get_stock_quote',
  domain: 'finance',
  description: 'Latest stock quote (current share price and change today) for a ticker symbol.',
  params: { ticker: { type: 'string', description: 'Ticker symbol, e.g. AAPL' } },
  required: ['ticker'],
  lookAlike: 'GetStockHistory',
  templates: [
    "What's the current price of {ticker}?",
    'Get me a quote for {ticker}.',
    'How is {ticker} trading today?',
    'Latest share price for {ticker}, please.',
    'Quote {ticker} for me right now.',
  ],
  slots: { ticker: { arg: 'ticker', source: ticker } },
  parallelSlot: 'ticker',
  execute(args) {
    const t = knownTicker(args);
    return { ticker: t, price: price(t), change_pct: stableInt(`chg:${t}`, -450, 450) / 100, currency: 'USD' };
  },
};

const stockHistory: WorldTool = {
  name: 'GetStockHistory',
  domain: 'finance',
  description: 'Historical closing prices of a stock over the past days, daily or weekly.',
  params: {
    ticker: { type: 'string', description: 'Ticker symbol, e.g. AAPL' },
    days: { type: 'integer', description: 'How many past days', default: 30 },
    interval: { type: 'string', description: 'Spacing of the prices', enum: ['daily', 'weekly'], default: 'daily' },
  },
  required: ['ticker'],
  lookAlike: 'get_stock_quote',
  templates: [
    'Show the price history of {ticker}[ over the past {days}].',
    'How did {ticker} close over the last {days}[, {interval}]?',
    'Get historical prices for {ticker}[ for {days}][ on a {interval} basis].',
    'I want the past closing prices of {ticker}[, {interval}].',
    'Chart {ticker} historically[ across {days}].',
  ],
  slots: {
    ticker: { arg: 'ticker', source: ticker },
    days: { arg: 'days', source: integer(5, 90, 'days') },
    interval: { arg: 'interval', source: choice([{ value: 'weekly', texts: ['weekly'] }]) },
  },
  parallelSlot: 'ticker',
  execute(args) {
    const t = knownTicker(args);
    const days = Number(args['days'] ?? 30);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new ToolError('days must be between 1 and 365');
    const step = args['interval'] === 'weekly' ? 7 : 1;
    const closes = [];
    for (let d = days; d > 0 && closes.length < 12; d -= step) closes.push({ days_ago: d, close: Math.round(price(t) * (1 + stableInt(`h:${t}:${d}`, -80, 80) / 1000) * 100) / 100 });
    return { ticker: t, interval: step === 7 ? 'weekly' : 'daily', closes };
  },
};

const buyStock: WorldTool = {
  name: 'buy_stock',
  domain: 'finance',
  description: 'Place an order to buy shares of a stock, at market or with a limit price.',
  params: {
    ticker: { type: 'string', description: 'Ticker symbol, e.g. AAPL' },
    shares: { type: 'integer', description: 'Number of shares' },
    order_type: { type: 'string', description: 'Order type', enum: ['market', 'limit'], default: 'market' },
    limit_price: { type: 'number', description: 'Highest price per share for a limit order' },
  },
  required: ['ticker', 'shares'],
  templates: [
    'Buy {shares} of {ticker}.',
    'Place an order for {shares} of {ticker}[ as a {type} order].',
    'Purchase {shares} of {ticker}[ with a limit of {limit}].',
    'I want to buy[ {shares} of] {ticker}.',
    'Grab me {shares} of {ticker} in my portfolio.',
  ],
  slots: {
    shares: { arg: 'shares', source: integer(1, 50, 'shares') },
    ticker: { arg: 'ticker', source: ticker },
    type: { arg: 'order_type', source: choice([{ value: 'limit', texts: ['limit'] }, { value: 'market', texts: ['market'] }]) },
    limit: { arg: 'limit_price', source: money(20, 900) },
  },
  execute(args) {
    const t = knownTicker(args);
    const shares = Number(args['shares']);
    if (!Number.isInteger(shares) || shares < 1) throw new ToolError('shares must be a positive whole number');
    const type = args['order_type'] ?? (args['limit_price'] !== undefined ? 'limit' : 'market');
    return { order_id: confirmation('ORD', args), ticker: t, shares, order_type: type, estimated_cost: Math.round(price(t) * shares * 100) / 100, status: 'placed' };
  },
};

const exchangeRate: WorldTool = {
  name: 'getExchangeRate',
  domain: 'finance',
  description: 'Exchange rate between two currencies, and optionally what an amount converts to.',
  params: {
    base_currency: { type: 'string', description: 'Currency to convert from, e.g. USD' },
    target_currency: { type: 'string', description: 'Currency to convert to, e.g. EUR' },
    amount: { type: 'number', description: 'Amount of the base currency to convert' },
  },
  required: ['base_currency', 'target_currency'],
  templates: [
    "What's the exchange rate from {base} to {target}?",
    'How many {target} do I get for[ {amount}] {base}, currency-wise?',
    'Convert {amount} {base} to {target} at today\'s exchange rate.',
    'Exchange rate {base} to {target}, please.',
    'If I swap {base} for {target}, what rate applies[ to {amount}]?',
  ],
  slots: {
    base: { arg: 'base_currency', source: choice(CURRENCIES.slice(0, 5).map((c) => ({ value: c, texts: [c] }))) },
    target: { arg: 'target_currency', source: choice(CURRENCIES.slice(5).map((c) => ({ value: c, texts: [c] }))) },
    amount: { arg: 'amount', source: integer(50, 5000) },
  },
  execute(args) {
    const base = String(args['base_currency'] ?? '').toUpperCase();
    const target = String(args['target_currency'] ?? '').toUpperCase();
    for (const c of [base, target]) if (!CURRENCIES.includes(c)) throw new ToolError(`Unknown currency: ${c}`);
    const rate = base === target ? 1 : stableInt(`fx:${base}:${target}`, 50, 15000) / 1000;
    const out: ValueObject = { base_currency: base, target_currency: target, rate };
    if (typeof args['amount'] === 'number') out['converted'] = Math.round(args['amount'] * rate * 100) / 100;
    return out;
  },
};

export const financeDomain: WorldDomain = {
  name: 'finance',
  tools: [getBalance, transferMoney, payBill, stockQuote, stockHistory, buyStock, exchangeRate],
  chains: [
    {
      first: 'get_stock_quote',
      then: 'buy_stock',
      templates: ['and buy {shares} of it.', 'then place an order for {shares} at market.'],
      bind(result) {
        const t = (result as { ticker?: string }).ticker;
        return t ? { ticker: t } : undefined;
      },
    },
    {
      first: 'get_account_balance',
      then: 'transfer_money',
      templates: ['and move {amount} from it to {to}.', 'then transfer {amount} of it into {to}.'],
      bind(result) {
        const a = (result as { account?: string }).account;
        return a === 'checking' || a === 'savings' ? { from_account: a } : undefined;
      },
    },
  ],
};
