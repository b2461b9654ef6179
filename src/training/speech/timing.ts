import type { TfBackendName } from '../../adapters/ml/tf-backend.ts';
import type { NodeAudioDecoder } from './decode-audio.ts';
import { loadSpeechModelFromDisk } from './node-model.ts';

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Milliseconds for `predict()` (features + model, the whole app-side cost after recording
 * stops) on a 4-second utterance built by looping `clipPath`, median of 10 runs after 2
 * warm-ups, per Node backend. A proxy for Chromium: there WebGL is normally faster than wasm
 * for the convolutions, and the feature code is the same JavaScript.
 */
export async function measureInference(modelDir: string, clipPath: string, decoder: NodeAudioDecoder, backends: TfBackendName[] = ['wasm', 'cpu']): Promise<Record<string, number>> {
  const audio = await decoder.decodeFile(clipPath);
  const length = Math.round(4 * audio.sampleRateHz);
  const samples = new Float32Array(length);
  for (let i = 0; i < length; i++) samples[i] = audio.samples[i % audio.samples.length];
  const out: Record<string, number> = {};
  for (const wanted of backends) {
    const { predictor, backend } = await loadSpeechModelFromDisk(modelDir, wanted);
    if (backend !== wanted) {
      predictor.dispose();
      continue;
    }
    const featureTimes: number[] = [];
    const totalTimes: number[] = [];
    for (let run = 0; run < 12; run++) {
      const t0 = performance.now();
      const analysed = predictor.analyse(samples, audio.sampleRateHz);
      const t1 = performance.now();
      await predictor.predictAnalysed(analysed);
      const t2 = performance.now();
      if (run >= 2) {
        featureTimes.push(t1 - t0);
        totalTimes.push(t2 - t0);
      }
    }
    out[`${backend} total`] = median(totalTimes);
    out[`${backend} features`] = median(featureTimes);
    predictor.dispose();
  }
  return out;
}
