/** Travel: flights, trains and hotels between the world's cities, with bookings and local time. */
import type { Value, ValueObject } from '../../core/value.ts';
import { CITIES, findName, stableInt } from '../pools.ts';
import { firstItem, isoDate } from '../arguments.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, integer, listOf, money, pool } from '../values.ts';

// Origins and destinations come from different halves of the city list, so a trip never goes nowhere.
const origin = pool(CITIES.slice(0, 20));
const destination = pool(CITIES.slice(20));
const AIRLINES = ['SkyBridge', 'Northwind Air', 'Aurora Airlines', 'Meridian', 'BlueJet'];
const FLIGHT_CODES = Array.from({ length: 24 }, (_, i) => `${['SB', 'NW', 'AU', 'MD', 'BJ'][i % 5]}${100 + ((i * 137) % 900)}`);
const HOTEL_IDS = Array.from({ length: 24 }, (_, i) => `H-${2000 + i * 37}`);

function city(args: ValueObject, key: string): string {
  const name = findName(CITIES, String(args[key] ?? ''));
  if (name === undefined) throw new ToolError(`Unknown city: ${String(args[key])}`);
  return name;
}

function tripEnds(args: ValueObject): [string, string] {
  const from = city(args, 'origin');
  const to = city(args, 'destination');
  if (from === to) throw new ToolError('origin and destination are the same city');
  return [from, to];
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const searchFlights: WorldTool = {
  name: 'search_flights',
  domain: 'travel',
  description: 'Search airline flights (airfare) to fly between two cities on a date, cheapest first.',
  params: {
    origin: { type: 'string', description: 'Departure city' },
    destination: { type: 'string', description: 'Arrival city' },
    date: { type: 'string', description: 'Departure date as YYYY-MM-DD' },
    cabin: { type: 'string', description: 'Cabin class', enum: ['economy', 'premium', 'business'], default: 'economy' },
    max_stops: { type: 'integer', description: 'Most stops allowed', default: 2 },
  },
  required: ['origin', 'destination', 'date'],
  lookAlike: 'search_trains',
  templates: [
    'Find flights from {origin} to {destination} on {date}[ in {cabin} class].',
    'Are there any flights from {origin} to {destination}[ on {date}]?',
    'I need to fly from {origin} to {destination} on {date}[ with at most {stops}].',
    'Search {cabin} class flights from {origin} to {destination} on {date}.',
    'What does airfare from {origin} to {destination} cost on {date}[ flying {cabin}]?',
  ],
  slots: {
    origin: { arg: 'origin', source: origin },
    destination: { arg: 'destination', source: destination },
    date: { arg: 'date', source: date() },
    cabin: { arg: 'cabin', source: choice([{ value: 'premium', texts: ['premium'] }, { value: 'business', texts: ['business'] }, { value: 'economy', texts: ['economy'] }]) },
    stops: { arg: 'max_stops', source: integer(0, 1, 'stops') },
  },
  execute(args) {
    const [from, to] = tripEnds(args);
    const day = isoDate(args['date'], 'date');
    const cabin = String(args['cabin'] ?? 'economy');
    const factor = cabin === 'business' ? 3 : cabin === 'premium' ? 1.6 : 1;
    const flights = [0, 1, 2].map((i) => {
      const key = `${from}>${to}:${day}:${i}`;
      return {
        flight_id: FLIGHT_CODES[stableInt(key, 0, FLIGHT_CODES.length - 1)]!,
        airline: AIRLINES[stableInt(`al:${key}`, 0, AIRLINES.length - 1)]!,
        departs: hhmm(stableInt(`dep:${key}`, 360, 1320)),
        stops: stableInt(`st:${key}`, 0, 2),
        price: Math.round(stableInt(`pr:${key}`, 90, 900) * factor),
      };
    });
    const maxStops = Number(args['max_stops'] ?? 2);
    return { origin: from, destination: to, date: day, cabin, flights: flights.filter((f) => f.stops <= maxStops).sort((a, b) => a.price - b.price) };
  },
};

const searchTrains: WorldTool = {
  name: 'search_trains',
  domain: 'travel',
  description: 'Search train (rail) connections between two cities on a date, with seat class.',
  params: {
    origin: { type: 'string', description: 'Departure city' },
    destination: { type: 'string', description: 'Arrival city' },
    date: { type: 'string', description: 'Travel date as YYYY-MM-DD' },
    seat_class: { type: 'string', description: 'Seat class', enum: ['standard', 'first'], default: 'standard' },
  },
  required: ['origin', 'destination', 'date'],
  lookAlike: 'search_flights',
  templates: [
    'Find trains from {origin} to {destination} on {date}[ in {seat} class].',
    'Is there a train from {origin} to {destination}[ on {date}]?',
    'I want to go by rail from {origin} to {destination} on {date}.',
    'Search train connections {origin} to {destination} for {date}[, {seat} class].',
    'Which rail connections run between {origin} and {destination} on {date}?',
  ],
  slots: {
    origin: { arg: 'origin', source: origin },
    destination: { arg: 'destination', source: destination },
    date: { arg: 'date', source: date() },
    seat: { arg: 'seat_class', source: choice([{ value: 'first', texts: ['first'] }, { value: 'standard', texts: ['standard'] }]) },
  },
  execute(args) {
    const [from, to] = tripEnds(args);
    const day = isoDate(args['date'], 'date');
    const first = args['seat_class'] === 'first';
    const trains = [0, 1].map((i) => {
      const key = `rail:${from}>${to}:${day}:${i}`;
      const dep = stableInt(key, 300, 1200);
      return { train_id: `TR${stableInt(`id:${key}`, 100, 999)}`, departs: hhmm(dep), arrives: hhmm(dep + stableInt(`dur:${key}`, 90, 720)), price: stableInt(`pr:${key}`, 30, 250) * (first ? 2 : 1) };
    });
    return { origin: from, destination: to, date: day, seat_class: first ? 'first' : 'standard', trains };
  },
};

const bookFlight: WorldTool = {
  name: 'book_flight',
  domain: 'travel',
  description: 'Book (reserve) a seat on a flight by its flight number for one or more passengers.',
  params: {
    flight_id: { type: 'string', description: 'Flight number, e.g. SB318' },
    passengers: { type: 'integer', description: 'Number of passengers', default: 1 },
    seat_preference: { type: 'string', description: 'Preferred seat', enum: ['window', 'aisle', 'middle'] },
  },
  required: ['flight_id'],
  templates: [
    'Book flight {flight}[ for {passengers}].',
    'Please reserve seats on flight {flight}[ for {passengers}][ with a {seat} seat].',
    'Get me on flight {flight}[, {seat} seat please].',
    'I want to book[ flight {flight}][ for {passengers}].',
    'Could you make a flight booking on {flight}[ for {passengers}]?',
  ],
  slots: {
    flight: { arg: 'flight_id', source: pool(FLIGHT_CODES) },
    passengers: { arg: 'passengers', source: integer(2, 5, 'passengers') },
    seat: { arg: 'seat_preference', source: choice([{ value: 'window', texts: ['window'] }, { value: 'aisle', texts: ['aisle'] }]) },
  },
  execute(args) {
    const id = String(args['flight_id'] ?? '');
    if (!/^[A-Z]{2}\d{3,4}$/.test(id)) throw new ToolError(`No flight with number "${id}"`);
    const passengers = Number(args['passengers'] ?? 1);
    if (!Number.isInteger(passengers) || passengers < 1 || passengers > 9) throw new ToolError('passengers must be between 1 and 9');
    return { booking_id: `BK-${stableInt(`bk:${id}:${passengers}`, 10000, 99999)}`, flight_id: id, passengers, status: 'confirmed', seat_preference: args['seat_preference'] ?? null };
  },
};

const amenities = listOf(
  choice(['pool', 'wifi', 'gym', 'parking', 'breakfast'].map((a) => ({ value: a, texts: [a] }))),
  1,
  2,
);

const searchHotels: WorldTool = {
  name: 'search_hotels',
  domain: 'travel',
  description: 'Search hotels with free rooms in a city for a check-in date and number of nights, optionally under a nightly price and with amenities.',
  params: {
    city: { type: 'string', description: 'City to stay in' },
    check_in: { type: 'string', description: 'Check-in date as YYYY-MM-DD' },
    nights: { type: 'integer', description: 'Number of nights' },
    max_price: { type: 'number', description: 'Highest price per night' },
    amenities: { type: 'array', description: 'Amenities the hotel must have', items: { type: 'string', description: 'An amenity', enum: ['pool', 'wifi', 'gym', 'parking', 'breakfast'] } },
  },
  required: ['city', 'check_in', 'nights'],
  lookAlike: 'book_hotel',
  templates: [
    'Search hotels in {city} from {date} for {nights}[ under {price} a night].',
    'Are there free hotel rooms in {city} on {date} for {nights}[ with {amenities}]?',
    'Search for a hotel in {city}, checking in {date}, {nights}[, with {amenities}].',
    'Look for free hotel rooms in {city}[ from {date}] for {nights}.',
    'Which hotels have rooms in {city} for {nights} starting {date}[, max {price} per night]?',
  ],
  slots: {
    city: { arg: 'city', source: pool(CITIES) },
    date: { arg: 'check_in', source: date() },
    nights: { arg: 'nights', source: integer(1, 10, 'nights') },
    price: { arg: 'max_price', source: money(90, 400) },
    amenities: { arg: 'amenities', source: amenities },
  },
  parallelSlot: 'city',
  execute(args) {
    const where = city(args, 'city');
    const day = isoDate(args['check_in'], 'check_in');
    const nights = Number(args['nights']);
    if (!Number.isInteger(nights) || nights < 1 || nights > 30) throw new ToolError('nights must be between 1 and 30');
    const max = typeof args['max_price'] === 'number' ? args['max_price'] : Infinity;
    const wanted = Array.isArray(args['amenities']) ? (args['amenities'] as Value[]).map(String) : [];
    const all = ['pool', 'wifi', 'gym', 'parking', 'breakfast'];
    const hotels = [0, 1, 2, 3].map((i) => {
      const key = `hotel:${where}:${i}`;
      return {
        hotel_id: HOTEL_IDS[stableInt(key, 0, HOTEL_IDS.length - 1)]!,
        name: `${['Grand', 'Harbor', 'Garden', 'Central'][i]} ${where}`,
        price_per_night: Math.min(stableInt(`p:${key}:${day}`, 60, 380), Number.isFinite(max) ? Math.floor(max) : 1000),
        amenities: [...wanted, ...all.filter((a) => !wanted.includes(a) && stableInt(`${a}:${key}`, 0, 1) === 1)],
      };
    });
    return { city: where, check_in: day, nights, hotels: hotels.sort((a, b) => a.price_per_night - b.price_per_night) };
  },
};

const bookHotel: WorldTool = {
  name: 'book_hotel',
  domain: 'travel',
  description: 'Reserve (book) a room at a hotel by its id for a check-in date, nights and guests.',
  params: {
    hotel_id: { type: 'string', description: 'Hotel id, e.g. H-2037' },
    check_in: { type: 'string', description: 'Check-in date as YYYY-MM-DD' },
    nights: { type: 'integer', description: 'Number of nights' },
    guests: {
      type: 'object',
      description: 'Who is staying',
      properties: { adults: { type: 'integer', description: 'Adults' }, children: { type: 'integer', description: 'Children' } },
      required: ['adults'],
    },
  },
  required: ['hotel_id', 'check_in', 'nights'],
  lookAlike: 'search_hotels',
  templates: [
    'Reserve hotel {hotel} from {date} for {nights}[ for {adults}].',
    'Book a room at {hotel}, checking in {date}, {nights}[, {adults} and {children}].',
    'Please book {hotel}[ on {date}] for {nights}.',
    'Make a reservation at hotel {hotel} for {nights} from {date}.',
    'I would like to reserve {hotel} starting {date}, {nights}[ for {adults}].',
  ],
  slots: {
    hotel: { arg: 'hotel_id', source: pool(HOTEL_IDS) },
    date: { arg: 'check_in', source: date() },
    nights: { arg: 'nights', source: integer(1, 10, 'nights') },
    adults: { arg: 'guests.adults', source: integer(1, 4, 'adults') },
    children: { arg: 'guests.children', source: integer(1, 3, 'children') },
  },
  execute(args) {
    const id = String(args['hotel_id'] ?? '');
    if (!HOTEL_IDS.includes(id)) throw new ToolError(`No hotel with id "${id}"`);
    const day = isoDate(args['check_in'], 'check_in');
    const nights = Number(args['nights']);
    if (!Number.isInteger(nights) || nights < 1) throw new ToolError('nights must be a positive whole number');
    return { reservation_id: `RS-${stableInt(`rs:${id}:${day}:${nights}`, 10000, 99999)}`, hotel_id: id, check_in: day, nights, guests: args['guests'] ?? { adults: 1 }, status: 'confirmed' };
  },
};

const localTime: WorldTool = {
  name: 'getLocalTime',
  domain: 'travel',
  description: 'Current local time and time zone offset (UTC) in a city.',
  params: {
    city: { type: 'string', description: 'Name of the city' },
    format_24h: { type: 'boolean', description: 'Use the 24-hour clock', default: true },
  },
  required: ['city'],
  templates: [
    'What time is it in {city}[{clock}]?',
    'Tell me the local time in {city}[{clock}].',
    'Which time zone is {city} in?',
    'Local time in {city}[{clock}], please.',
    'How late is it over in {city} right now, clock-wise?',
  ],
  slots: {
    city: { arg: 'city', source: pool(CITIES) },
    clock: { arg: 'format_24h', source: choice([{ value: false, texts: [' in 12-hour format', ', formatted as am/pm rather than 24h'] }]) },
  },
  parallelSlot: 'city',
  execute(args) {
    const where = city(args, 'city');
    const offset = stableInt(`tz:${where}`, -8, 10);
    const minutes = stableInt(`now:${where}`, 0, 1439);
    const h = Math.floor(minutes / 60);
    const twelve = `${h % 12 === 0 ? 12 : h % 12}:${String(minutes % 60).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}`;
    return { city: where, utc_offset: offset, local_time: args['format_24h'] === false ? twelve : hhmm(minutes) };
  },
};

export const travelDomain: WorldDomain = {
  name: 'travel',
  tools: [searchFlights, searchTrains, bookFlight, searchHotels, bookHotel, localTime],
  chains: [
    {
      first: 'search_flights',
      then: 'book_flight',
      templates: ['and book the cheapest one.', 'then book the cheapest flight for {passengers}.', 'and reserve the cheapest option with a {seat} seat.'],
      bind(result) {
        const id = firstItem(result, 'flights', 'flight_id');
        return id === undefined ? undefined : { flight_id: id };
      },
    },
    {
      first: 'search_hotels',
      then: 'book_hotel',
      templates: ['and book the cheapest one.', 'then reserve the cheapest hotel for {adults}.'],
      bind(result, firstArgs) {
        const id = firstItem(result, 'hotels', 'hotel_id');
        return id === undefined ? undefined : { hotel_id: id, check_in: firstArgs['check_in']!, nights: firstArgs['nights']! };
      },
    },
  ],
};
