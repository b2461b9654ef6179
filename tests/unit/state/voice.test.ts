import { beforeEach, describe, expect, it } from 'vitest';
import { MicrophoneError, type RecordingOptions } from '../../../src/adapters/audio/microphone.ts';
import type { LibraryDb } from '../../../src/adapters/storage/library-db.ts';
import { SpeechInputError } from '../../../src/core/speech/speech-error.ts';
import { VoiceState as RealVoiceState, type VoiceDeps } from '../../../src/state/voice.svelte.ts';
import type { VoiceReader } from '../../../src/workers/voice-client.ts';
import { WorkerTaskError } from '../../../src/workers/worker-pool.ts';

/** The microphone, faked: a test says what it hears and when it goes away. */
const mic = {
  options: null as RecordingOptions | null,
  samples: new Float32Array(16000 * 3).fill(0.1),
  denied: false,
  stopped: 0,
};

/** A recording's share of the voice profile: two utterances of two mel bands and one statistic. */
const contribution = { format: 'norae-voice-profile', version: 1, featureKey: 'k', frameCount: 100, melMeanDb: [-30, -40], melM2: [10, 10], utteranceCount: 2, statsMean: [0.5], statsM2: [1] };

/** The voice model in its worker, faked: reads "happy" unless told to refuse the audio. */
const model = { refuse: null as SpeechInputError | null, predictions: 0, loadFails: false };
const reader = {
  unsupportedLabels: ['contempt'],
  backend: 'wasm',
  metadata: { adaptation: { minProfileUtterances: 1 }, features: { sampleRateHz: 16000 } },
  read: async (channels: Float32Array[]) => {
    model.predictions += 1;
    if (model.refuse) throw model.refuse;
    return {
      result: { top: 'happy', confidence: 0.8, valence: 0.5, arousal: 0.3, clippedFraction: 0, profileContribution: contribution },
      samples: channels[0],
      warnings: [],
    };
  },
};

const deps: VoiceDeps = {
  loadReader: async () => {
    if (model.loadFails) throw new Error('the model files are missing');
    return reader as unknown as VoiceReader;
  },
  startRecording: async (options: RecordingOptions) => {
    if (mic.denied) throw new MicrophoneError('denied');
    mic.options = options;
    return {
      sampleRateHz: 16000,
      stop: async () => ((mic.stopped += 1), { samples: mic.samples, sampleRateHz: 16000, durationSeconds: 3 }),
      cancel: () => undefined,
    };
  },
  decode: async () => ({ channels: [mic.samples], sampleRateHz: 16000 }),
};

class VoiceState extends RealVoiceState {
  constructor(db: () => LibraryDb) {
    super(db, deps);
  }
}

function fakeDb(put: () => Promise<void> = async () => undefined): LibraryDb & { puts: number } {
  const db = {
    puts: 0,
    getVoiceProfile: async () => undefined,
    putVoiceProfile: async () => ((db.puts += 1), put()),
    deleteVoiceProfile: async () => undefined,
  };
  return db as unknown as LibraryDb & { puts: number };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function untilPhase(voice: InstanceType<typeof VoiceState>, phase: string): Promise<void> {
  for (let i = 0; i < 200 && voice.phase !== phase; i++) await settle();
  expect(voice.phase, JSON.stringify(voice.error)).toBe(phase);
}

describe('VoiceState', () => {
  beforeEach(() => {
    mic.options = null;
    mic.denied = false;
    mic.stopped = 0;
    model.refuse = null;
    model.predictions = 0;
    model.loadFails = false;
  });

  it('records, stops by itself when the speaker stops, reads the voice and learns the profile', async () => {
    const db = fakeDb();
    const voice = new VoiceState(() => db);
    await voice.record();
    expect(voice.phase).toBe('recording');
    mic.options?.onAutoStop?.('silence');
    await untilPhase(voice, 'done');
    expect(mic.stopped).toBe(1);
    expect(voice.reading?.result.top).toBe('happy');
    expect(voice.reading?.warnings).not.toContain('interrupted');
    expect(voice.profile).toMatchObject({ recordings: 1, utterances: 2 });
    expect(db.puts).toBe(1);
  });

  it('a microphone that goes away mid-recording ends the recording and says so', async () => {
    const voice = new VoiceState(() => fakeDb());
    await voice.record();
    mic.options?.onAutoStop?.('device-ended');
    await untilPhase(voice, 'done');
    expect(voice.recording).toBe(false);
    expect(voice.reading?.warnings[0]).toBe('interrupted');
  });

  it('too little heard before the microphone went away is its own error, not "speak longer"', async () => {
    model.refuse = new SpeechInputError('too-short', 'not enough speech');
    const voice = new VoiceState(() => fakeDb());
    await voice.record();
    mic.options?.onAutoStop?.('device-ended');
    await untilPhase(voice, 'error');
    expect(voice.error?.code).toBe('interrupted');
    model.refuse = new SpeechInputError('too-short', 'not enough speech');
    await voice.record();
    mic.options?.onAutoStop?.('silence');
    await untilPhase(voice, 'error');
    expect(voice.error?.code).toBe('too-short');
  });

  it('a denied microphone is an error the panel can name', async () => {
    mic.denied = true;
    const voice = new VoiceState(() => fakeDb());
    await voice.record();
    expect(voice.phase).toBe('error');
    expect(voice.error?.code).toBe('denied');
  });

  it('a profile the disk refuses still helps for this visit, and the panel is told', async () => {
    const voice = new VoiceState(() => fakeDb(async () => Promise.reject(new DOMException('The disk is full', 'QuotaExceededError'))));
    await voice.record();
    mic.options?.onAutoStop?.('silence');
    await untilPhase(voice, 'done');
    expect(voice.reading?.result.top).toBe('happy');
    expect(voice.profile?.recordings).toBe(1);
    expect(voice.profileNotSaved).toBe('The disk is full');
  });

  describe('listen: a reading as a promise', () => {
    it('resolves with the reading once the speaker stops, says when the microphone stopped, and keeps to the time limit', async () => {
      const voice = new VoiceState(() => fakeDb());
      const events: string[] = [];
      const heard = voice.listen({ maxSeconds: 12, onRecorded: () => events.push('recorded') });
      await untilPhase(voice, 'recording');
      expect(mic.options?.maxSeconds).toBe(12);
      const before = performance.now();
      mic.options?.onAutoStop?.('max-length');
      const outcome = await heard;
      expect(events).toEqual(['recorded']);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.reading.result.top).toBe('happy');
      expect(outcome.recordingEndedAtMs).toBeGreaterThanOrEqual(before);
      expect(voice.phase).toBe('done');
    });

    it('a denied microphone resolves to its code (it never rejects)', async () => {
      mic.denied = true;
      const outcome = await new VoiceState(() => fakeDb()).listen();
      expect(outcome).toMatchObject({ ok: false, code: 'denied' });
    });

    it('a model that cannot load resolves to model-failed', async () => {
      model.loadFails = true;
      const voice = new VoiceState(() => fakeDb());
      const heard = voice.listen();
      await untilPhase(voice, 'recording');
      mic.options?.onAutoStop?.('silence');
      expect(await heard).toMatchObject({ ok: false, code: 'model-failed', detail: 'the model files are missing' });
    });

    it("the worker's typed refusal keeps its code across the boundary", async () => {
      model.refuse = new WorkerTaskError('SpeechInputError', 'less than a second of speech', 'too-short') as unknown as SpeechInputError;
      const voice = new VoiceState(() => fakeDb());
      const heard = voice.listen();
      await untilPhase(voice, 'recording');
      mic.options?.onAutoStop?.('silence');
      expect(await heard).toMatchObject({ ok: false, code: 'too-short' });
      expect(voice.error?.code).toBe('too-short');
    });

    it('an aborted signal drops the recording unread: cancelled', async () => {
      const voice = new VoiceState(() => fakeDb());
      const controller = new AbortController();
      const heard = voice.listen({ signal: controller.signal });
      await untilPhase(voice, 'recording');
      controller.abort();
      expect(await heard).toMatchObject({ ok: false, code: 'cancelled' });
      expect(model.predictions).toBe(0);
      expect(voice.phase).toBe('idle');
    });

    it('a second listen while one is recording is refused, and the first goes on', async () => {
      const voice = new VoiceState(() => fakeDb());
      const first = voice.listen();
      await untilPhase(voice, 'recording');
      expect(await voice.listen()).toMatchObject({ ok: false, code: 'busy' });
      mic.options?.onAutoStop?.('silence');
      expect((await first).ok).toBe(true);
    });

    it('calibration listens to each sentence in turn and stops at the first that fails', async () => {
      const voice = new VoiceState(() => fakeDb());
      const sentences: number[] = [];
      voice.onCalibrationReading = () => sentences.push(voice.calibrationStep ?? -1);
      const calibration = voice.calibrate();
      for (let step = 0; step < 3; step++) {
        await untilPhase(voice, 'recording');
        expect(voice.calibrationStep).toBe(step);
        mic.options?.onAutoStop?.('silence');
        for (let i = 0; i < 200 && sentences.length <= step; i++) await settle();
      }
      await calibration;
      expect(sentences).toEqual([0, 1, 2]);
      expect(voice.profile).toMatchObject({ recordings: 3, calibrated: true });
      expect(voice.calibrationStep).toBeNull();

      model.refuse = new SpeechInputError('silent', 'nothing heard');
      const again = voice.calibrate();
      await untilPhase(voice, 'recording');
      mic.options?.onAutoStop?.('silence');
      await again;
      expect(voice.error?.code).toBe('silent');
      expect(model.predictions).toBe(4);
      expect(voice.calibrationStep).toBeNull();
    });
  });
});
