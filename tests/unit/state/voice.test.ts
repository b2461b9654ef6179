import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordingOptions } from '../../../src/adapters/audio/microphone.ts';
import type { LibraryDb } from '../../../src/adapters/storage/library-db.ts';
import { SpeechInputError } from '../../../src/core/speech/speech-error.ts';

/** The microphone, faked: a test says what it hears and when it goes away. */
const mic = {
  options: null as RecordingOptions | null,
  samples: new Float32Array(16000 * 3).fill(0.1),
  denied: false,
  stopped: 0,
};
vi.mock('../../../src/adapters/audio/microphone.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/adapters/audio/microphone.ts')>();
  return {
    ...real,
    startRecording: async (options: RecordingOptions) => {
      if (mic.denied) throw new real.MicrophoneError('denied');
      mic.options = options;
      return {
        sampleRateHz: 16000,
        stop: async () => ((mic.stopped += 1), { samples: mic.samples, sampleRateHz: 16000 }),
        cancel: () => undefined,
      };
    },
  };
});

/** The voice model, faked: reads "happy" unless told to refuse the audio. */
const model = { refuse: null as SpeechInputError | null, predictions: 0 };
const predictor = {
  unsupportedLabels: ['contempt'],
  metadata: { adaptation: { minProfileUtterances: 1 }, features: { sampleRateHz: 16000 } },
  warmUp: async () => undefined,
  predict: async () => {
    model.predictions += 1;
    if (model.refuse) throw model.refuse;
    return { top: 'happy', confidence: 0.8, valence: 0.5, arousal: 0.3, clippedFraction: 0, profileContribution: { utteranceCount: 2 } };
  },
};
vi.mock('../../../src/adapters/ml/tf-backend.ts', () => ({ selectBackend: async () => 'cpu', activeBackend: () => 'cpu' }));
vi.mock('../../../src/adapters/ml/speech-emotion-model.ts', () => ({ loadSpeechEmotionModel: async () => predictor }));

const { VoiceState } = await import('../../../src/state/voice.svelte.ts');

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
  expect(voice.phase).toBe(phase);
}

describe('VoiceState', () => {
  beforeEach(() => {
    mic.options = null;
    mic.denied = false;
    mic.stopped = 0;
    model.refuse = null;
    model.predictions = 0;
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
});
