import type { EmotionLabel } from '../core/emotion/emotions.ts';
import { assessRecording, type RecordingWarning } from '../core/recording/voice-activity.ts';
import { isSpeechInputError, type SpeechInputErrorCode } from '../core/speech/speech-error.ts';
import type { VoiceProfileStats } from '../core/speech/voice-profile.ts';
import { decodeAudio, DecodeError } from '../adapters/audio/decode.ts';
import { MicrophoneError, startRecording, type MicrophoneErrorCode, type Recording } from '../adapters/audio/microphone.ts';
import type { LibraryDb } from '../adapters/storage/library-db.ts';
import type { SpeechEmotionPredictor, SpeechEmotionResult } from '../adapters/ml/speech-emotion-model.ts';

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

/** Neutral sentences for calibration: ordinary, emotion-free speech from the speaker. */
export const CALIBRATION_SENTENCE_COUNT = 3;

let predictorPromise: Promise<SpeechEmotionPredictor> | null = null;

/** Loads tfjs (chosen backend shared with the face model) and the voice model, once, lazily. */
export function loadVoiceModel(): Promise<SpeechEmotionPredictor> {
  predictorPromise ??= (async () => {
    const [{ selectBackend }, { loadSpeechEmotionModel }] = await Promise.all([
      import('../adapters/ml/tf-backend.ts'),
      import('../adapters/ml/speech-emotion-model.ts'),
    ]);
    // One backend for the voice and face models (wasm where WebGL is only emulated on the CPU).
    await selectBackend();
    const predictor = await loadSpeechEmotionModel(SPEECH_MODEL_URL);
    // Compile the kernels now, so the first real recording is answered within ~100 ms.
    await predictor.warmUp();
    return predictor;
  })();
  predictorPromise.catch(() => (predictorPromise = null));
  return predictorPromise;
}

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
  #recording: Recording | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #stats: VoiceProfileStats | null = null;
  #matureAt = 1;

  constructor(db: () => LibraryDb) {
    this.#db = db;
  }

  /** Loads the model and the stored profile ahead of the first recording (the panel opened). */
  async prepare(): Promise<void> {
    try {
      const predictor = await loadVoiceModel();
      this.unsupported = predictor.unsupportedLabels;
      const { activeBackend } = await import('../adapters/ml/tf-backend.ts');
      this.backend = activeBackend();
      await this.#loadProfile(predictor);
    } catch (error) {
      this.#fail('model-failed', error);
    }
  }

  async #loadProfile(predictor: SpeechEmotionPredictor): Promise<void> {
    this.#matureAt = predictor.metadata.adaptation.minProfileUtterances;
    if (this.#stats) return;
    const stored = await this.#db().getVoiceProfile();
    const { parseVoiceProfile } = await import('../core/speech/voice-profile.ts');
    // A profile made for another model layout is ignored (and replaced as the user speaks).
    this.#stats = stored ? parseVoiceProfile(stored.stats, predictor.metadata) : null;
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

  /** Starts recording; it stops by itself when the speaker stops (or after 30 s). */
  async record(): Promise<void> {
    if (this.phase === 'recording' || this.phase === 'analysing') return;
    this.error = null;
    this.phase = 'loading';
    const model = loadVoiceModel().catch((e: unknown) => e);
    try {
      this.#recording = await startRecording({
        stopAfterSilenceSeconds: 1.5,
        maxSeconds: 30,
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
    void model;
  }

  /**
   * Stops the recording (the microphone is released at once) and reads the emotion;
   * `interrupted`: the microphone went away mid-recording (what was recorded is still read).
   */
  async stop(interrupted = false): Promise<VoiceReading | null> {
    const recording = this.#recording;
    if (!recording) return null;
    this.#recording = null;
    if (this.#timer) clearInterval(this.#timer);
    this.levelDb = -100;
    const { samples, sampleRateHz } = await recording.stop();
    return this.#analyse(samples, sampleRateHz, 'microphone', null, interrupted);
  }

  /** Abandons a recording without analysing it. */
  cancel(): void {
    this.#recording?.cancel();
    this.#recording = null;
    if (this.#timer) clearInterval(this.#timer);
    this.phase = 'idle';
  }

  /** Reads the emotion in an audio file (any length: long files are analysed in windows). */
  async openFile(file: File): Promise<VoiceReading | null> {
    this.error = null;
    this.phase = 'analysing';
    let predictor: SpeechEmotionPredictor;
    try {
      predictor = await loadVoiceModel();
    } catch (error) {
      this.#fail('model-failed', error);
      return null;
    }
    try {
      // Decode straight to the model's rate: ten minutes of audio stay small.
      const decoded = await decodeAudio(await file.arrayBuffer(), predictor.metadata.features.sampleRateHz);
      const { downmixToMono } = await import('../core/audio/downmix.ts');
      return await this.#analyse(downmixToMono(decoded.channels), decoded.sampleRateHz, 'file', file.name);
    } catch (error) {
      this.#fail(error instanceof DecodeError ? 'not-audio' : 'file-failed', error);
      return null;
    }
  }

  async #analyse(
    samples: Float32Array,
    sampleRateHz: number,
    source: VoiceReading['source'],
    fileName: string | null,
    interrupted = false,
  ): Promise<VoiceReading | null> {
    this.phase = 'analysing';
    const start = performance.now();
    let predictor: SpeechEmotionPredictor;
    try {
      predictor = await loadVoiceModel();
      await this.#loadProfile(predictor);
    } catch (error) {
      this.#fail('model-failed', error);
      return null;
    }
    const warnings = source === 'microphone' ? assessRecording(samples, sampleRateHz).warnings : [];
    if (interrupted) warnings.unshift('interrupted');
    try {
      const result = await predictor.predict(samples, sampleRateHz, this.#stats);
      const reading: VoiceReading = {
        result,
        samples,
        sampleRateHz,
        source,
        fileName,
        warnings: result.clippedFraction > 0.001 && !warnings.includes('clipping') ? [...warnings, 'clipping'] : warnings,
        latencyMs: performance.now() - start,
      };
      this.reading = reading;
      this.phase = 'done';
      // Every recording teaches the profile a little more about this voice.
      if (source === 'microphone') await this.#learn(result.profileContribution, this.calibrationStep !== null);
      if (source === 'microphone' && this.calibrationStep !== null) this.onCalibrationReading?.(result);
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
      await this.record();
      if (this.phase !== 'recording') break;
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (this.phase === 'done' || this.phase === 'error' || this.phase === 'idle') {
            clearInterval(check);
            resolve();
          }
        }, 100);
      });
      if ((this.phase as VoicePhase) === 'error') break;
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
  }
}
