import type { Deck, DeckEvent } from '../../../../src/adapters/audio/decks.ts';

/**
 * A deck whose clock the test moves: `tick()` plays a quarter of a second and fires what a media
 * element fires (`timeupdate`, then `pause` and `ended` at the end) — in a hidden tab too. A
 * loaded Blob's size in bytes is its duration in seconds.
 */
export class FakeDeck implements Deck {
  currentTimeSeconds = 0;
  durationSeconds = Number.NaN;
  paused = true;
  playbackRate = 1;
  volume = 1;
  source: Blob | null = null;
  /** Makes `play()` reject, as a browser does without a user gesture. */
  refusePlay = false;
  readonly #handlers = new Map<DeckEvent, Set<() => void>>();

  get hasSource(): boolean {
    return this.source !== null;
  }

  load(audio: Blob): void {
    this.source = audio;
    this.currentTimeSeconds = 0;
    this.durationSeconds = audio.size;
    this.paused = true;
  }

  clear(): void {
    this.pause();
    this.source = null;
    this.currentTimeSeconds = 0;
    this.durationSeconds = Number.NaN;
  }

  async play(): Promise<void> {
    if (!this.source || this.refusePlay) throw new DOMException('play() refused', 'NotAllowedError');
    if (!this.paused) return;
    this.paused = false;
    this.emit('play');
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.emit('pause');
  }

  seek(seconds: number): void {
    this.currentTimeSeconds = seconds;
  }

  on(type: DeckEvent, handler: () => void): () => void {
    const set = this.#handlers.get(type) ?? new Set();
    set.add(handler);
    this.#handlers.set(type, set);
    return () => set.delete(handler);
  }

  emit(type: DeckEvent): void {
    for (const handler of [...(this.#handlers.get(type) ?? [])]) handler();
  }

  /** Plays a quarter of a second (when playing), with the events a media element fires. */
  tick(): void {
    if (this.paused || !this.source) return;
    this.currentTimeSeconds = Math.min(this.durationSeconds, this.currentTimeSeconds + 0.25);
    this.emit('timeupdate');
    if (this.currentTimeSeconds >= this.durationSeconds) {
      this.paused = true;
      this.emit('pause');
      this.emit('ended');
    }
  }
}

/** A Blob that FakeDeck plays for `seconds`. */
export const song = (seconds: number): Blob => new Blob([new Uint8Array(seconds)]);
