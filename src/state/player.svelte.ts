import type { SongId, SongRecord } from '../core/library/song.ts';
import {
  bindMediaSession,
  setMediaSessionMetadata,
  setMediaSessionPlayback,
} from '../adapters/audio/media-session.ts';
import type { LibraryState } from './library.svelte.ts';

/** Seconds into a song after which "previous" restarts it instead of going back. */
const RESTART_THRESHOLD_SECONDS = 3;

/**
 * The play queue and the one `<audio>` element that plays it, fed with object URLs of the
 * stored Blobs, so playback works offline and needs no server.
 */
export class PlayerState {
  queue = $state.raw<SongId[]>([]);
  index = $state(-1);
  playing = $state(false);
  currentTimeSeconds = $state(0);
  durationSeconds = $state(0);
  /** A playback problem to show (the audio is missing, the element refused to play). */
  error = $state<{ code: 'missing-audio' | 'playback-failed'; title: string } | null>(null);
  coverUrl = $state<string | null>(null);

  readonly #library: LibraryState;
  #audio: HTMLAudioElement | null = null;
  #audioUrl: string | null = null;
  #loadToken = 0;

  constructor(library: LibraryState) {
    this.#library = library;
  }

  /** The song at the head of the queue, if it is still in the library. */
  get current(): SongRecord | null {
    const id = this.queue[this.index];
    return id ? (this.#library.songs.find((s) => s.id === id) ?? null) : null;
  }

  /** Connects the page's `<audio>` element; call once when the player bar mounts. */
  attach(audio: HTMLAudioElement): () => void {
    this.#audio = audio;
    const on = (type: string, handler: () => void): (() => void) => {
      audio.addEventListener(type, handler);
      return () => audio.removeEventListener(type, handler);
    };
    const offs = [
      on('timeupdate', () => {
        this.currentTimeSeconds = audio.currentTime;
        this.#syncPosition();
      }),
      on('durationchange', () => {
        this.durationSeconds = Number.isFinite(audio.duration) ? audio.duration : 0;
      }),
      on('play', () => {
        this.playing = true;
        setMediaSessionPlayback('playing');
      }),
      on('pause', () => {
        this.playing = false;
        setMediaSessionPlayback('paused');
      }),
      on('ended', () => void this.next(true)),
      on('error', () => {
        if (!audio.getAttribute('src')) return;
        this.playing = false;
        this.error = { code: 'playback-failed', title: this.current?.title ?? '' };
      }),
    ];
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
      this.#audio = null;
    };
  }

  /** Replaces the queue and plays from `startIndex`. */
  async playQueue(ids: readonly SongId[], startIndex = 0): Promise<void> {
    this.queue = ids.slice();
    await this.#load(startIndex, true);
  }

  async toggle(): Promise<void> {
    if (this.playing) this.pause();
    else await this.resume();
  }

  async resume(): Promise<void> {
    if (!this.#audio) return;
    if (this.index < 0 && this.queue.length > 0) {
      await this.#load(0, true);
      return;
    }
    try {
      await this.#audio.play();
    } catch (error) {
      if ((error as Error).name !== 'AbortError') {
        this.error = { code: 'playback-failed', title: this.current?.title ?? '' };
      }
    }
  }

  pause(): void {
    this.#audio?.pause();
  }

  seek(seconds: number): void {
    if (!this.#audio || !Number.isFinite(seconds)) return;
    const max = Number.isFinite(this.#audio.duration) ? this.#audio.duration : seconds;
    this.#audio.currentTime = Math.max(0, Math.min(max, seconds));
    this.currentTimeSeconds = this.#audio.currentTime;
  }

  /** Next song; at the end of the queue playback stops (`fromEnded`) or stays put. */
  async next(fromEnded = false): Promise<void> {
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

  #unload(): void {
    this.#loadToken++;
    if (this.#audio) {
      this.#audio.pause();
      this.#audio.removeAttribute('src');
      this.#audio.load();
    }
    this.#revoke();
    this.playing = false;
    this.currentTimeSeconds = 0;
    this.durationSeconds = 0;
    setMediaSessionMetadata(null);
    setMediaSessionPlayback('none');
  }

  #revoke(): void {
    if (this.#audioUrl) URL.revokeObjectURL(this.#audioUrl);
    if (this.coverUrl) URL.revokeObjectURL(this.coverUrl);
    this.#audioUrl = null;
    this.coverUrl = null;
  }

  async #load(index: number, autoplay: boolean): Promise<void> {
    const id = this.queue[index];
    const audio = this.#audio;
    if (!id || !audio) return;
    const token = ++this.#loadToken;
    this.index = index;
    this.error = null;
    const song = this.current;
    const [blob, artwork] = await Promise.all([this.#library.getAudio(id), this.#library.getArtwork(id)]);
    if (token !== this.#loadToken) return; // a newer request won
    if (!blob) {
      this.error = { code: 'missing-audio', title: song?.title ?? '' };
      this.playing = false;
      return;
    }
    this.#revoke();
    this.#audioUrl = URL.createObjectURL(blob);
    const cover = artwork?.full ?? null;
    this.coverUrl = cover ? URL.createObjectURL(cover) : null;
    audio.src = this.#audioUrl;
    this.currentTimeSeconds = 0;
    this.durationSeconds = song?.durationSeconds ?? 0;
    setMediaSessionMetadata(
      song
        ? { title: song.title, artist: song.artist, album: song.album, artworkUrl: this.coverUrl, artworkType: cover?.type ?? null }
        : null,
    );
    if (autoplay) await this.resume();
  }

  #syncPosition(): void {
    const audio = this.#audio;
    if (!audio) return;
    setMediaSessionPlayback(audio.paused ? 'paused' : 'playing', {
      durationSeconds: audio.duration,
      positionSeconds: audio.currentTime,
      playbackRate: audio.playbackRate,
    });
  }
}
