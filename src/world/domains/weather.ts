/** Weather: current conditions, forecasts, air quality, sun times, UV and alerts for the world's cities. */
import type { Value, ValueObject } from '../../core/value.ts';
import { CITIES, findName, stableInt } from '../pools.ts';
import { ToolError, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, date, integer, pool } from '../values.ts';

const city = pool(CITIES);
const units = choice([
  { value: 'celsius', texts: ['celsius', 'Celsius', 'degrees Celsius'] },
  { value: 'fahrenheit', texts: ['fahrenheit', 'Fahrenheit', 'degrees Fahrenheit'] },
]);

function knownCity(args: ValueObject): string {
  const name = findName(CITIES, String(args['city'] ?? ''));
  if (name === undefined) throw new ToolError(`Unknown city: ${String(args['city'])}`);
  return name;
}

function temperature(key: string, unit: Value): number {
  const c = stableInt(key, -5, 34);
  return unit === 'fahrenheit' ? Math.round((c * 9) / 5 + 32) : c;
}

const CONDITIONS = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'showers', 'windy', 'foggy', 'clear'];

const getWeather: WorldTool = {
  name: 'get_weather',
  domain: 'weather',
  description: 'Get the current weather conditions in a city right now: temperature, wind and humidity at the moment.',
  params: {
    city: { type: 'string', description: 'Name of the city, e.g. Paris' },
    units: { type: 'string', description: 'Temperature unit', enum: ['celsius', 'fahrenheit'], default: 'celsius' },
  },
  required: ['city'],
  lookAlike: 'get_forecast',
  templates: [
    "What's the weather in {city} right now[ in {units}]?",
    'How is the weather at the moment in {city}[, in {units}]?',
    'Tell me the current conditions in {city}[ in {units}].',
    'Is it windy in {city} right now?',
    'Current temperature in {city}[ in {units}], please.',
  ],
  slots: { city: { arg: 'city', source: city }, units: { arg: 'units', source: units } },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const unit = args['units'] ?? 'celsius';
    return {
      city: name,
      temperature: temperature(`now:${name}`, unit),
      units: unit,
      condition: CONDITIONS[stableInt(`cond:${name}`, 0, CONDITIONS.length - 1)]!,
      wind_kph: stableInt(`wind:${name}`, 0, 45),
      humidity: stableInt(`hum:${name}`, 20, 95),
    };
  },
};

const getForecast: WorldTool = {
  name: 'get_forecast',
  domain: 'weather',
  description: 'Get the weather forecast for the coming days in a city: daily highs, lows and the chance of rain.',
  params: {
    city: { type: 'string', description: 'Name of the city, e.g. Paris' },
    days: { type: 'integer', description: 'How many days ahead, 1 to 7', default: 3 },
    units: { type: 'string', description: 'Temperature unit', enum: ['celsius', 'fahrenheit'], default: 'celsius' },
  },
  required: ['city'],
  lookAlike: 'get_weather',
  templates: [
    "What's the forecast for {city}[ for the next {days}]?",
    'Will it rain in {city} in the coming days?',
    'Give me the forecast for {city}[ for {days}][ in {units}].',
    'Daily highs and lows for {city}[ over the next {days}][ in {units}], please.',
    'I need the {city} forecast[ for the coming {days}].',
  ],
  slots: {
    city: { arg: 'city', source: city },
    days: { arg: 'days', source: integer(1, 7, 'days') },
    units: { arg: 'units', source: units },
  },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const days = Number(args['days'] ?? 3);
    if (!Number.isInteger(days) || days < 1 || days > 7) throw new ToolError('days must be between 1 and 7');
    const unit = args['units'] ?? 'celsius';
    const out: Value[] = [];
    for (let d = 1; d <= days; d++) {
      const low = temperature(`low:${name}:${d}`, unit);
      out.push({ day: d, high: low + stableInt(`spread:${name}:${d}`, 3, 11), low, rain_chance: stableInt(`rain:${name}:${d}`, 0, 100) });
    }
    return { city: name, units: unit, days: out };
  },
};

const getAirQuality: WorldTool = {
  name: 'getAirQuality',
  domain: 'weather',
  description: 'Air quality index (AQI) and pollution level of a city, optionally with the pollutant breakdown.',
  params: {
    city: { type: 'string', description: 'Name of the city' },
    include_pollutants: { type: 'boolean', description: 'Also list pollutants (PM2.5, ozone, NO2)', default: false },
  },
  required: ['city'],
  templates: [
    'How bad is the air quality in {city}[{pollutants}]?',
    "What's the AQI in {city}[{pollutants}]?",
    'Check the pollution level in {city}[{pollutants}].',
    'Is the air quality in {city} safe today[{pollutants}]?',
  ],
  slots: {
    city: { arg: 'city', source: city },
    pollutants: { arg: 'include_pollutants', source: choice([{ value: true, texts: [' and list the pollutants', ', with pollutants', ' including the pollutant breakdown'] }]) },
  },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const aqi = stableInt(`aqi:${name}`, 12, 180);
    const level = aqi <= 50 ? 'good' : aqi <= 100 ? 'moderate' : aqi <= 150 ? 'unhealthy for sensitive groups' : 'unhealthy';
    const base: ValueObject = { city: name, aqi, level };
    if (args['include_pollutants'] === true) base['pollutants'] = { pm25: stableInt(`pm:${name}`, 3, 90), ozone: stableInt(`o3:${name}`, 10, 120), no2: stableInt(`no2:${name}`, 5, 80) };
    return base;
  },
};

const getSunTimes: WorldTool = {
  name: 'get_sunrise_sunset',
  domain: 'weather',
  description: 'Sunrise and sunset times for a city on a given date: when the sun will rise and set.',
  params: {
    city: { type: 'string', description: 'Name of the city' },
    date: { type: 'string', description: 'Date as YYYY-MM-DD' },
  },
  required: ['city', 'date'],
  templates: [
    'When is sunrise in {city}[ on {date}]?',
    'What time does the sun set in {city}[ on {date}]?',
    'Sunrise and sunset for {city}[ on {date}], please.',
    'I want to know when the sun rises in {city}[ on {date}].',
  ],
  slots: { city: { arg: 'city', source: city }, date: { arg: 'date', source: date() } },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const day = String(args['date'] ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new ToolError(`date must be YYYY-MM-DD, got "${day}"`);
    const rise = stableInt(`rise:${name}:${day}`, 300, 480);
    const set = stableInt(`set:${name}:${day}`, 1020, 1260);
    const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { city: name, date: day, sunrise: hhmm(rise), sunset: hhmm(set) };
  },
};

const uvIndex: WorldTool = {
  name: 'UVIndexLookup',
  domain: 'weather',
  description: 'Ultraviolet (UV) index and sunburn risk for a city.',
  params: { city: { type: 'string', description: 'Name of the city' } },
  required: ['city'],
  templates: ["What's the UV index in {city}?", 'How strong is the UV in {city} today?', 'Check the sunburn risk (UV) for {city}.', 'UV index for {city}, please.'],
  slots: { city: { arg: 'city', source: city } },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const uv = stableInt(`uv:${name}`, 0, 11);
    return { city: name, uv_index: uv, risk: uv < 3 ? 'low' : uv < 6 ? 'moderate' : uv < 8 ? 'high' : 'very high' };
  },
};

const weatherAlerts: WorldTool = {
  name: 'list-weather-alerts',
  domain: 'weather',
  description: 'List active severe weather alerts (storms, floods, heat warnings) for a city, filtered by minimum severity.',
  params: {
    city: { type: 'string', description: 'Name of the city' },
    min_severity: { type: 'string', description: 'Lowest alert severity to include', enum: ['minor', 'moderate', 'severe'], default: 'minor' },
  },
  required: ['city'],
  templates: [
    'Are there any weather alerts for {city}[ that are at least {severity}]?',
    'List the[ {severity} or worse] storm warnings in {city}.',
    'Any active weather alerts in {city}[, {severity} and above]?',
    'Show me the weather warnings for {city}[ of {severity} severity or higher].',
  ],
  slots: {
    city: { arg: 'city', source: city },
    severity: { arg: 'min_severity', source: choice([{ value: 'moderate', texts: ['moderate'] }, { value: 'severe', texts: ['severe'] }]) },
  },
  parallelSlot: 'city',
  execute(args) {
    const name = knownCity(args);
    const rank = { minor: 0, moderate: 1, severe: 2 } as const;
    const min = rank[(args['min_severity'] as keyof typeof rank) ?? 'minor'] ?? 0;
    const all = [
      { type: 'heat warning', severity: 'moderate' },
      { type: 'thunderstorm', severity: 'severe' },
      { type: 'fog advisory', severity: 'minor' },
    ].filter((_, i) => stableInt(`alert:${name}:${i}`, 0, 2) === 0);
    return { city: name, alerts: all.filter((a) => rank[a.severity as keyof typeof rank] >= min) };
  },
};

export const weatherDomain: WorldDomain = {
  name: 'weather',
  tools: [getWeather, getForecast, getAirQuality, getSunTimes, uvIndex, weatherAlerts],
};
