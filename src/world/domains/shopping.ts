/** Shopping: a product catalog, cart and checkout, orders, tracking and coupons. */
import type { ValueObject } from '../../core/value.ts';
import { CITIES, stableInt } from '../pools.ts';
import { firstItem } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, integer, money, pool } from '../values.ts';

interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
  stock: number;
}

const NAMES: [string, string][] = [
  ['wireless earbuds', 'electronics'], ['phone charger', 'electronics'], ['laptop stand', 'electronics'], ['smart watch', 'electronics'], ['bluetooth speaker', 'electronics'],
  ['running shoes', 'sports'], ['yoga mat', 'sports'], ['water bottle', 'sports'], ['tennis racket', 'sports'], ['bike helmet', 'sports'],
  ['coffee grinder', 'kitchen'], ['chef knife', 'kitchen'], ['cast iron pan', 'kitchen'], ['tea kettle', 'kitchen'], ['salad bowl', 'kitchen'],
  ['desk lamp', 'home'], ['wool blanket', 'home'], ['scented candle', 'home'], ['picture frame', 'home'], ['throw pillow', 'home'],
];
const PRODUCTS: readonly Product[] = NAMES.map(([name, category], i) => ({ id: `P-${1001 + i * 3}`, name, category, price: stableInt(`price:${name}`, 900, 18000) / 100, stock: stableInt(`stock:${name}`, 3, 60) }));
const ORDER_IDS = Array.from({ length: 16 }, (_, i) => `ORD-${58200 + i * 17}`);
const COUPONS = ['SAVE10', 'SPRING25', 'WELCOME5', 'FREESHIP', 'VIP20', 'BUNDLE15'];
const STREETS = ['12 Oak Street', '7 Harbor Road', '221 Pine Avenue', '48 Mill Lane', '9 Station Square', '310 Elm Court'];

function product(args: ValueObject): Product {
  const id = String(args['product_id'] ?? '');
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) throw new ToolError(`No product with id "${id}"`);
  return p;
}

function quantity(args: ValueObject, p: Product): number {
  const q = Number(args['quantity'] ?? 1);
  if (!Number.isInteger(q) || q < 1) throw new ToolError('quantity must be a positive whole number');
  if (q > p.stock) throw new ToolError(`Only ${p.stock} of ${p.name} in stock`);
  return q;
}

function order(args: ValueObject): string {
  const id = String(args['order_id'] ?? '');
  if (!ORDER_IDS.includes(id)) throw new ToolError(`No order with id "${id}"`);
  return id;
}

const productId = pool(PRODUCTS.map((p) => p.id));
const query = pool(PRODUCTS.map((p) => p.name));

const searchProducts: WorldTool = {
  name: 'search_products',
  domain: 'shopping',
  description: 'Search the shop catalog for products matching a query, optionally under a max price and sorted by price or rating.',
  params: {
    query: { type: 'string', description: 'What to search for' },
    max_price: { type: 'number', description: 'Highest price in USD' },
    sort_by: { type: 'string', description: 'Sort order', enum: ['relevance', 'price', 'rating'], default: 'relevance' },
  },
  required: ['query'],
  lookAlike: 'get_product_details',
  templates: [
    'Search the shop for {query}[ under {price}].',
    'Find me {query} in the shop[ sorted by {sort}].',
    'Does the shop sell {query}[ for less than {price}]?',
    'Look for {query} in the catalog[, sorted by {sort}].',
    'Browse products matching {query}[ below {price}].',
  ],
  slots: {
    query: { arg: 'query', source: query },
    price: { arg: 'max_price', source: money(20, 200) },
    sort: { arg: 'sort_by', source: choice([{ value: 'price', texts: ['price'] }, { value: 'rating', texts: ['rating'] }]) },
  },
  parallelSlot: 'query',
  execute(args) {
    const q = String(args['query'] ?? '').toLowerCase().trim();
    if (q === '') throw new ToolError('query is empty');
    const max = typeof args['max_price'] === 'number' ? args['max_price'] : Infinity;
    const words = q.split(/\s+/);
    const found = PRODUCTS.filter((p) => p.price <= max && words.some((w) => p.name.includes(w) || p.category === w)).map((p) => ({ product_id: p.id, name: p.name, price: p.price, rating: stableInt(`rating:${p.id}`, 30, 50) / 10 }));
    const sort = String(args['sort_by'] ?? 'relevance');
    if (sort === 'price') found.sort((a, b) => a.price - b.price);
    if (sort === 'rating') found.sort((a, b) => b.rating - a.rating);
    return { query: q, results: found };
  },
};

const productDetails: WorldTool = {
  name: 'get_product_details',
  domain: 'shopping',
  description: 'Full details of one product by its id: description, price, stock and reviews.',
  params: { product_id: { type: 'string', description: 'Product id, e.g. P-1004' } },
  required: ['product_id'],
  lookAlike: 'search_products',
  templates: ['Tell me more about product {id}, full details.', 'Show the details of {id}.', 'Is {id} in stock, and what are its details?', 'Give me the full description of item {id}.', 'What do reviews say about {id}? Details please.'],
  slots: { id: { arg: 'product_id', source: productId } },
  parallelSlot: 'id',
  execute(args) {
    const p = product(args);
    return { product_id: p.id, name: p.name, category: p.category, price: p.price, in_stock: p.stock, reviews: stableInt(`rev:${p.id}`, 3, 400), rating: stableInt(`rating:${p.id}`, 30, 50) / 10 };
  },
};

const addToCart: WorldTool = {
  name: 'add_to_cart',
  domain: 'shopping',
  description: 'Put a product into the shopping cart (basket) for later checkout.',
  params: {
    product_id: { type: 'string', description: 'Product id, e.g. P-1004' },
    quantity: { type: 'integer', description: 'How many', default: 1 },
  },
  required: ['product_id'],
  lookAlike: 'buy_now',
  templates: ['Add {id} to my cart[, {qty}].', 'Put[ {qty} of] {id} in my basket.', 'Please add[ {qty} of] product {id} to the cart.', 'Cart {id} for me[, quantity {qty}].', 'Drop {id} into the shopping basket[, {qty} pieces].'],
  slots: { id: { arg: 'product_id', source: productId }, qty: { arg: 'quantity', source: integer(2, 3) } },
  parallelSlot: 'id',
  execute(args) {
    const p = product(args);
    const q = quantity(args, p);
    return { cart_items: q, product_id: p.id, subtotal: Math.round(p.price * q * 100) / 100 };
  },
};

const buyNow: WorldTool = {
  name: 'buy_now',
  domain: 'shopping',
  description: 'Buy a product immediately: order and pay at once, with shipping speed and address.',
  params: {
    product_id: { type: 'string', description: 'Product id, e.g. P-1004' },
    quantity: { type: 'integer', description: 'How many', default: 1 },
    shipping: { type: 'string', description: 'Shipping speed', enum: ['standard', 'express'], default: 'standard' },
    address: {
      type: 'object',
      description: 'Where to ship',
      properties: { street: { type: 'string', description: 'Street and number' }, city: { type: 'string', description: 'City' } },
      required: ['street', 'city'],
    },
  },
  required: ['product_id'],
  lookAlike: 'add_to_cart',
  templates: [
    'Buy {id} now[ with {shipping} shipping].',
    'Order {id} right away[, {qty} of them][, shipped to {street}, {city}].',
    'Purchase product {id} immediately[ and ship it {shipping}].',
    'I want to buy {id} and pay now[, sending it to {street}, {city}].',
    'Check out {id} straight away as an instant order[, {shipping} delivery].',
  ],
  slots: {
    id: { arg: 'product_id', source: productId },
    qty: { arg: 'quantity', source: integer(2, 3) },
    shipping: { arg: 'shipping', source: choice([{ value: 'express', texts: ['express'] }, { value: 'standard', texts: ['standard'] }]) },
    street: { arg: 'address.street', source: pool(STREETS) },
    city: { arg: 'address.city', source: pool(CITIES) },
  },
  execute(args) {
    const p = product(args);
    const q = quantity(args, p);
    const express = args['shipping'] === 'express';
    return { order_id: `ORD-${stableInt(`buy:${JSON.stringify(args)}`, 60000, 99999)}`, product_id: p.id, quantity: q, total: Math.round((p.price * q + (express ? 14.99 : 4.99)) * 100) / 100, arrives_in_days: express ? 1 : 5 };
  },
};

const trackOrder: WorldTool = {
  name: 'track_order',
  domain: 'shopping',
  description: 'Track an order: shipping status, carrier and expected delivery date.',
  params: { order_id: { type: 'string', description: 'Order id, e.g. ORD-58217' } },
  required: ['order_id'],
  templates: ['Where is my order {order}?', 'Track order {order}.', "What's the shipping status of {order}?", 'When will {order} be delivered?', 'Any delivery news on {order}? Tracking please.'],
  slots: { order: { arg: 'order_id', source: pool(ORDER_IDS) } },
  parallelSlot: 'order',
  execute(args) {
    const id = order(args);
    const statuses = ['processing', 'shipped', 'out for delivery', 'delivered'];
    return { order_id: id, status: statuses[stableInt(`st:${id}`, 0, 3)]!, carrier: ['DHL', 'UPS', 'FedEx'][stableInt(`car:${id}`, 0, 2)]!, expected_delivery: `2026-${String(stableInt(`m:${id}`, 1, 12)).padStart(2, '0')}-${String(stableInt(`d:${id}`, 1, 28)).padStart(2, '0')}` };
  },
};

const cancelOrder: WorldTool = {
  name: 'cancelOrder',
  domain: 'shopping',
  description: 'Cancel an order that has not shipped yet, with an optional reason.',
  params: {
    order_id: { type: 'string', description: 'Order id, e.g. ORD-58217' },
    reason: { type: 'string', description: 'Why it is cancelled' },
  },
  required: ['order_id'],
  templates: ['Cancel order {order}[ because {reason}].', 'Please cancel {order}.', 'I want to cancel my order[ {order}][, {reason}].', 'Stop order {order} from going out, cancel it.', 'Call off purchase {order}; cancel it[ since {reason}].'],
  slots: {
    order: { arg: 'order_id', source: pool(ORDER_IDS) },
    reason: { arg: 'reason', source: pool(['I found it cheaper', 'I ordered the wrong size', 'it takes too long', 'I no longer need it']) },
  },
  execute(args) {
    const id = order(args);
    return { order_id: id, status: 'cancelled', refund_days: stableInt(`ref:${id}`, 3, 10) };
  },
};

const applyCoupon: WorldTool = {
  name: 'apply_coupon',
  domain: 'shopping',
  description: 'Apply a discount coupon code to the cart.',
  params: { code: { type: 'string', description: 'Coupon code' } },
  required: ['code'],
  templates: ['Apply coupon {code}.', 'Use the discount code {code} on my cart.', 'I have a coupon: {code}.', 'Add promo code {code}, it is a discount coupon.', 'Redeem {code} as a coupon please.'],
  slots: { code: { arg: 'code', source: pool(COUPONS) } },
  execute(args) {
    const code = String(args['code'] ?? '').toUpperCase();
    if (!COUPONS.includes(code)) throw new ToolError(`Coupon ${code} is not valid`);
    return { code, discount_percent: Number(code.replace(/\D/g, '') || 0), applied: true };
  },
};

export const shoppingDomain: WorldDomain = {
  name: 'shopping',
  tools: [searchProducts, productDetails, addToCart, buyNow, trackOrder, cancelOrder, applyCoupon],
  chains: [
    {
      first: 'search_products',
      then: 'add_to_cart',
      templates: ['and add the first result to my cart.', 'then put {qty} of the first one in my basket.'],
      bind(result) {
        const id = firstItem(result, 'results', 'product_id');
        return id === undefined ? undefined : { product_id: id };
      },
    },
    {
      first: 'search_products',
      then: 'buy_now',
      templates: ['and buy the first one right away.', 'then order the top result now with {shipping} shipping.'],
      bind(result) {
        const id = firstItem(result, 'results', 'product_id');
        return id === undefined ? undefined : { product_id: id };
      },
    },
  ],
};
