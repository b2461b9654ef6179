/**
 * The player's two audio decks and the crossfade between them.
 *
 * Browsers stop `requestAnimationFrame` in hidden tabs and minimised windows and throttle timers
 * there to once a second (or once a minute), while media keeps playing. So the fade is driven by
 * the media clock: its progress is read from the decks' own positions, on every `timeupdate` of
 * either deck (fired by the media element, hidden or not) and on a foreground-only timer for
 * smoothness, and the outgoing song's `ended` always completes it.
 */

export type DeckEvent = 'timeupdate' | 'durationchange' | 'play' | 'pause' | 'ended' | 'error';

/** What the player needs of one playing element (an `<audio>` in the app, a fake in tests). */
export interface Deck {
  readonly currentTimeSeconds: number;
  /** NaN or Infinity until known. */
  readonly durationSeconds: number;
  readonly paused: boolean;
  readonly playbackRate: number;
  /** Whether a song is loaded (an element without a source also reports errors). */
  readonly hasSource: boolean;
  /** 0…1. */
  volume: number;
  /** Plays this Blob from now on (replacing and freeing what was loaded). */
  load(audio: Blob): void;
  /** Stops and frees the loaded song. */
  clear(): void;
  play(): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  /** Subscribes to an event; returns the unsubscribe function. */
  on(type: DeckEvent, handler: () => void): () => void;
}

/** A Deck over an `<audio>` element fed with an object URL of the stored Blob (works offline). */
export class AudioElementDeck implements Deck {
  readonly #audio: HTMLAudioElement;
  #url: string | null = null;

  constructor(audio: HTMLAudioElement) {
    this.#audio = audio;
  }

  get currentTimeSeconds(): number {
    return this.#audio.currentTime;
  }
  get durationSeconds(): number {
    return this.#audio.duration;
  }
  get paused(): boolean {
    return this.#audio.paused;
  }
  get playbackRate(): number {
    return this.#audio.playbackRate;
  }
  get hasSource(): boolean {
    return this.#audio.getAttribute('src') !== null;
  }
  get volume(): number {
    return this.#audio.volume;
  }
  set volume(value: number) {
    this.#audio.volume = Math.min(1, Math.max(0, value));
  }

  load(audio: Blob): void {
    this.#revoke();
    this.#url = URL.createObjectURL(audio);
    this.#audio.src = this.#url;
  }

  clear(): void {
    this.#audio.pause();
    this.#audio.removeAttribute('src');
    this.#audio.load();
    this.#revoke();
  }

  play(): Promise<void> {
    return this.#audio.play();
  }

  pause(): void {
    this.#audio.pause();
  }

  seek(seconds: number): void {
    this.#audio.currentTime = seconds;
  }

  on(type: DeckEvent, handler: () => void): () => void {
    this.#audio.addEventListener(type, handler);
    return () => this.#audio.removeEventListener(type, handler);
  }

  #revoke(): void {
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = null;
  }
}

/** Milliseconds between volume steps while the page is visible (hidden pages use `timeupdate`). */
const SMOOTH_STEP_MS = 50;

/**
 * Fades `from` out and `to` in over `durationSeconds` of `from`'s playback (which must already be
 * playing; `to` should be loaded). Calls `onDone` exactly once when the fade is complete: when
 * either deck's clock has covered the fade, or `from` ends. Returns a cancel function (nothing is
 * called after it).
 */
export function crossfade(from: Deck, to: Deck, durationSeconds: number, onDone: () => void): () => void {
  const fromStart = from.currentTimeSeconds;
  const toStart = to.currentTimeSeconds;
  const length = Math.max(0.2, durationSeconds);
  let finished = false;
  const progress = (): number => {
    const heard = Math.max(from.currentTimeSeconds - fromStart, to.currentTimeSeconds - toStart);
    return Math.min(1, Math.max(0, heard / length));
  };
  const step = (): void => {
    if (finished) return;
    const f = from.paused && from.currentTimeSeconds >= from.durationSeconds ? 1 : progress();
    from.volume = 1 - f;
    to.volume = f;
    if (f >= 1) finish();
  };
  const finish = (): void => {
    if (finished) return;
    finished = true;
    stop();
    from.volume = 0;
    to.volume = 1;
    onDone();
  };
  const offs = [from.on('timeupdate', step), to.on('timeupdate', step), from.on('ended', finish)];
  // A timer only smooths the steps; it is never what completes the fade.
  const timer = globalThis.setInterval(step, SMOOTH_STEP_MS);
  const stop = (): void => {
    globalThis.clearInterval(timer);
    for (const off of offs) off();
  };
  from.volume = 1;
  to.volume = 0;
  // The outgoing song may already have ended while the next one was being loaded.
  step();
  return () => {
    if (finished) return;
    finished = true;
    stop();
  };
}
