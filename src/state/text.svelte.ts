import type { TextReading } from '../core/text/text-reading.ts';
import { MAX_TEXT_CHARACTERS } from '../core/text/text-features.ts';

/** What reads a text: the adapter's TextEmotionReader, or a fake in tests. */
export interface TextReader {
  read(text: string): TextReading;
}

/** Loads the reader (once); the app's fetches the model from its own origin. */
export type TextReaderLoader = () => Promise<TextReader>;

/** The app's loader: the text model's files from the app itself (precached for offline use). */
export const loadTextReader: TextReaderLoader = async () => {
  const { TextEmotionReader, fetchTextModelFiles } = await import('../adapters/text/text-emotion-reader.ts');
  return TextEmotionReader.fromFiles(await fetchTextModelFiles());
};

/**
 * "A few words, if you like": what the listener typed and what the words read, updated as they
 * type. Korean is read by Norae's own net, English by a lexicon; nothing leaves the device. The
 * model loads on the first keystroke (about 2 MB, precached), so a listener who never types
 * never waits for it.
 */
export class TextState {
  /** The words as typed (at most {@link MAX_TEXT_CHARACTERS} characters are read). */
  words = $state('');
  /** The words' reading, or null while there are none (or the model is still loading). */
  reading = $state.raw<TextReading | null>(null);
  phase = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** Why the model could not be loaded (the words are kept; the check-in goes on without them). */
  error = $state<string | null>(null);
  /** How long the last reading took (ms, the model already loaded): the budget is 30 ms. */
  lastReadMs = $state<number | null>(null);

  readonly #load: TextReaderLoader;
  #reader: TextReader | null = null;
  #loading: Promise<TextReader | null> | null = null;

  constructor(load: TextReaderLoader = loadTextReader) {
    this.#load = load;
  }

  /** The listener typed: reads the words at once (after the model's first load). */
  async type(words: string): Promise<void> {
    this.words = words.slice(0, MAX_TEXT_CHARACTERS);
    const reader = this.#reader ?? (await this.#ready());
    // A later keystroke may have landed while the model loaded: read what is there now.
    if (!reader) return;
    const started = performance.now();
    this.reading = this.words.trim() ? reader.read(this.words) : null;
    this.lastReadMs = performance.now() - started;
  }

  /** The words' reading when it says something (null for empty, unreadable or not-yet-loaded words). */
  get usable(): TextReading | null {
    const r = this.reading;
    return r && r.reader !== 'none' && r.confidence > 0 && this.words.trim() ? r : null;
  }

  /** Forgets the words (after a check-in has used them, or on request). */
  clear(): void {
    this.words = '';
    this.reading = null;
  }

  #ready(): Promise<TextReader | null> {
    this.#loading ??= (async () => {
      this.phase = 'loading';
      try {
        this.#reader = await this.#load();
        this.phase = 'ready';
        this.error = null;
        return this.#reader;
      } catch (error) {
        console.error('Norae: the text model could not be loaded', error);
        this.phase = 'error';
        this.error = (error as Error)?.message ?? String(error);
        this.#loading = null;
        return null;
      }
    })();
    return this.#loading;
  }
}
