import { toDb } from './analysis-frame.ts';
import { GrowableArray } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/** 10 · log10(2): a mono signal played on two channels. */
const DUAL_MONO_GAIN_DB = 10 * Math.log10(2);

/** A biquad in direct form II transposed (used for K-weighting). */
class Biquad {
  z1 = 0;
  z2 = 0;
  constructor(
    readonly b0: number,
    readonly b1: number,
    readonly b2: number,
    readonly a1: number,
    readonly a2: number,
  ) {}
}

/**
 * ITU-R BS.1770 K-weighting re-derived for any rate (the standard's coefficients are for
 * 48 kHz): a +4 dB high shelf near 1.68 kHz, then a 38 Hz high-pass (pyloudnorm's parameters).
 */
function kWeightingFilters(sampleRateHz: number): [Biquad, Biquad] {
  const shelfGainDb = 3.99984385397;
  const shelfQ = 0.7071752369554193;
  const shelfHz = 1681.9744509555319;
  let k = Math.tan((Math.PI * shelfHz) / sampleRateHz);
  const vh = 10 ** (shelfGainDb / 20);
  const vb = vh ** 0.499666774155;
  let a0 = 1 + k / shelfQ + k * k;
  const shelf = new Biquad(
    (vh + (vb * k) / shelfQ + k * k) / a0,
    (2 * (k * k - vh)) / a0,
    (vh - (vb * k) / shelfQ + k * k) / a0,
    (2 * (k * k - 1)) / a0,
    (1 - k / shelfQ + k * k) / a0,
  );
  const highPassQ = 0.5003270373253953;
  const highPassHz = 38.13547087613982;
  k = Math.tan((Math.PI * highPassHz) / sampleRateHz);
  a0 = 1 + k / highPassQ + k * k;
  const highPass = new Biquad(1, -2, 1, (2 * (k * k - 1)) / a0, (1 - k / highPassQ + k * k) / a0);
  return [shelf, highPass];
}

/**
 * The whole song's level: its RMS, and its BS.1770 loudness from K-weighted mean squares per
 * 100 ms block (one number per block: an hour costs 290 kB, never the audio itself).
 */
export class LoudnessMeter {
  private readonly kFilters: [Biquad, Biquad];
  private readonly blocks = new GrowableArray(1024);
  private readonly blockLengthSamples: number;
  private blockSum = 0;
  private blockCount = 0;
  private sumSquares = 0;
  private sampleCount = 0;

  constructor(sampleRateHz: number) {
    this.kFilters = kWeightingFilters(sampleRateHz);
    this.blockLengthSamples = Math.round(sampleRateHz / 10);
  }

  /** Feeds finite samples at the meter's rate. */
  push(samples: Float32Array): void {
    const n = samples.length;
    const [shelf, highPass] = this.kFilters;
    let blockSum = this.blockSum;
    let blockCount = this.blockCount;
    const blockLength = this.blockLengthSamples;
    let sumSquares = 0;
    // The two K-weighting biquads, inlined (this loop runs once per sample).
    const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = shelf;
    const { b0: hb0, b1: hb1, b2: hb2, a1: ha1, a2: ha2 } = highPass;
    let s1 = shelf.z1;
    let s2 = shelf.z2;
    let h1 = highPass.z1;
    let h2 = highPass.z2;
    for (let i = 0; i < n; i++) {
      const x = samples[i];
      sumSquares += x * x;
      const y = sb0 * x + s1;
      s1 = sb1 * x - sa1 * y + s2;
      s2 = sb2 * x - sa2 * y;
      const k = hb0 * y + h1;
      h1 = hb1 * y - ha1 * k + h2;
      h2 = hb2 * y - ha2 * k;
      blockSum += k * k;
      if (++blockCount === blockLength) {
        this.blocks.push(blockSum / blockLength);
        blockSum = 0;
        blockCount = 0;
      }
    }
    shelf.z1 = s1;
    shelf.z2 = s2;
    highPass.z1 = h1;
    highPass.z2 = h2;
    this.blockSum = blockSum;
    this.blockCount = blockCount;
    this.sumSquares += sumSquares;
    this.sampleCount += n;
  }

  /** RMS level (dBFS), integrated loudness (LUFS) and loudness range (LU) of everything pushed. */
  features(): Pick<SongFeatures, 'rmsDb' | 'loudnessLufs' | 'loudnessRangeLu'> {
    const blocks = this.blocks.view();
    return {
      rmsDb: toDb(this.sumSquares / this.sampleCount),
      loudnessLufs: integratedLoudnessLufs(blocks),
      loudnessRangeLu: loudnessRangeLu(blocks),
    };
  }
}

/**
 * Loudness of a K-weighted mean square, LUFS. The mono mix is measured as if played on both
 * channels of a stereo pair (+3.01 dB), so a stereo song reads about what a BS.1770 meter says
 * of the original file.
 */
function lufs(meanSquare: number): number {
  return -0.691 + DUAL_MONO_GAIN_DB + 10 * Math.log10(Math.max(meanSquare, 1e-12));
}

/**
 * BS.1770 gated integrated loudness from K-weighted mean squares per 100 ms block. Silence gives
 * −70 LUFS (the absolute gate), never −∞.
 */
function integratedLoudnessLufs(blocks: Float64Array): number {
  // Momentary 400 ms blocks with 75 % overlap = 4 consecutive 100 ms blocks.
  const momentary: number[] = [];
  for (let i = 0; i + 4 <= blocks.length; i++) momentary.push((blocks[i] + blocks[i + 1] + blocks[i + 2] + blocks[i + 3]) / 4);
  if (momentary.length === 0 && blocks.length > 0) momentary.push(blocks.reduce((a, b) => a + b, 0) / blocks.length);
  const aboveAbsolute = momentary.filter((z) => lufs(z) > -70);
  if (aboveAbsolute.length === 0) return -70;
  const ungated = aboveAbsolute.reduce((a, b) => a + b, 0) / aboveAbsolute.length;
  const relativeGate = lufs(ungated) - 10;
  const gated = aboveAbsolute.filter((z) => lufs(z) > relativeGate);
  return lufs(gated.reduce((a, b) => a + b, 0) / gated.length);
}

/**
 * EBU Tech 3342 loudness range from K-weighted mean squares per 100 ms block: the spread of the
 * gated 3 s short-term loudness, 10th to 95th percentile. 0 LU when there is too little to gate.
 */
function loudnessRangeLu(blocks: Float64Array): number {
  // Short-term 3 s windows every 1 s (hop 10 blocks).
  const shortTerm: number[] = [];
  for (let i = 0; i + 30 <= blocks.length; i += 10) {
    let sum = 0;
    for (let j = i; j < i + 30; j++) sum += blocks[j];
    const level = lufs(sum / 30);
    if (level > -70) shortTerm.push(level);
  }
  if (shortTerm.length <= 1) return 0;
  const power = shortTerm.reduce((a, l) => a + 10 ** ((l + 0.691 - DUAL_MONO_GAIN_DB) / 10), 0) / shortTerm.length;
  const gate = lufs(power) - 20;
  const kept = shortTerm.filter((l) => l > gate).sort((a, b) => a - b);
  if (kept.length <= 1) return 0;
  const quantile = (q: number): number => kept[Math.min(kept.length - 1, Math.max(0, Math.round(q * (kept.length - 1))))];
  return quantile(0.95) - quantile(0.1);
}
