/**
 * Runs in Chromium (bundled by run.ts): times the app's own predictor on a 4-second utterance
 * and on 10 minutes of audio, on one tfjs backend (or the app's automatic choice).
 */
import * as tf from '@tensorflow/tfjs';
import { loadSpeechEmotionModel } from '../../../adapters/ml/speech-emotion-model.ts';
import { selectBackend, webglRenderer, type TfBackendName } from '../../../adapters/ml/tf-backend.ts';
import { mergeVoiceProfiles } from '../../../core/speech/voice-profile.ts';

export interface BrowserTiming {
  chosen: TfBackendName;
  renderer: string;
  /** Milliseconds of `warmUp()` right after loading (kernel set-up, WebGL shader compilation). */
  warmUpMs: number;
  /** Milliseconds of `predict()` on the 4 s clip after the warm-up: the first call, then the median of 10. */
  firstMs: number;
  warmMs: number;
  /**
   * The same 4 s clip read with a mature voice profile (the clip's own statistics, three times):
   * an adapted reading, which with a profile weighting also runs the cold pass its weight comes
   * from. First call, then the median of 10; and the weight it got.
   */
  adaptedFirstMs: number;
  adaptedWarmMs: number;
  adaptedWeight: number;
  tenMinutesMs: number;
  tenMinutesWindows: number;
  /** Tensors alive after all runs (the model's weights only, when nothing leaks). */
  tensors: number;
}

async function time(backend: TfBackendName | 'auto'): Promise<BrowserTiming> {
  const chosen = await selectBackend({ order: backend === 'auto' ? undefined : [backend], wasmPathPrefix: '/tfjs/', allowSoftwareWebgl: backend === 'webgl' });
  const predictor = await loadSpeechEmotionModel('/model/');
  const warmUpStarted = performance.now();
  await predictor.warmUp();
  const warmUpMs = performance.now() - warmUpStarted;
  const clip = new Float32Array(await (await fetch('/clip.f32')).arrayBuffer());
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    await predictor.predict(clip, 16000);
    times.push(performance.now() - t0);
  }
  const own = predictor.analyse(clip, 16000).profileContribution;
  const profile = mergeVoiceProfiles(mergeVoiceProfiles(own, own), own);
  const adaptedTimes: number[] = [];
  let adaptedWeight = Number.NaN;
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    const reading = await predictor.predict(clip, 16000, profile);
    adaptedTimes.push(performance.now() - t0);
    if (!reading.adapted) throw new Error('the timing profile did not adapt the reading');
    adaptedWeight = reading.profileWeight;
  }
  const adaptedWarm = adaptedTimes.slice(1).sort((a, b) => a - b);
  const long = new Float32Array(16000 * 600);
  for (let i = 0; i < long.length; i++) long[i] = clip[i % clip.length];
  const t0 = performance.now();
  const result = await predictor.predict(long, 16000);
  const tenMinutesMs = performance.now() - t0;
  const warm = times.slice(2).sort((a, b) => a - b);
  return {
    chosen,
    renderer: chosen === 'webgl' ? webglRenderer() : '',
    warmUpMs,
    firstMs: times[0],
    warmMs: warm[Math.floor(warm.length / 2)],
    adaptedFirstMs: adaptedTimes[0],
    adaptedWarmMs: adaptedWarm[Math.floor(adaptedWarm.length / 2)],
    adaptedWeight,
    tenMinutesMs,
    tenMinutesWindows: result.windowCount,
    tensors: tf.memory().numTensors,
  };
}

(globalThis as unknown as { timeSpeechModel: typeof time }).timeSpeechModel = time;
