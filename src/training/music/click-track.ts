import { mulberry32 } from './cross-validation.ts';

/** How to synthesise a test track with a known tempo. */
export interface ClickTrackOptions {
  bpm: number;
  durationSeconds: number;
  sampleRateHz: number;
  /** Add swung off-beat clicks (at 2/3 of the beat, 6 dB softer). */
  swing?: boolean;
  /** White noise level relative to full scale, dB (e.g. −30); omitted = no noise. */
  noiseDb?: number;
  /** Accent every 4th beat (+6 dB), as a bar would. */
  accents?: boolean;
  seed?: number;
}

/**
 * A click track: each click is a 20 ms burst of a 1 kHz tone plus noise with an exponential
 * decay (a woodblock-like transient that has energy across the spectrum, as drums do).
 */
export function synthesiseClickTrack(opts: ClickTrackOptions): Float32Array {
  const { bpm, durationSeconds, sampleRateHz } = opts;
  const random = mulberry32(opts.seed ?? 1);
  const samples = new Float32Array(Math.round(durationSeconds * sampleRateHz));
  const clickLength = Math.round(0.02 * sampleRateHz);
  const addClick = (time: number, gain: number): void => {
    const start = Math.round(time * sampleRateHz);
    for (let i = 0; i < clickLength && start + i < samples.length; i++) {
      const t = i / sampleRateHz;
      const envelope = Math.exp(-t / 0.004);
      samples[start + i] += gain * envelope * (0.6 * Math.sin(2 * Math.PI * 1000 * t) + 0.4 * (2 * random() - 1));
    }
  };
  const period = 60 / bpm;
  for (let beat = 0; beat * period < durationSeconds; beat++) {
    const accent = opts.accents && beat % 4 === 0 ? 1 : 0.5;
    addClick(beat * period, accent);
    if (opts.swing) addClick((beat + 2 / 3) * period, 0.25);
  }
  if (opts.noiseDb !== undefined) {
    const amplitude = 10 ** (opts.noiseDb / 20) * Math.sqrt(3);
    for (let i = 0; i < samples.length; i++) samples[i] += amplitude * (2 * random() - 1);
  }
  return samples;
}

/** Classifies an estimate against the truth: within 4 %, an octave error (×2, ×½), or other. */
export function tempoVerdict(estimatedBpm: number, trueBpm: number, tolerance = 0.04): 'correct' | 'octave' | 'wrong' {
  const ratio = estimatedBpm / trueBpm;
  if (Math.abs(ratio - 1) <= tolerance) return 'correct';
  for (const factor of [2, 0.5]) if (Math.abs(ratio / factor - 1) <= tolerance) return 'octave';
  return 'wrong';
}
