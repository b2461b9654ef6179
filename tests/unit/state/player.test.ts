import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SongId, SongRecord } from '../../../src/core/library/song.ts';
import type { LibraryState } from '../../../src/state/library.svelte.ts';
import { PlayerState } from '../../../src/state/player.svelte.ts';
import { FakeDeck, song } from '../adapters/audio/fake-deck.ts';

const SONG_SECONDS = 10;
const IDS = ['a', 'b', 'c'] as SongId[];

/** The library as the player sees it: three stored 10-second songs; `getArtwork` as given. */
function fakeLibrary(getArtwork: (id: SongId) => Promise<unknown> = async () => undefined): LibraryState {
  const songs = IDS.map((id) => ({ id, title: `Song ${id}`, artist: '', album: '', durationSeconds: SONG_SECONDS }) as unknown as SongRecord);
  return {
    songs,
    getAudio: async (id: SongId) => (IDS.includes(id) ? song(SONG_SECONDS) : undefined),
    getArtwork,
    linked: { isLinked: () => false },
  } as unknown as LibraryState;
}

/** Lets pending promise callbacks (the player's awaits) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Plays `seconds` of audio on every playing deck, a quarter-second at a time. */
async function play(decks: FakeDeck[], seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    for (const deck of decks) deck.tick();
    await settle();
  }
}

describe('PlayerState with two decks', () => {
  let decks: [FakeDeck, FakeDeck];
  let player: PlayerState;

  // A hidden tab or minimised window: no animation frames, timers that never come in time.
  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    vi.stubGlobal('setInterval', () => 0);
    vi.stubGlobal('clearInterval', () => undefined);
    decks = [new FakeDeck(), new FakeDeck()];
    player = new PlayerState(fakeLibrary());
    player.attachDecks(decks);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  const heard = () => decks[player.activeDeck];

  it('crossfades through a 3-song playlist to the third song at full volume in a hidden page', async () => {
    await player.playQueue(IDS, 0, { crossfadeSeconds: 3 });
    expect(player.index).toBe(0);
    await play(decks, 8.5); // into the first fade
    expect(decks.every((d) => !d.paused)).toBe(true);
    await play(decks, 2);
    expect(player.index).toBe(1);
    expect(heard().volume).toBe(1);
    await play(decks, 8);
    expect(player.index).toBe(2);
    expect(player.playing).toBe(true);
    expect(heard().volume).toBe(1);
    expect(heard().paused).toBe(false);
    // Only one deck plays once the fade is over.
    expect(decks.filter((d) => !d.paused)).toHaveLength(1);
    await play(decks, SONG_SECONDS);
    expect(player.index).toBe(2);
    expect(player.playing).toBe(false);
  });

  it('without a crossfade, the end of a song always starts the next', async () => {
    await player.playQueue(IDS, 0);
    await play(decks, SONG_SECONDS + 0.5);
    expect(player.index).toBe(1);
    expect(player.playing).toBe(true);
    expect(heard().volume).toBe(1);
  });

  it('when the next song refuses to start for the fade, it still follows at the end', async () => {
    await player.playQueue(IDS, 0, { crossfadeSeconds: 3 });
    const standby = decks[1];
    standby.refusePlay = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await play(decks, 8);
    expect(warn).toHaveBeenCalled();
    expect(decks[0].volume).toBe(1);
    standby.refusePlay = false;
    await play(decks, 2.5);
    expect(player.index).toBe(1);
    expect(player.playing).toBe(true);
    expect(heard().volume).toBe(1);
  });

  it('a pause during the fade cancels it and keeps the current song at full volume', async () => {
    await player.playQueue(IDS, 0, { crossfadeSeconds: 3 });
    await play(decks, 8);
    player.pause();
    expect(player.index).toBe(0);
    expect(heard().volume).toBe(1);
    expect(decks[1 - player.activeDeck].hasSource).toBe(false);
  });

  it('fast skips show the cover of the song that plays, not of a slower earlier lookup', async () => {
    // Song b's cover takes long to read, c's is quick: skipping a → b → c at once must end on c's.
    const covers = new Map(IDS.map((id, i) => [id, new Blob([new Uint8Array(100 + i)], { type: 'image/jpeg' })]));
    const delays: Record<string, number> = { a: 0, b: 30, c: 0 };
    const slow = new PlayerState(
      fakeLibrary((id) => new Promise((resolve) => setTimeout(() => resolve({ full: covers.get(id) }), delays[id]))),
    );
    slow.attachDecks([new FakeDeck(), new FakeDeck()]);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => `blob:cover-${(blob as Blob).size}`);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await slow.playQueue(IDS, 0);
    await slow.next();
    await slow.next();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(slow.current?.id).toBe('c');
    expect(slow.coverUrl).toBe('blob:cover-102');
  });
});
