import type { SongId, SongRecord } from '../core/library/song.ts';
import {
  bindMediaSession,
  setMediaSessionMetadata,
  setMediaSessionPlayback,
} from '../adapters/audio/media-session.ts';
import { AudioElementDeck, crossfade, type Deck } from '../adapters/audio/decks.ts';
import type { LibraryState } from './library.svelte.ts';

/** Seconds into a song after which "previous" restarts it instead of going back. */
const RESTART_THRESHOLD_SECONDS = 3;
/** Moving on before this share of a song (and before a minute) counts as a skip. */
const SKIP_BEFORE_FRACTION = 0.5;

export interface PlayOptions {
  /** Overlap between consecutive songs, seconds (0: one after the other). */
  crossfadeSeconds?: number;
}

/**
 * The play queue over two decks (`src/adapters/audio/decks.ts`: `<audio>` elements fed with the
 * stored Blobs, so playback works offline and needs no server). Two decks let one song fade into
 * the next (a crossfade, timed by the media clock so it completes in a hidden tab) instead of
 * stopping; the active deck is the one that is heard.
 */
export class PlayerState {
  queue = $state.raw<SongId[]>([]);
  index = $state(-1);
  playing = $state(false);
  currentTimeSeconds = $state(0);
  durationSeconds = $state(0);
  /** Which deck is heard (0 or 1); the UI labels that element for automation. */
  activeDeck = $state(0);
  crossfadeSeconds = $state(0);
  /** A playback problem to show (the audio is missing, the element refused to play). */
  error = $state<{ code: 'missing-audio' | 'folder-unreadable' | 'playback-failed'; title: string } | null>(null);
  coverUrl = $state<string | null>(null);
  /** Told when the listener moves on from a song early (a skip), for recommendations. */
  onSkip: ((id: SongId) => void) | null = null;
  /** Told when a song starts being heard (after loading, or when a crossfade brings it in). */
  onHeard: ((id: SongId) => void) | null = null;
  /** Told when the last song of the queue ends by itself. */
  onQueueEnd: (() => void) | null = null;

  readonly #library: LibraryState;
  #decks: Deck[] = [];
  #loadToken = 0;
  #fading = false;
  #stopFade: (() => void) | null = null;

  constructor(library: LibraryState) {
    this.#library = library;
  }

  /** The song at the head of the queue, if it is still in the library. */
  get current(): SongRecord | null {
    const id = this.queue[this.index];
    return id ? (this.#library.songs.find((s) => s.id === id) ?? null) : null;
  }

  get #active(): Deck | undefined {
    return this.#decks[this.activeDeck];
  }

  get #standby(): Deck | undefined {
    return this.#decks[1 - this.activeDeck];
  }

  /** Connects the page's two `<audio>` elements; call once when the player bar mounts. */
  attach(first: HTMLAudioElement, second: HTMLAudioElement): () => void {
    return this.attachDecks([new AudioElementDeck(first), new AudioElementDeck(second)]);
  }

  /** Connects two decks (the `<audio>` elements, or fakes in tests); returns the detach function. */
  attachDecks(decks: readonly [Deck, Deck]): () => void {
    this.#decks = [...decks];
    const offs: Array<() => void> = [];
    for (const [i, deck] of this.#decks.entries()) {
      const on = (type: Parameters<Deck['on']>[0], handler: () => void): void => {
        offs.push(deck.on(type, handler));
      };
      // Only the active deck speaks for the player; the standby one is fading in.
      const active = (): boolean => this.activeDeck === i;
      on('timeupdate', () => {
        if (!active()) return;
        this.currentTimeSeconds = deck.currentTimeSeconds;
        this.#syncPosition();
        this.#maybeCrossfade();
      });
      on('durationchange', () => {
        if (active()) this.durationSeconds = Number.isFinite(deck.durationSeconds) ? deck.durationSeconds : 0;
      });
      on('play', () => {
        if (!active()) return;
        this.playing = true;
        setMediaSessionPlayback('playing');
      });
      on('pause', () => {
        if (!active() || this.#fading) return;
        this.playing = false;
        setMediaSessionPlayback('paused');
      });
      // While fading, the fade itself completes on this deck's `ended` (or as soon as it starts).
      on('ended', () => {
        if (active() && !this.#fading) void this.next(true);
      });
      on('error', () => {
        if (!active() || !deck.hasSource) return;
        this.playing = false;
        this.error = { code: 'playback-failed', title: this.current?.title ?? '' };
      });
    }
    bindMediaSession({
      play: () => void this.resume(),
      pause: () => this.pause(),
      previous: () => void this.previous(),
      next: () => void this.next(),
      seekTo: (s) => this.seek(s),
      seekBy: (d) => this.seek(this.currentTimeSeconds + d),
    });
    return () => {
      for (const off of offs) off();
      this.#decks = [];
    };
  }

  /** Replaces the queue and plays from `startIndex`. */
  async playQueue(ids: readonly SongId[], startIndex = 0, options: PlayOptions = {}): Promise<void> {
    this.crossfadeSeconds = options.crossfadeSeconds ?? 0;
    this.queue = ids.slice();
    await this.#load(startIndex, true);
  }

  /**
   * Keeps the song now playing and replaces what comes after it (a re-planned path). A crossfade
   * already bringing in the next song keeps that song too.
   */
  replaceUpcoming(ids: readonly SongId[]): void {
    if (this.index < 0) return;
    const keep = this.queue.slice(0, this.index + (this.#fading ? 2 : 1));
    const kept = new Set(keep);
    this.queue = [...keep, ...ids.filter((id) => !kept.has(id))];
  }

  async toggle(): Promise<void> {
    if (this.playing) this.pause();
    else await this.resume();
  }

  async resume(): Promise<void> {
    const deck = this.#active;
    if (!deck) return;
    if (this.index < 0 && this.queue.length > 0) {
      await this.#load(0, true);
      return;
    }
    try {
      await deck.play();
    } catch (error) {
      if ((error as Error).name !== 'AbortError') {
        this.error = { code: 'playback-failed', title: this.current?.title ?? '' };
      }
    }
  }

  pause(): void {
    this.#cancelFade();
    this.#active?.pause();
  }

  seek(seconds: number): void {
    const deck = this.#active;
    if (!deck || !Number.isFinite(seconds)) return;
    this.#cancelFade();
    const max = Number.isFinite(deck.durationSeconds) ? deck.durationSeconds : seconds;
    deck.seek(Math.max(0, Math.min(max, seconds)));
    this.currentTimeSeconds = deck.currentTimeSeconds;
  }

  /** Next song; at the end of the queue playback stops (`fromEnded`) or stays put. */
  async next(fromEnded = false): Promise<void> {
    if (!fromEnded) this.#reportSkip();
    if (this.index + 1 < this.queue.length) await this.#load(this.index + 1, true);
    else if (fromEnded) {
      this.playing = false;
      setMediaSessionPlayback('paused');
      this.onQueueEnd?.();
    }
  }

  async previous(): Promise<void> {
    if (this.currentTimeSeconds > RESTART_THRESHOLD_SECONDS || this.index <= 0) this.seek(0);
    else await this.#load(this.index - 1, true);
  }

  /** Stops and forgets songs that were deleted from the library. */
  forget(ids: readonly SongId[]): void {
    const gone = new Set(ids);
    const currentId = this.queue[this.index];
    if (currentId && gone.has(currentId)) this.#unload();
    const queue = this.queue.filter((id) => !gone.has(id));
    this.index = currentId && !gone.has(currentId) ? queue.indexOf(currentId) : -1;
    this.queue = queue;
  }

  #reportSkip(): void {
    const id = this.queue[this.index];
    const duration = this.durationSeconds;
    if (id && duration > 0 && this.currentTimeSeconds < Math.min(60, duration * SKIP_BEFORE_FRACTION)) this.onSkip?.(id);
  }

  #unload(): void {
    this.#loadToken++;
    this.#metadataToken++;
    this.#cancelFade();
    for (const deck of this.#decks) deck.clear();
    this.#revokeCover();
    this.playing = false;
    this.currentTimeSeconds = 0;
    this.durationSeconds = 0;
    setMediaSessionMetadata(null);
    setMediaSessionPlayback('none');
  }

  #revokeCover(): void {
    if (this.coverUrl) URL.revokeObjectURL(this.coverUrl);
    this.coverUrl = null;
  }

  /** Points a deck at a song's stored audio; returns false when the audio is missing. */
  async #prepare(deck: Deck, id: SongId): Promise<boolean> {
    const blob = await this.#library.getAudio(id);
    if (!blob) return false;
    deck.load(blob);
    return true;
  }

  #metadataToken = 0;

  /** Cover and OS media info for the song now heard; a later call wins over a slower earlier one. */
  async #showMetadata(id: SongId): Promise<void> {
    const token = ++this.#metadataToken;
    const song = this.#library.songs.find((s) => s.id === id) ?? null;
    let artwork: Awaited<ReturnType<LibraryState['getArtwork']>>;
    try {
      artwork = await this.#library.getArtwork(id);
    } catch (error) {
      console.warn(`Norae: the cover of "${song?.title ?? id}" could not be read; showing none`, error);
    }
    if (token !== this.#metadataToken) return; // skipped on meanwhile
    this.#revokeCover();
    const cover = artwork?.full ?? null;
    this.coverUrl = cover ? URL.createObjectURL(cover) : null;
    setMediaSessionMetadata(
      song
        ? { title: song.title, artist: song.artist, album: song.album, artworkUrl: this.coverUrl, artworkType: cover?.type ?? null }
        : null,
    );
  }

  async #load(index: number, autoplay: boolean): Promise<void> {
    const id = this.queue[index];
    const deck = this.#active;
    if (!id || !deck) return;
    const token = ++this.#loadToken;
    this.#cancelFade();
    const standby = this.#standby;
    standby?.clear();
    this.index = index;
    this.error = null;
    const song = this.current;
    const ok = await this.#prepare(deck, id);
    if (token !== this.#loadToken) return; // a newer request won
    if (!ok) {
      // A linked song's file could not be read (permission, or moved): the folder panel says why.
      this.error = { code: this.#library.linked.isLinked(id) ? 'folder-unreadable' : 'missing-audio', title: song?.title ?? '' };
      this.playing = false;
      return;
    }
    deck.volume = 1;
    this.currentTimeSeconds = 0;
    this.durationSeconds = song?.durationSeconds ?? 0;
    void this.#showMetadata(id);
    if (autoplay) {
      await this.resume();
      if (token === this.#loadToken && !deck.paused) this.onHeard?.(id);
    }
  }

  /** Near the end of a song, starts the next one on the standby deck and fades across. */
  #maybeCrossfade(): void {
    const fade = this.crossfadeSeconds;
    const active = this.#active;
    const standby = this.#standby;
    if (fade <= 0 || this.#fading || !active || !standby || this.index + 1 >= this.queue.length) return;
    const remaining = active.durationSeconds - active.currentTimeSeconds;
    if (!Number.isFinite(remaining) || remaining > fade || active.paused) return;
    this.#fading = true;
    const nextIndex = this.index + 1;
    const token = this.#loadToken;
    void this.#startFade(active, standby, nextIndex, remaining, token);
  }

  async #startFade(active: Deck, standby: Deck, nextIndex: number, remainingSeconds: number, token: number): Promise<void> {
    const nextId = this.queue[nextIndex];
    const ok = await this.#prepare(standby, nextId);
    if (token !== this.#loadToken || !this.#fading) return;
    if (ok) {
      try {
        standby.volume = 0;
        await standby.play();
      } catch (error) {
        console.warn('Norae: the next song could not start for the crossfade; it will follow without one', error);
      }
    }
    if (token !== this.#loadToken || !this.#fading) return;
    if (!ok || standby.paused) {
      // No fade: the next song (or its "missing" message) follows the end of this one as usual.
      this.#cancelFade();
      if (active.paused && active.currentTimeSeconds >= active.durationSeconds) void this.next(true);
      return;
    }
    this.#stopFade = crossfade(active, standby, remainingSeconds, () => this.#finishFade(active, standby, nextIndex, nextId));
  }

  /** The new song is now the one heard. */
  #finishFade(active: Deck, standby: Deck, nextIndex: number, nextId: SongId): void {
    this.#fading = false;
    this.#stopFade = null;
    active.clear();
    active.volume = 1;
    this.activeDeck = 1 - this.activeDeck;
    this.index = nextIndex;
    this.currentTimeSeconds = standby.currentTimeSeconds;
    this.durationSeconds = Number.isFinite(standby.durationSeconds) ? standby.durationSeconds : 0;
    this.playing = !standby.paused;
    void this.#showMetadata(nextId);
    this.onHeard?.(nextId);
  }

  #cancelFade(): void {
    if (!this.#fading) return;
    this.#fading = false;
    this.#stopFade?.();
    this.#stopFade = null;
    this.#standby?.clear();
    if (this.#active) this.#active.volume = 1;
  }

  #syncPosition(): void {
    const deck = this.#active;
    if (!deck) return;
    setMediaSessionPlayback(deck.paused ? 'paused' : 'playing', {
      durationSeconds: deck.durationSeconds,
      positionSeconds: deck.currentTimeSeconds,
      playbackRate: deck.playbackRate,
    });
  }
}
