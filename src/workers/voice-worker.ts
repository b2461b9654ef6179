/// <reference lib="webworker" />
import { downmixToMono } from '../core/audio/downmix.ts';
import { assessRecording, type RecordingWarning } from '../core/recording/voice-activity.ts';
import type { SpeechModelMetadata } from '../core/speech/speech-contract.ts';
import type { VoiceProfileStats } from '../core/speech/voice-profile.ts';
import type { TfBackendName } from '../adapters/ml/tf-backend.ts';
import type { SpeechEmotionPredictor, SpeechEmotionResult } from '../adapters/ml/speech-emotion-model.ts';
import { exposeWorker, withTransfer, type TaskContext } from './rpc.ts';

/** What the page needs to know of the loaded model (its contract and the backend it runs on). */
export interface VoiceModelInfo {
  metadata: SpeechModelMetadata;
  unsupportedLabels: SpeechEmotionPredictor['unsupportedLabels'];
  backend: TfBackendName | null;
}

/** One reading: the result, the mono samples it read (moved back for display), the recording's warnings. */
export interface VoiceWorkerReading {
  result: SpeechEmotionResult;
  samples: Float32Array;
  warnings: RecordingWarning[];
}

let loaded: { url: string; predictor: Promise<SpeechEmotionPredictor> } | null = null;

/**
 * The voice model, loaded once per worker: tfjs picks its backend here (WebGL on an
 * OffscreenCanvas where a real GPU exists, else wasm), then the model is warmed up so the first
 * reading pays no kernel set-up. A worker that was ended (idle, crashed) loads it again.
 */
function predictorFor(modelUrl: string): Promise<SpeechEmotionPredictor> {
  if (loaded?.url === modelUrl) return loaded.predictor;
  const predictor = (async () => {
    const [{ selectBackend }, { loadSpeechEmotionModel }] = await Promise.all([import('../adapters/ml/tf-backend.ts'), import('../adapters/ml/speech-emotion-model.ts')]);
    await selectBackend();
    const model = await loadSpeechEmotionModel(new URL(modelUrl, self.location.origin).href);
    await model.warmUp();
    return model;
  })();
  loaded = { url: modelUrl, predictor };
  predictor.catch(() => (loaded = null));
  return predictor;
}

/** Loads and warms the model; answers with its contract and backend. */
async function prepare(arg: { modelUrl: string }): Promise<VoiceModelInfo> {
  const predictor = await predictorFor(arg.modelUrl);
  const { activeBackend } = await import('../adapters/ml/tf-backend.ts');
  return { metadata: predictor.metadata, unsupportedLabels: predictor.unsupportedLabels, backend: activeBackend() };
}

/**
 * Reads one recording or file: downmix, the recording's quality check (microphone only), the
 * speech features and the model — all the per-sample work, off the page's thread. Throws
 * SpeechInputError (its code survives the boundary) for silent or too-short audio.
 */
async function read(
  arg: { modelUrl: string; channels: Float32Array[]; sampleRateHz: number; profile: VoiceProfileStats | null; assess: boolean },
  ctx: TaskContext,
) {
  const predictor = await predictorFor(arg.modelUrl);
  ctx.progress(0.2);
  const samples = arg.channels.length === 1 ? arg.channels[0] : downmixToMono(arg.channels);
  const warnings = arg.assess ? assessRecording(samples, arg.sampleRateHz).warnings : [];
  const result = await predictor.predict(samples, arg.sampleRateHz, arg.profile);
  const reply: VoiceWorkerReading = { result, samples, warnings };
  // A Set: a buffer listed twice cannot be transferred.
  return withTransfer(reply, [...new Set<ArrayBufferLike>([samples.buffer, result.frames.data.buffer])] as ArrayBuffer[]);
}

export const voiceWorkerApi = { prepare, read };
export type VoiceWorkerApi = typeof voiceWorkerApi;

exposeWorker(voiceWorkerApi, self);
