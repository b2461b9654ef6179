import type { EmotionLabel } from '../core/emotion/emotions.ts';
import type { RecordingWarning } from '../core/recording/voice-activity.ts';
import { isSpeechInputError, type SpeechInputErrorCode } from '../core/speech/speech-error.ts';
import type { VoiceProfileStats } from '../core/speech/voice-profile.ts';
import { decodeAudio, DecodeError } from '../adapters/audio/decode.ts';
import { MicrophoneError, startRecording, type MicrophoneErrorCode, type Recording, type RecordingOptions } from '../adapters/audio/microphone.ts';
import type { LibraryDb } from '../adapters/storage/library-db.ts';
import type { SpeechEmotionResult } from '../adapters/ml/speech-emotion-model.ts';
import type { VoiceReader } from '../workers/voice-client.ts';

/** Where the voice model's files are served (copied from models/speech-emotion by the build). */
export const SPEECH_MODEL_URL = '/models/speech-emotion/';

export type VoicePhase = 'idle' | 'loading' | 'recording' | 'analysing' | 'done' | 'error';

export type VoiceErrorCode =
  | MicrophoneErrorCode
  | SpeechInputErrorCode
  | 'model-failed'
  | 'not-audio'
  | 'file-failed'
  /** The microphone went away mid-recording before enough speech was heard. */
  | 'interrupted';

/** The result of one recording or file, with what is needed to draw it. */
export interface VoiceReading {
  result: SpeechEmotionResult;
  samples: Float32Array;
  sampleRateHz: number;
  source: 'microphone' | 'file';
  fileName: string | null;
  warnings: RecordingWarning[];
  /** From the end of the recording (or the decoded file) to the result, milliseconds. */
  latencyMs: number;
}

/**
 * What {@link VoiceState.listen} resolves to: a reading (and when the recording ended,
 * `performance.now()` ms), or why there is none — the panel's error code, or `cancelled` when
 * the caller's signal ended the listening.
 */
export type VoiceOutcome =
  | { ok: true; reading: VoiceReading; recordingEndedAtMs: number }
  | { ok: false; code: VoiceErrorCode | 'cancelled'; detail: string };

/** Neutral sentences for calibration: ordinary, emotion-free speech from the speaker. */
export const CALIBRATION_SENTENCE_COUNT = 3;

/** Without a limit from the caller, a recording stops after this long (seconds). */
const DEFAULT_MAX_SECONDS = 30;

/** What the voice needs from the world; tests pass fakes. */
export interface VoiceDeps {
  /** The voice model, loaded in its worker (once; rejects when it cannot be loaded). */
  loadReader(): Promise<VoiceReader>;
  startRecording(options: RecordingOptions): Promise<Recording>;
  /** Decodes an audio file's bytes at `sampleRateHz` (throws DecodeError for what is not audio). */
  decode(bytes: ArrayBuffer, sampleRateHz: number): Promise<{ channels: Float32Array[]; sampleRateHz: number }>;
}

let readerPromise: Promise<VoiceReader> | null = null;

/** Starts the voice worker and loads the model in it, once, lazily (a failed load is retried on the next call). */
export function loadVoiceReader(): Promise<VoiceReader> {
  readerPromise ??= import('../workers/voice-client.ts').then(({ createVoiceReader }) => createVoiceReader(SPEECH_MODEL_URL));
  readerPromise.catch(() => (readerPromise = null));
  return readerPromise;
}

const browserVoiceDeps: VoiceDeps = { loadReader: loadVoiceReader, startRecording, decode: decodeAudio };

/**
 * "How do you sound?": records from the microphone (or reads a file), reads the emotion in the
 * voice and learns the speaker's voice over time (a profile of their own speech statistics,
 * kept only on this device, resettable).
 */
export class VoiceState {
  phase = $state<VoicePhase>('idle');
  levelDb = $state(-100);
  elapsedSeconds = $state(0);
  reading = $state.raw<VoiceReading | null>(null);
  error = $state<{ code: VoiceErrorCode; detail: string } | null>(null);
  /**
   * What the voice profile has learned: recordings, utterances (a long recording counts several),
   * whether it was calibrated, and from how many utterances readings adapt to it (the model's
   * measured maturity threshold; below it readings stay cold).
   */
  profile = $state<{ recordings: number; utterances: number; calibrated: boolean; matureAt: number } | null>(null);
  /** Set when the profile could not be saved (e.g. storage full): it still helps for this visit. */
  profileNotSaved = $state<string | null>(null);
  /** Calibration in progress: which sentence is being read (0-based), or null. */
  calibrationStep = $state<number | null>(null);
  /**
   * Called with each calibration sentence's reading: the sentences are read in a neutral voice,
   * so each is also a labelled example for personal calibration (SessionState listens).
   */
  onCalibrationReading: ((result: VoiceReading['result']) => void) | null = null;
  backend = $state<string | null>(null);
  unsupported = $state<readonly EmotionLabel[]>(['contempt']);

  readonly #db: () => LibraryDb;
  readonly #deps: VoiceDeps;
  #recording: Recording | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #stats: VoiceProfileStats | null = null;
  #matureAt = 1;
  /** The caller of {@link listen} waiting for this recording's outcome. */
  #waiting: ((outcome: VoiceOutcome) => void) | null = null;
  #recordingEndedAtMs = 0;
  #onRecorded: (() => void) | null = null;

  constructor(db: () => LibraryDb, deps: VoiceDeps = browserVoiceDeps) {
    this.#db = db;
    this.#deps = deps;
  }

  /** Loads the model and the stored profile ahead of the first recording (the panel opened). */
  async prepare(): Promise<void> {
    try {
      const reader = await this.#deps.loadReader();
      this.unsupported = reader.unsupportedLabels;
      this.backend = reader.backend;
      await this.#loadProfile(reader);
    } catch (error) {
      this.#fail('model-failed', error);
    }
  }

  async #loadProfile(reader: VoiceReader): Promise<void> {
    this.#matureAt = reader.metadata.adaptation.minProfileUtterances;
    if (this.#stats) return;
    const stored = await this.#db().getVoiceProfile();
    const { parseVoiceProfile } = await import('../core/speech/voice-profile.ts');
    // A profile made for another model layout is ignored (and replaced as the user speaks).
    this.#stats = stored ? parseVoiceProfile(stored.stats, reader.metadata) : null;
    this.profile = {
      recordings: this.#stats && stored ? stored.recordings : 0,
      utterances: this.#stats?.utteranceCount ?? 0,
      calibrated: this.#stats && stored ? stored.calibrated : false,
      matureAt: this.#matureAt,
    };
  }

  get recording(): boolean {
    return this.phase === 'recording';
  }

  /**
   * Listens until the speaker stops (or `maxSeconds`), then reads the voice: resolves to the
   * reading or to why there is none (it never rejects). `onRecorded` is called when the
   * microphone stops (the reading follows). Aborting `signal` drops the recording and resolves
   * `cancelled`.
   */
  async listen(options: { maxSeconds?: number; signal?: AbortSignal; onRecorded?: () => void } = {}): Promise<VoiceOutcome> {
    if (this.phase === 'recording' || this.phase === 'analysing' || this.phase === 'loading') {
      return { ok: false, code: 'busy', detail: 'the microphone is already listening' };
    }
    if (options.signal?.aborted) return { ok: false, code: 'cancelled', detail: '' };
    const outcome = new Promise<VoiceOutcome>((resolve) => (this.#waiting = resolve));
    this.#onRecorded = options.onRecorded ?? null;
    const onAbort = (): void => this.cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    await this.record(options.maxSeconds);
    const settled = await outcome;
    options.signal?.removeEventListener('abort', onAbort);
    return settled;
  }

  /** Starts recording; it stops by itself when the speaker stops (or after `maxSeconds`). */
  async record(maxSeconds = DEFAULT_MAX_SECONDS): Promise<void> {
    if (this.phase === 'recording' || this.phase === 'analysing') return;
    this.error = null;
    this.phase = 'loading';
    // The model loads (in its worker) while the speaker talks.
    this.#deps.loadReader().catch((error: unknown) => console.warn('Norae: the voice model is not loaded yet; it is tried again when the recording ends', error));
    try {
      this.#recording = await this.#deps.startRecording({
        stopAfterSilenceSeconds: 1.5,
        maxSeconds,
        onLevel: (db) => (this.levelDb = db),
        onAutoStop: (reason) => void this.stop(reason === 'device-ended'),
      });
    } catch (error) {
      this.#fail(error instanceof MicrophoneError ? error.code : 'failed', error);
      return;
    }
    this.phase = 'recording';
    const startedAt = performance.now();
    this.elapsedSeconds = 0;
    this.#timer = setInterval(() => (this.elapsedSeconds = (performance.now() - startedAt) / 1000), 100);
  }

  /**
   * Stops the recording (the microphone is released at once) and reads the emotion;
   * `interrupted`: the microphone went away mid-recording (what was recorded is still read).
   */
  async stop(interrupted = false): Promise<VoiceReading | null> {
    const recording = this.#recording;
    if (!recording) return null;
    this.#recording = null;
    this.#recordingEndedAtMs = performance.now();
    this.#onRecorded?.();
    this.#onRecorded = null;
    if (this.#timer) clearInterval(this.#timer);
    this.levelDb = -100;
    const { samples, sampleRateHz } = await recording.stop();
    return this.#analyse([samples], sampleRateHz, 'microphone', null, interrupted);
  }

  /** Abandons a recording without analysing it. */
  cancel(): void {
    this.#recording?.cancel();
    this.#recording = null;
    if (this.#timer) clearInterval(this.#timer);
    this.phase = 'idle';
    this.#settle({ ok: false, code: 'cancelled', detail: '' });
  }

  /** Reads the emotion in an audio file (any length: long files are analysed in windows). */
  async openFile(file: File): Promise<VoiceReading | null> {
    this.error = null;
    this.phase = 'analysing';
    let reader: VoiceReader;
    try {
      reader = await this.#deps.loadReader();
    } catch (error) {
      this.#fail('model-failed', error);
      return null;
    }
    try {
      // Decode straight to the model's rate: ten minutes of audio stay small.
      const decoded = await this.#deps.decode(await file.arrayBuffer(), reader.metadata.features.sampleRateHz);
      return await this.#analyse(decoded.channels, decoded.sampleRateHz, 'file', file.name);
    } catch (error) {
      this.#fail(error instanceof DecodeError ? 'not-audio' : 'file-failed', error);
      return null;
    }
  }

  /** Sends the channels (moved, not copied) to the voice worker and shows its reading. */
  async #analyse(channels: Float32Array[], sampleRateHz: number, source: VoiceReading['source'], fileName: string | null, interrupted = false): Promise<VoiceReading | null> {
    this.phase = 'analysing';
    const start = performance.now();
    let reader: VoiceReader;
    try {
      reader = await this.#deps.loadReader();
      await this.#loadProfile(reader);
    } catch (error) {
      this.#fail('model-failed', error);
      return null;
    }
    try {
      const { result, samples, warnings } = await reader.read(channels, sampleRateHz, { profile: this.#stats, assess: source === 'microphone' });
      if (interrupted) warnings.unshift('interrupted');
      if (result.clippedFraction > 0.001 && !warnings.includes('clipping')) warnings.push('clipping');
      const reading: VoiceReading = { result, samples, sampleRateHz, source, fileName, warnings, latencyMs: performance.now() - start };
      this.reading = reading;
      this.phase = 'done';
      // Every recording teaches the profile a little more about this voice.
      if (source === 'microphone') await this.#learn(result.profileContribution, this.calibrationStep !== null);
      if (source === 'microphone' && this.calibrationStep !== null) this.onCalibrationReading?.(result);
      this.#settle({ ok: true, reading, recordingEndedAtMs: this.#recordingEndedAtMs });
      return reading;
    } catch (error) {
      // Too little was heard because the microphone went away: say that, not "speak longer".
      if (interrupted && isSpeechInputError(error)) this.#fail('interrupted', error);
      else if (isSpeechInputError(error)) this.#fail(error.code, error);
      else this.#fail('model-failed', error);
      return null;
    }
  }

  async #learn(contribution: VoiceProfileStats, calibration: boolean): Promise<void> {
    const { mergeVoiceProfiles } = await import('../core/speech/voice-profile.ts');
    this.#stats = this.#stats ? mergeVoiceProfiles(this.#stats, contribution) : contribution;
    const recordings = (this.profile?.recordings ?? 0) + 1;
    const calibrated = (this.profile?.calibrated ?? false) || calibration;
    this.profile = { recordings, utterances: this.#stats.utteranceCount, calibrated, matureAt: this.#matureAt };
    try {
      await this.#db().putVoiceProfile({ id: 'voice', stats: this.#stats, recordings, calibrated, updatedAt: Date.now() });
      this.profileNotSaved = null;
    } catch (error) {
      // Not saved (storage full, database gone): the profile still helps for this visit; say so.
      console.warn('voice profile not saved', error);
      this.profileNotSaved = (error as Error)?.message ?? String(error);
    }
  }

  /**
   * Calibration: the speaker reads short neutral sentences; only their voice's statistics are
   * kept (never the audio). Resolves when all sentences were recorded or one failed.
   */
  async calibrate(): Promise<void> {
    for (let step = 0; step < CALIBRATION_SENTENCE_COUNT; step++) {
      this.calibrationStep = step;
      if (!(await this.listen()).ok) break;
    }
    this.calibrationStep = null;
  }

  /** Forgets everything learned about this voice. */
  async resetProfile(): Promise<void> {
    this.#stats = null;
    this.profile = { recordings: 0, utterances: 0, calibrated: false, matureAt: this.#matureAt };
    this.profileNotSaved = null;
    await this.#db().deleteVoiceProfile();
  }

  #fail(code: VoiceErrorCode | 'failed', error: unknown): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#recording = null;
    this.error = { code: code === 'failed' ? 'model-failed' : code, detail: (error as Error)?.message ?? String(error) };
    this.phase = 'error';
    this.#settle({ ok: false, ...this.error });
  }

  /** Answers the waiting {@link listen}, if any. */
  #settle(outcome: VoiceOutcome): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.(outcome);
  }
}
