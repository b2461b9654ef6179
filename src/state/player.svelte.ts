import type { SongId, SongRecord } from '../core/library/song.ts';
import {
  bindMediaSession,
  setMediaSessionMetadata,
  setMediaSessionPlayback,
} from '../adapters/audio/media-session.ts';
import type { LibraryState } from './library.svelte.ts';

/** Seconds into a song after which "previous" restarts it instead of going back. */
const RESTART_THRESHOLD_SECONDS = 3;
/** Moving on before this share of a song (and before a minute) counts as a skip. */
const SKIP_BEFORE_FRACTION = 0.5;

export interface PlayOptions {
  /** Overlap between consecutive songs, seconds (0: one after the other). */
  crossfadeSeconds?: number;
}

interface Deck {
  audio: HTMLAudioElement;
  url: string | null;
}

/**
 * The play queue and two `<audio>` elements (decks) fed with object URLs of the stored Blobs,
 * so playback works offline and needs no server. Two decks let one song fade into the next
 * (a crossfade) instead of stopping; the active deck is the one that is heard.
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
  error = $state<{ code: 'missing-audio' | 'playback-failed'; title: string } | null>(null);
  coverUrl = $state<string | null>(null);
  /** Told when the listener moves on from a song early (a skip), for recommendations. */
  onSkip: ((id: SongId) => void) | null = null;

  readonly #library: LibraryState;
  #decks: Deck[] = [];
  #loadToken = 0;
  #fading = false;

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
    this.#decks = [
      { audio: first, url: null },
      { audio: second, url: null },
    ];
    const offs: Array<() => void> = [];
    for (const [i, deck] of this.#decks.entries()) {
      const on = (type: string, handler: () => void): void => {
        deck.audio.addEventListener(type, handler);
        offs.push(() => deck.audio.removeEventListener(type, handler));
      };
      // Only the active deck speaks for the player; the standby one is fading in.
      const active = (): boolean => this.activeDeck === i;
      on('timeupdate', () => {
        if (!active()) return;
        this.currentTimeSeconds = deck.audio.currentTime;
        this.#syncPosition();
        this.#maybeCrossfade();
      });
      on('durationchange', () => {
        if (active()) this.durationSeconds = Number.isFinite(deck.audio.duration) ? deck.audio.duration : 0;
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
      on('ended', () => {
        if (active() && !this.#fading) void this.next(true);
      });
      on('error', () => {
        if (!active() || !deck.audio.getAttribute('src')) return;
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
      await deck.audio.play();
    } catch (error) {
      if ((error as Error).name !== 'AbortError') {
        this.error = { code: 'playback-failed', title: this.current?.title ?? '' };
      }
    }
  }

  pause(): void {
    this.#cancelFade();
    this.#active?.audio.pause();
  }

  seek(seconds: number): void {
    const audio = this.#active?.audio;
    if (!audio || !Number.isFinite(seconds)) return;
    this.#cancelFade();
    const max = Number.isFinite(audio.duration) ? audio.duration : seconds;
    audio.currentTime = Math.max(0, Math.min(max, seconds));
    this.currentTimeSeconds = audio.currentTime;
  }

  /** Next song; at the end of the queue playback stops (`fromEnded`) or stays put. */
  async next(fromEnded = false): Promise<void> {
    if (!fromEnded) this.#reportSkip();
    if (this.index + 1 < this.queue.length) await this.#load(this.index + 1, true);
    else if (fromEnded) {
      this.playing = false;
      setMediaSessionPlayback('paused');
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
    this.#cancelFade();
    for (const deck of this.#decks) this.#clear(deck);
    this.#revokeCover();
    this.playing = false;
    this.currentTimeSeconds = 0;
    this.durationSeconds = 0;
    setMediaSessionMetadata(null);
    setMediaSessionPlayback('none');
  }

  #clear(deck: Deck): void {
    deck.audio.pause();
    deck.audio.removeAttribute('src');
    deck.audio.load();
    if (deck.url) URL.revokeObjectURL(deck.url);
    deck.url = null;
  }

  #revokeCover(): void {
    if (this.coverUrl) URL.revokeObjectURL(this.coverUrl);
    this.coverUrl = null;
  }

  /** Points a deck at a song's stored audio; returns false when the audio is missing. */
  async #prepare(deck: Deck, id: SongId): Promise<boolean> {
    const blob = await this.#library.getAudio(id);
    if (!blob) return false;
    if (deck.url) URL.revokeObjectURL(deck.url);
    deck.url = URL.createObjectURL(blob);
    deck.audio.src = deck.url;
    return true;
  }

  async #showMetadata(id: SongId): Promise<void> {
    const song = this.#library.songs.find((s) => s.id === id) ?? null;
    const artwork = await this.#library.getArtwork(id);
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
    if (standby) this.#clear(standby);
    this.index = index;
    this.error = null;
    const song = this.current;
    const ok = await this.#prepare(deck, id);
    if (token !== this.#loadToken) return; // a newer request won
    if (!ok) {
      this.error = { code: 'missing-audio', title: song?.title ?? '' };
      this.playing = false;
      return;
    }
    deck.audio.volume = 1;
    this.currentTimeSeconds = 0;
    this.durationSeconds = song?.durationSeconds ?? 0;
    void this.#showMetadata(id);
    if (autoplay) await this.resume();
  }

  #fadeFrame = 0;

  /** Near the end of a song, starts the next one on the standby deck and fades across. */
  #maybeCrossfade(): void {
    const fade = this.crossfadeSeconds;
    const active = this.#active;
    const standby = this.#standby;
    if (fade <= 0 || this.#fading || !active || !standby || this.index + 1 >= this.queue.length) return;
    const remaining = active.audio.duration - active.audio.currentTime;
    if (!Number.isFinite(remaining) || remaining > fade || active.audio.paused) return;
    this.#fading = true;
    const nextIndex = this.index + 1;
    const nextId = this.queue[nextIndex];
    const token = this.#loadToken;
    void this.#prepare(standby, nextId).then(async (ok) => {
      if (!ok || token !== this.#loadToken || !this.#fading) {
        this.#fading = false;
        return;
      }
      standby.audio.volume = 0;
      await standby.audio.play().catch(() => undefined);
      const start = performance.now();
      const durationMs = Math.max(200, remaining * 1000);
      const step = (): void => {
        if (!this.#fading) return;
        const f = Math.min(1, (performance.now() - start) / durationMs);
        active.audio.volume = 1 - f;
        standby.audio.volume = f;
        if (f < 1) {
          this.#fadeFrame = requestAnimationFrame(step);
          return;
        }
        // The new song is now the one heard.
        this.#fading = false;
        active.audio.pause();
        active.audio.volume = 1;
        if (active.url) URL.revokeObjectURL(active.url);
        active.url = null;
        active.audio.removeAttribute('src');
        this.activeDeck = 1 - this.activeDeck;
        this.index = nextIndex;
        this.currentTimeSeconds = standby.audio.currentTime;
        this.durationSeconds = Number.isFinite(standby.audio.duration) ? standby.audio.duration : 0;
        this.playing = !standby.audio.paused;
        void this.#showMetadata(nextId);
      };
      this.#fadeFrame = requestAnimationFrame(step);
    });
  }

  #cancelFade(): void {
    if (!this.#fading) return;
    this.#fading = false;
    cancelAnimationFrame(this.#fadeFrame);
    const standby = this.#standby;
    if (standby) this.#clear(standby);
    if (this.#active) this.#active.audio.volume = 1;
  }

  #syncPosition(): void {
    const audio = this.#active?.audio;
    if (!audio) return;
    setMediaSessionPlayback(audio.paused ? 'paused' : 'playing', {
      durationSeconds: audio.duration,
      positionSeconds: audio.currentTime,
      playbackRate: audio.playbackRate,
    });
  }
}
