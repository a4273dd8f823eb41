/** Music: a song library to search and play, playlists, lyrics and volume. */
import type { ValueObject } from '../../core/value.ts';
import { stableInt } from '../pools.ts';
import { firstItem } from '../arguments.ts';
import { ToolError, type FillContext, type Filled, type WorldDomain, type WorldTool } from '../types.ts';
import { choice, integer, listOf, partition, pool } from '../values.ts';

interface Song {
  id: string;
  title: string;
  artist: string;
  genre: string;
  seconds: number;
}

const LIBRARY: readonly Song[] = (
  [
    ['Golden Hour', 'Mira Vale', 'pop'], ['Paper Boats', 'The Lanterns', 'indie'], ['Night Train', 'Oskar Brandt', 'jazz'], ['Salt and Sea', 'Mira Vale', 'pop'],
    ['Static Hearts', 'Neon Harbor', 'rock'], ['Blue Orchard', 'June Ferro', 'folk'], ['Midnight Run', 'Neon Harbor', 'rock'], ['Quiet Rooms', 'The Lanterns', 'indie'],
    ['Copper Sky', 'June Ferro', 'folk'], ['Slow Dance', 'Oskar Brandt', 'jazz'], ['Wildfire', 'Kato Reyes', 'rock'], ['Ferris Wheel', 'Lumen Park', 'pop'],
    ['Northern Lights', 'Lumen Park', 'electronic'], ['Tidal', 'Aria Sol', 'electronic'], ['Old Photographs', 'Kato Reyes', 'folk'], ['Velvet Rain', 'Aria Sol', 'jazz'],
    ['Summer Static', 'Neon Harbor', 'rock'], ['Harbor Song', 'The Lanterns', 'indie'], ['Glass City', 'Aria Sol', 'electronic'], ['Long Way Home', 'June Ferro', 'folk'],
  ] as const
).map(([title, artist, genre], i) => ({ id: `S-${700 + i * 11}`, title, artist, genre, seconds: stableInt(`len:${title}`, 150, 330) }));

const PLAYLISTS = ['Road Trip', 'Focus', 'Workout Mix', 'Chill Evening', 'Sunday Morning', 'Party Starters'];
const GENRES = ['pop', 'indie', 'jazz', 'rock', 'folk', 'electronic'];
const titles = pool(LIBRARY.map((s) => s.title));
const artists = pool([...new Set(LIBRARY.map((s) => s.artist))]);
const titleByArtist = ({ rng, split, allValues }: FillContext): Filled => {
  const s = rng.pick(partition(LIBRARY, split, allValues));
  return { value: s.title, text: `${s.title} by ${s.artist}`, also: { artist: s.artist } };
};

function song(title: unknown, artist?: unknown): Song {
  const t = String(title ?? '').toLowerCase();
  const s = LIBRARY.find((x) => x.title.toLowerCase() === t && (artist === undefined || x.artist.toLowerCase() === String(artist).toLowerCase()));
  if (!s) throw new ToolError(`No song "${String(title)}"${artist === undefined ? '' : ` by ${String(artist)}`}`);
  return s;
}

function playlist(args: ValueObject): string {
  const p = PLAYLISTS.find((x) => x.toLowerCase() === String(args['playlist'] ?? '').toLowerCase());
  if (!p) throw new ToolError(`No playlist named "${String(args['playlist'])}"`);
  return p;
}

const playSong: WorldTool = {
  name: 'play_song',
  domain: 'music',
  description: 'Play a song now (start playback) by title, optionally by a given artist.',
  params: {
    title: { type: 'string', description: 'Song title' },
    artist: { type: 'string', description: 'Artist name' },
  },
  required: ['title'],
  lookAlike: 'add_to_playlist',
  templates: ['Play {title}.', 'Put on {song}, play it now.', 'Can you play "{title}"?', 'Start playing {song}.', 'I want to hear {song} right now, play it.'],
  slots: { title: { arg: 'title', source: titles }, song: { arg: 'title', source: titleByArtist } },
  execute(args) {
    const s = args['artist'] === undefined ? song(args['title']) : song(args['title'], args['artist']);
    return { now_playing: s.title, artist: s.artist, duration_seconds: s.seconds };
  },
};

const addToPlaylist: WorldTool = {
  name: 'add_to_playlist',
  domain: 'music',
  description: 'Add a song to one of my playlists (save it in the list for later).',
  params: {
    playlist: { type: 'string', description: 'Name of the playlist' },
    song_title: { type: 'string', description: 'Song title' },
  },
  required: ['playlist', 'song_title'],
  lookAlike: 'play_song',
  templates: ['Add {title} to my {playlist} playlist.', 'Put {title} on the playlist {playlist}.', 'Save {title} to {playlist}, the playlist.', 'Add {title} to a playlist[ called {playlist}].', 'Include {title} in my {playlist} list for later.'],
  slots: { title: { arg: 'song_title', source: titles }, playlist: { arg: 'playlist', source: pool(PLAYLISTS) } },
  parallelSlot: 'title',
  execute(args) {
    const p = playlist(args);
    const s = song(args['song_title']);
    return { playlist: p, added: s.title, song_id: s.id, tracks: stableInt(`tracks:${p}`, 8, 40) + 1 };
  },
};

const searchSongs: WorldTool = {
  name: 'search_songs',
  domain: 'music',
  description: 'Search the music library for songs by an artist, optionally in a genre, up to a limit.',
  params: {
    artist: { type: 'string', description: 'Artist to search for' },
    genre: { type: 'string', description: 'Genre', enum: GENRES },
    limit: { type: 'integer', description: 'Most songs to return', default: 5 },
  },
  required: ['artist'],
  templates: ['Search for songs by {artist}[ in {genre}].', 'What songs by {artist} are in the library?', 'Find music by {artist}[, at most {limit}].', 'Look up {artist} songs[ in the {genre} genre].', 'Which tracks of {artist} do I have in my music library?'],
  slots: {
    artist: { arg: 'artist', source: artists },
    genre: { arg: 'genre', source: choice(GENRES.map((g) => ({ value: g, texts: [g] }))) },
    limit: { arg: 'limit', source: integer(2, 4) },
  },
  parallelSlot: 'artist',
  execute(args) {
    const artist = String(args['artist'] ?? '').toLowerCase();
    const genre = args['genre'] === undefined ? undefined : String(args['genre']);
    if (genre !== undefined && !GENRES.includes(genre)) throw new ToolError(`Unknown genre: ${genre}`);
    const limit = Number(args['limit'] ?? 5);
    const songs = LIBRARY.filter((s) => s.artist.toLowerCase() === artist && (genre === undefined || s.genre === genre))
      .slice(0, limit)
      .map((s) => ({ song_id: s.id, title: s.title, artist: s.artist, genre: s.genre }));
    return { artist: args['artist'] ?? '', songs };
  },
};

const getLyrics: WorldTool = {
  name: 'get_lyrics',
  domain: 'music',
  description: 'Get the lyrics (the words) of a song.',
  params: { title: { type: 'string', description: 'Song title' } },
  required: ['title'],
  templates: ['Show me the lyrics of {title}.', 'What are the words to {title}?', 'Get the lyrics for "{title}".', 'I need the lyrics[ of {title}].', 'How do the lyrics of {title} go?'],
  slots: { title: { arg: 'title', source: titles } },
  parallelSlot: 'title',
  execute(args) {
    const s = song(args['title']);
    return { title: s.title, artist: s.artist, lyrics: `${s.title}, ${s.title.toLowerCase()}... (${stableInt(`verses:${s.id}`, 2, 5)} verses)` };
  },
};

const setVolume: WorldTool = {
  name: 'setVolume',
  domain: 'music',
  description: 'Set the playback volume to a level from 0 to 100.',
  params: { level: { type: 'integer', description: 'Volume level from 0 to 100' } },
  required: ['level'],
  templates: ['Set the volume to {level}.', 'Turn the volume to {level} percent.', 'Change volume level to {level}.', 'Make the volume {level}, please.', 'Volume {level}.'],
  slots: { level: { arg: 'level', source: integer(0, 100) } },
  execute(args) {
    const level = args['level'];
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 100) throw new ToolError('level must be a whole number from 0 to 100');
    return { volume: level };
  },
};

const createPlaylist: WorldTool = {
  name: 'create-playlist',
  domain: 'music',
  description: 'Create a new playlist with a name and a list of song titles, public or private.',
  params: {
    name: { type: 'string', description: 'Name of the new playlist' },
    songs: { type: 'array', description: 'Song titles to start with', items: { type: 'string', description: 'Song title' } },
    public: { type: 'boolean', description: 'Whether others can see it', default: false },
  },
  required: ['name', 'songs'],
  templates: ['Create a playlist called "{name}" with {songs}[{public}].', 'Make a new playlist "{name}" containing {songs}.', 'Start a playlist named "{name}"[ with {songs}].', 'New playlist "{name}": {songs}[{public}].', 'Build me a fresh playlist, "{name}", out of {songs}.'],
  slots: {
    name: { arg: 'name', source: pool(['Late Night Drive', 'Rainy Day', 'Coffee Shop', 'Gym Power', 'Study Session', 'Beach House']) },
    songs: { arg: 'songs', source: listOf(titles, 2, 3) },
    public: { arg: 'public', source: choice([{ value: true, texts: [' and make it public', ', public'] }]) },
  },
  execute(args) {
    const songs = args['songs'];
    if (!Array.isArray(songs) || songs.length === 0) throw new ToolError('songs needs at least one title');
    const found = songs.map((t) => song(t));
    return { playlist_id: `PL-${stableInt(`pl:${JSON.stringify(args)}`, 1000, 9999)}`, name: args['name'] ?? '', tracks: found.length, public: args['public'] === true };
  },
};

export const musicDomain: WorldDomain = {
  name: 'music',
  tools: [playSong, addToPlaylist, searchSongs, getLyrics, setVolume, createPlaylist],
  chains: [
    {
      first: 'search_songs',
      then: 'play_song',
      templates: ['and play the first one.', 'then start playing the first song you find.'],
      bind(result) {
        const title = firstItem(result, 'songs', 'title');
        return title === undefined ? undefined : { title };
      },
    },
    {
      first: 'search_songs',
      then: 'add_to_playlist',
      templates: ['and add the first one to my {playlist} playlist.', 'then save the first song to {playlist}.'],
      bind(result) {
        const title = firstItem(result, 'songs', 'title');
        return title === undefined ? undefined : { song_title: title };
      },
    },
  ],
};
