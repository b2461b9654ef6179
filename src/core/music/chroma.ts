import { ANALYSIS_BIN_HZ } from './analysis-frame.ts';
import { estimateKey } from './key-profiles.ts';
import { RunningStats } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/** Chroma uses bins whose frequency lies in this range (below it bins are wider than semitones). */
const CHROMA_MIN_HZ = 65;
const CHROMA_MAX_HZ = 4200;
/** Successive chroma blocks for the change rate: ≈ 0.5 s of frames. */
const CHROMA_BLOCK_FRAMES = 22;
/** Frequency of MIDI note 0 (C−1), Hz: semitones counted from it put C at pitch class 0. */
const MIDI_0_HZ = 8.175798915643707;

type ChromaFeatureName = Extract<
  keyof SongFeatures,
  'keyStrength' | 'majorness' | 'modeMajor' | 'keyTonicPitchClass' | 'chromaEntropyBits' | 'chromaChangeRate' | `keyProfile${number}`
>;

/**
 * Harmony from the audible frames' chroma (librosa's chroma_stft default, each frame scaled to
 * max 1): the song's key and mode from the mean chroma, how spread it is over the pitch classes,
 * the key-relative pitch-class profile, and how fast the harmony changes between ≈ 0.5 s blocks.
 */
export class ChromaTracker {
  // Each bin in range splits its power between two neighbouring pitch classes.
  private readonly firstBin: number;
  private readonly classLow: Int8Array;
  private readonly weightLow: Float64Array;
  private readonly chroma = new Float64Array(12);
  private readonly sum = new Float64Array(12);
  private readonly block = new Float64Array(12);
  private readonly previousBlock = new Float64Array(12);
  private blockFrames = 0;
  private hasPreviousBlock = false;
  private readonly change = new RunningStats();

  constructor() {
    const firstBin = Math.ceil(CHROMA_MIN_HZ / ANALYSIS_BIN_HZ);
    const lastBin = Math.floor(CHROMA_MAX_HZ / ANALYSIS_BIN_HZ);
    this.firstBin = firstBin;
    this.classLow = new Int8Array(lastBin - firstBin + 1);
    this.weightLow = new Float64Array(lastBin - firstBin + 1);
    for (let k = firstBin; k <= lastBin; k++) {
      const midi = 12 * Math.log2((k * ANALYSIS_BIN_HZ) / MIDI_0_HZ);
      const low = Math.floor(midi);
      this.classLow[k - firstBin] = ((low % 12) + 12) % 12;
      this.weightLow[k - firstBin] = 1 - (midi - low);
    }
  }

  /** Adds one audible frame's power spectrum (a frame with no power in the chroma range adds nothing). */
  add(power: Float64Array): void {
    const chroma = this.chroma;
    chroma.fill(0);
    const first = this.firstBin;
    const classes = this.classLow;
    const weights = this.weightLow;
    for (let i = 0; i < classes.length; i++) {
      const m = power[first + i];
      const low = classes[i];
      const w = weights[i];
      chroma[low] += w * m;
      chroma[low === 11 ? 0 : low + 1] += (1 - w) * m;
    }
    let max = 0;
    for (let c = 0; c < 12; c++) if (chroma[c] > max) max = chroma[c];
    if (max <= 0) return;
    for (let c = 0; c < 12; c++) {
      const v = chroma[c] / max;
      this.sum[c] += v;
      this.block[c] += v;
    }
    if (++this.blockFrames === CHROMA_BLOCK_FRAMES) this.closeBlock();
  }

  /** Records the cosine distance from the previous block to this one, and starts the next. */
  private closeBlock(): void {
    if (this.hasPreviousBlock) {
      let dot = 0;
      let a = 0;
      let b = 0;
      for (let c = 0; c < 12; c++) {
        dot += this.block[c] * this.previousBlock[c];
        a += this.block[c] ** 2;
        b += this.previousBlock[c] ** 2;
      }
      if (a > 0 && b > 0) this.change.add(1 - dot / Math.sqrt(a * b));
    }
    this.previousBlock.set(this.block);
    this.hasPreviousBlock = true;
    this.block.fill(0);
    this.blockFrames = 0;
  }

  /** Key, mode, chroma entropy (bits), change rate and key profile; neutral values without chroma. */
  features(): Pick<SongFeatures, ChromaFeatureName> {
    const total = this.sum.reduce((a, b) => a + b, 0);
    const key = total > 0 ? estimateKey(this.sum) : { tonicPitchClass: 0, mode: 'major' as const, keyStrength: 0, majorness: 0 };
    return {
      keyStrength: key.keyStrength,
      majorness: key.majorness,
      modeMajor: key.mode === 'major' ? 1 : 0,
      keyTonicPitchClass: key.tonicPitchClass,
      chromaEntropyBits: chromaEntropyBits(this.sum, total),
      chromaChangeRate: this.change.mean,
      ...keyProfile(this.sum, key.tonicPitchClass),
    };
  }
}

/** Entropy of the mean chroma in bits; log2 12 (all classes alike) when there is no chroma. */
function chromaEntropyBits(chromaSum: Float64Array, total: number): number {
  if (!(total > 0)) return Math.log2(12);
  let entropy = 0;
  for (let c = 0; c < 12; c++) {
    const p = chromaSum[c] / total;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Shares of the mean chroma at 0 … 11 semitones above the tonic (uniform when there is no chroma). */
function keyProfile(chromaSum: Float64Array, tonic: number): Pick<SongFeatures, `keyProfile${number}` & keyof SongFeatures> {
  const total = chromaSum.reduce((a, b) => a + b, 0);
  const share = (interval: number): number => (total > 0 ? chromaSum[(tonic + interval) % 12] / total : 1 / 12);
  return {
    keyProfile0: share(0),
    keyProfile1: share(1),
    keyProfile2: share(2),
    keyProfile3: share(3),
    keyProfile4: share(4),
    keyProfile5: share(5),
    keyProfile6: share(6),
    keyProfile7: share(7),
    keyProfile8: share(8),
    keyProfile9: share(9),
    keyProfile10: share(10),
    keyProfile11: share(11),
  };
}
