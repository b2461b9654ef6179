import FFT from 'fft.js';
import { resample } from '../../core/audio/resample.ts';
import { gaussian, mulberry32 } from '../../core/random.ts';

/**
 * Training-time augmentation for laptop microphones in real rooms. Every transform is a
 * plain function of the waveform and a seeded random source, so a run is reproducible.
 * Augmented waveforms then go through the app's own feature code (`SpeechAnalyser`): the
 * model never sees features computed any other way.
 */

/** Deterministic PRNG (mulberry32): 32-bit state, uniform in [0, 1). */
export const createRng = mulberry32;

function uniform(rng: () => number, low: number, high: number): number {
  return low + (high - low) * rng();
}


function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/**
 * Speed perturbation (Ko et al. 2015): play `factor` times faster, which raises pitch and
 * shortens duration together (both by `factor`), via the band-limited resampler.
 */
export function changeSpeed(samples: Float32Array, sampleRateHz: number, factor: number): Float32Array {
  if (factor === 1) return samples.slice();
  return resample(samples, Math.round(sampleRateHz * factor), sampleRateHz);
}

/** Linear convolution by FFT (fft.js), output truncated to the input's length. */
export function convolve(signal: Float32Array, kernel: Float32Array): Float32Array {
  let size = 1;
  while (size < signal.length + kernel.length - 1) size *= 2;
  const fft = new FFT(size);
  const a = new Float64Array(size);
  a.set(signal);
  const b = new Float64Array(size);
  b.set(kernel);
  // Typed arrays: fft.js accepts them and they are several times faster than its default arrays.
  const fa = new Float64Array(2 * size);
  const fb = new Float64Array(2 * size);
  fft.realTransform(fa, a);
  fft.completeSpectrum(fa);
  fft.realTransform(fb, b);
  fft.completeSpectrum(fb);
  for (let k = 0; k < size; k++) {
    const re = fa[2 * k] * fb[2 * k] - fa[2 * k + 1] * fb[2 * k + 1];
    const im = fa[2 * k] * fb[2 * k + 1] + fa[2 * k + 1] * fb[2 * k];
    fa[2 * k] = re;
    fa[2 * k + 1] = im;
  }
  const out = new Float64Array(2 * size);
  fft.inverseTransform(out, fa);
  const result = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) result[i] = out[2 * i];
  return result;
}

/**
 * A synthetic room impulse response: a direct path, then Gaussian noise whose energy decays
 * by 60 dB over `rt60Seconds` (Schroeder's statistical model of a diffuse late field), its
 * level set by the direct-to-reverberant ratio `drrDb`.
 */
export function syntheticRoomImpulse(sampleRateHz: number, rt60Seconds: number, drrDb: number, rng: () => number): Float32Array {
  const length = Math.max(1, Math.round(rt60Seconds * sampleRateHz));
  const ir = new Float32Array(length);
  const decayPerSample = Math.log(1000) / (rt60Seconds * sampleRateHz); // 60 dB in amplitude = ×1000
  const onset = Math.round(0.002 * sampleRateHz);
  let tailEnergy = 0;
  for (let i = onset; i < length; i++) {
    ir[i] = gaussian(rng) * Math.exp(-decayPerSample * (i - onset));
    tailEnergy += ir[i] * ir[i];
  }
  const tailGain = Math.sqrt(10 ** (-drrDb / 10) / Math.max(tailEnergy, 1e-12));
  for (let i = onset; i < length; i++) ir[i] *= tailGain;
  ir[0] = 1;
  return ir;
}

/** RBJ audio-EQ-cookbook biquad coefficients. */
interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function biquad(type: 'highpass' | 'lowpass' | 'peaking', frequencyHz: number, sampleRateHz: number, q: number, gainDb = 0): Biquad {
  const w = (2 * Math.PI * Math.min(frequencyHz, 0.45 * sampleRateHz)) / sampleRateHz;
  const cos = Math.cos(w);
  const alpha = Math.sin(w) / (2 * q);
  let b0: number;
  let b1: number;
  let b2: number;
  let a0: number;
  let a1: number;
  let a2: number;
  if (type === 'peaking') {
    const a = 10 ** (gainDb / 40);
    [b0, b1, b2, a0, a1, a2] = [1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a];
  } else if (type === 'highpass') {
    [b0, b1, b2, a0, a1, a2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
  } else {
    [b0, b1, b2, a0, a1, a2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

function applyBiquad(samples: Float32Array, f: Biquad): void {
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    samples[i] = y;
  }
}

/** Coloured noise: white filtered to a 1/f^`exponent` power slope (0 white, 1 pink, 2 brown), unit RMS. */
export function colouredNoise(length: number, exponent: number, rng: () => number): Float32Array {
  const white = new Float32Array(length);
  for (let i = 0; i < length; i++) white[i] = gaussian(rng);
  if (exponent === 0) return white;
  let size = 1;
  while (size < length) size *= 2;
  const fft = new FFT(size);
  const padded = new Float64Array(size);
  padded.set(white);
  const spectrum = new Float64Array(2 * size);
  fft.realTransform(spectrum, padded);
  fft.completeSpectrum(spectrum);
  for (let k = 1; k < size; k++) {
    const bin = Math.min(k, size - k);
    const gain = 1 / bin ** (exponent / 2);
    spectrum[2 * k] *= gain;
    spectrum[2 * k + 1] *= gain;
  }
  spectrum[0] = spectrum[1] = 0;
  const out = new Float64Array(2 * size);
  fft.inverseTransform(out, spectrum);
  const noise = new Float32Array(length);
  for (let i = 0; i < length; i++) noise[i] = out[2 * i];
  const level = rms(noise);
  for (let i = 0; i < length; i++) noise[i] /= level || 1;
  return noise;
}

/** Mains hum: 50 or 60 Hz and a few odd harmonics, unit RMS. */
function hum(length: number, sampleRateHz: number, rng: () => number): Float32Array {
  const f0 = rng() < 0.5 ? 50 : 60;
  const out = new Float32Array(length);
  const phases = [rng(), rng(), rng()].map((p) => 2 * Math.PI * p);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRateHz;
    out[i] = Math.sin(2 * Math.PI * f0 * t + phases[0]) + 0.5 * Math.sin(2 * Math.PI * 3 * f0 * t + phases[1]) + 0.3 * Math.sin(2 * Math.PI * 5 * f0 * t + phases[2]);
  }
  const level = rms(out);
  for (let i = 0; i < length; i++) out[i] /= level;
  return out;
}

/** Adds `noise` (any level) to `speech` in place at `snrDb` relative to the speech's RMS over its loud half. */
export function addNoise(speech: Float32Array, noise: Float32Array, snrDb: number): void {
  const speechLevel = activeRms(speech);
  const noiseLevel = rms(noise) || 1;
  const gain = (speechLevel / noiseLevel) * 10 ** (-snrDb / 20);
  for (let i = 0; i < speech.length; i++) speech[i] += gain * noise[i % noise.length];
}

/** RMS over the louder half of 20 ms blocks: the speech level, not diluted by pauses. */
function activeRms(samples: Float32Array): number {
  const block = 320;
  const powers: number[] = [];
  for (let start = 0; start + block <= samples.length; start += block) {
    let sum = 0;
    for (let i = start; i < start + block; i++) sum += samples[i] * samples[i];
    powers.push(sum / block);
  }
  if (powers.length === 0) return rms(samples);
  powers.sort((a, b) => b - a);
  const loud = powers.slice(0, Math.max(1, Math.ceil(powers.length / 2)));
  return Math.sqrt(loud.reduce((a, b) => a + b, 0) / loud.length);
}

/**
 * How one recording situation sounds: a voice (speed perturbation changes its pitch and
 * tempo together), a room, a microphone and what else is audible. Drawn once per speaker and
 * variant, so all of a (pseudo-)speaker's clips share it, as a user's recordings share their
 * voice, room and laptop: a voice profile built from such clips matches the clip it normalises,
 * which profiles mixed from differently augmented clips never did.
 */
export interface RecordingCondition {
  /** Playback speed (1 = unchanged); pitch and tempo scale together. */
  speedFactor: number;
  room: { rt60Seconds: number; drrDb: number } | null;
  microphone: { highpassHz: number; lowpassHz: number | null; peakHz: number; peakDb: number } | null;
  noise: { kind: 'pink' | 'brown' | 'white' | 'hum' | 'babble'; snrDb: number } | null;
  gainDb: number;
  /** Hard clipping at this fraction of the peak, or null. */
  clipCeiling: number | null;
}

/**
 * A random "laptop in a room" for training: speed 0.9–1.1 (p 0.7), reverberation RT60
 * 0.15–0.8 s at DRR −2…+12 dB (p 0.5), microphone colouring (p 0.6), noise at 3–30 dB SNR —
 * pink, brown, white, mains hum or another speaker's babble — (p 0.7), gain ±4 dB, and
 * occasionally hard clipping (p 0.05).
 */
export function drawTrainingCondition(rng: () => number): RecordingCondition {
  const speedFactor = rng() < 0.7 ? uniform(rng, 0.9, 1.1) : 1;
  const room = rng() < 0.5 ? { rt60Seconds: uniform(rng, 0.15, 0.8), drrDb: uniform(rng, -2, 12) } : null;
  const microphone =
    rng() < 0.6
      ? {
          highpassHz: uniform(rng, 60, 350),
          lowpassHz: rng() < 0.5 ? (rng() < 0.3 ? 3400 : uniform(rng, 4000, 7500)) : null,
          peakHz: uniform(rng, 1500, 5000),
          peakDb: uniform(rng, -6, 6),
        }
      : null;
  let noise: RecordingCondition['noise'] = null;
  if (rng() < 0.7) {
    const snrDb = uniform(rng, 3, 30);
    const kind = rng();
    noise = { kind: kind < 0.25 ? 'babble' : kind < 0.45 ? 'pink' : kind < 0.65 ? 'brown' : kind < 0.85 ? 'white' : 'hum', snrDb };
  }
  const gainDb = uniform(rng, -4, 4);
  const clipCeiling = rng() < 0.05 ? uniform(rng, 0.3, 0.7) : null;
  return { speedFactor, room, microphone, noise, gainDb, clipCeiling };
}

/**
 * The evaluation room of the issue that set Norae's targets: light echo (RT60 0.3–0.6 s, the
 * direct sound 6–12 dB above the reverberation) and steady noise (pink or brown, like a fan or
 * traffic) 10–15 dB below the speech. Never used for training.
 */
export function drawRoomTestCondition(rng: () => number): RecordingCondition {
  return {
    speedFactor: 1,
    room: { rt60Seconds: uniform(rng, 0.3, 0.6), drrDb: uniform(rng, 6, 12) },
    microphone: null,
    noise: { kind: rng() < 0.5 ? 'pink' : 'brown', snrDb: uniform(rng, 10, 15) },
    gainDb: 0,
    clipCeiling: null,
  };
}

/** A short description of a condition, for the training log. */
export function describeCondition(c: RecordingCondition): string {
  const parts: string[] = [];
  if (c.speedFactor !== 1) parts.push(`speed${c.speedFactor.toFixed(3)}`);
  if (c.room) parts.push(`rt${c.room.rt60Seconds.toFixed(2)}drr${c.room.drrDb.toFixed(0)}`);
  if (c.microphone) parts.push(`hp${c.microphone.highpassHz.toFixed(0)}${c.microphone.lowpassHz ? `,lp${c.microphone.lowpassHz.toFixed(0)}` : ''},eq${c.microphone.peakHz.toFixed(0)}:${c.microphone.peakDb.toFixed(1)}`);
  if (c.noise) parts.push(`${c.noise.kind}@${c.noise.snrDb.toFixed(0)}dB`);
  parts.push(`gain${c.gainDb.toFixed(1)}`);
  if (c.clipCeiling !== null) parts.push('clipped');
  return parts.join(' ');
}

/** What one augmented copy went through (for the training log). */
export interface AugmentResult {
  samples: Float32Array;
  description: string;
}

/**
 * Renders a clean utterance in `condition`; `rng` draws what differs between clips of the same
 * situation (the room's impulse-response realisation, the noise samples).
 * `babble`: another speaker's utterance to mix in as background talk (else pink noise).
 */
export function renderCondition(clean: Float32Array, sampleRateHz: number, condition: RecordingCondition, rng: () => number, babble?: Float32Array | null): Float32Array {
  let x = condition.speedFactor !== 1 ? changeSpeed(clean, sampleRateHz, condition.speedFactor) : clean.slice();
  if (condition.room) {
    const before = activeRms(x);
    x = convolve(x, syntheticRoomImpulse(sampleRateHz, condition.room.rt60Seconds, condition.room.drrDb, rng));
    const after = activeRms(x) || 1;
    for (let i = 0; i < x.length; i++) x[i] *= before / after;
  }
  const mic = condition.microphone;
  if (mic) {
    applyBiquad(x, biquad('highpass', mic.highpassHz, sampleRateHz, Math.SQRT1_2));
    if (mic.lowpassHz) applyBiquad(x, biquad('lowpass', mic.lowpassHz, sampleRateHz, Math.SQRT1_2));
    applyBiquad(x, biquad('peaking', mic.peakHz, sampleRateHz, 1, mic.peakDb));
  }
  if (condition.noise) {
    const kind = condition.noise.kind === 'babble' && !babble ? 'pink' : condition.noise.kind;
    const noise =
      kind === 'babble' ? (babble as Float32Array)
      : kind === 'pink' ? colouredNoise(x.length, 1, rng)
      : kind === 'brown' ? colouredNoise(x.length, 2, rng)
      : kind === 'white' ? colouredNoise(x.length, 0, rng)
      : hum(x.length, sampleRateHz, rng);
    addNoise(x, noise, condition.noise.snrDb);
  }
  const gain = 10 ** (condition.gainDb / 20);
  for (let i = 0; i < x.length; i++) x[i] *= gain;
  if (condition.clipCeiling !== null) {
    const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const ceiling = peak * condition.clipCeiling;
    for (let i = 0; i < x.length; i++) x[i] = Math.max(-ceiling, Math.min(ceiling, x[i]));
  }
  return x;
}

/** One random training rendering of a clean utterance (a condition drawn from `rng`, then rendered). */
export function augmentUtterance(clean: Float32Array, sampleRateHz: number, rng: () => number, babble?: Float32Array | null): AugmentResult {
  const condition = drawTrainingCondition(rng);
  return { samples: renderCondition(clean, sampleRateHz, condition, rng, babble), description: describeCondition(condition) };
}
