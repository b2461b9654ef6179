import type { SpeechAnalysis } from './speech-analysis.ts';
import type { ProfileWeighting, SpeechModelMetadata } from './speech-contract.ts';

/**
 * Running statistics of one speaker's own (unlabelled) speech: per-band mean and spread of
 * the log-mel spectrogram over speech frames, and per-statistic mean and spread of the
 * utterance statistics. Plain JSON, so the app can keep it in IndexedDB and reset it by
 * deleting it. Means and M2 (sum of squared deviations) are merged with Chan et al.'s
 * parallel update, which stays accurate over thousands of utterances.
 *
 * Why: emotion shows as a change from how *this* person usually sounds (a high voice is not an
 * excited one). Normalising by the speaker's own statistics instead of the population's lifted
 * UAR on unseen actors substantially (see the model card).
 */
export interface VoiceProfileStats {
  format: 'norae-voice-profile';
  version: 1;
  /** The feature layout the statistics belong to (see {@link voiceProfileKey}); another layout ignores them. */
  featureKey: string;
  /** Speech frames seen. */
  frameCount: number;
  /** Mean log-mel per band over speech frames, dB. */
  melMeanDb: number[];
  /** Σ (x − mean)² per band, dB². */
  melM2: number[];
  /** Utterances (analysis segments) seen. */
  utteranceCount: number;
  /** Mean of each utterance statistic. */
  statsMean: number[];
  /** Σ (x − mean)² of each utterance statistic. */
  statsM2: number[];
  /**
   * Recordings per top emotion of their *cold* reading (metadata weighting `balanced-only` only:
   * the profile is used while no emotion dominates). Absent: unknown (such a profile stays cold
   * under `balanced-only`; every other weighting ignores it).
   */
  coldTopCounts?: Record<string, number>;
}

/** 32-bit FNV-1a of a string, hex: a short fingerprint of the statistics' names. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Identifies the feature layout (rate, framing, bands, statistics) a profile was gathered with. */
export function voiceProfileKey(metadata: SpeechModelMetadata): string {
  const f = metadata.features;
  return [f.sampleRateHz, f.frameSizeSamples, f.hopSizeSamples, f.melBandCount, f.minFrequencyHz, f.maxFrequencyHz, f.melScale, f.targetLoudnessDbfs, fnv1a(metadata.statsFeatureNames.join(','))].join('/');
}

/** A profile with nothing in it (what a reset leaves). */
export function emptyVoiceProfile(metadata: SpeechModelMetadata): VoiceProfileStats {
  const bands = metadata.features.melBandCount;
  const stats = metadata.statsFeatureNames.length;
  return {
    format: 'norae-voice-profile',
    version: 1,
    featureKey: voiceProfileKey(metadata),
    frameCount: 0,
    melMeanDb: new Array<number>(bands).fill(0),
    melM2: new Array<number>(bands).fill(0),
    utteranceCount: 0,
    statsMean: new Array<number>(stats).fill(0),
    statsM2: new Array<number>(stats).fill(0),
  };
}

/**
 * The statistics of one analysed recording as a profile of its own (to merge into the
 * speaker's with {@link mergeVoiceProfiles}): its speech frames, and one utterance per
 * segment (`segmentStats`: the raw utterance-statistics vectors).
 */
export function voiceProfileContribution(metadata: SpeechModelMetadata, analysis: SpeechAnalysis, segmentStats: readonly Float32Array[]): VoiceProfileStats {
  const profile = emptyVoiceProfile(metadata);
  const bands = analysis.melBandCount;
  if (bands !== profile.melMeanDb.length) throw new RangeError(`analysis has ${bands} mel bands, the model ${profile.melMeanDb.length}`);
  let frames = 0;
  const sum = new Float64Array(bands);
  for (let t = 0; t < analysis.frameCount; t++) {
    if (!analysis.active[t]) continue;
    frames++;
    for (let m = 0; m < bands; m++) sum[m] += analysis.logMelDb[t * bands + m];
  }
  if (frames > 0) {
    const m2 = new Float64Array(bands);
    for (let m = 0; m < bands; m++) sum[m] /= frames;
    for (let t = 0; t < analysis.frameCount; t++) {
      if (!analysis.active[t]) continue;
      for (let m = 0; m < bands; m++) m2[m] += (analysis.logMelDb[t * bands + m] - sum[m]) ** 2;
    }
    profile.frameCount = frames;
    profile.melMeanDb = Array.from(sum);
    profile.melM2 = Array.from(m2);
  }
  const count = profile.statsMean.length;
  const mean = new Float64Array(count);
  for (const s of segmentStats) for (let i = 0; i < count; i++) mean[i] += s[i] / segmentStats.length;
  const m2 = new Float64Array(count);
  for (const s of segmentStats) for (let i = 0; i < count; i++) m2[i] += (s[i] - mean[i]) ** 2;
  if (segmentStats.length > 0) {
    profile.utteranceCount = segmentStats.length;
    profile.statsMean = Array.from(mean);
    profile.statsM2 = Array.from(m2);
  }
  return profile;
}

/**
 * A contribution scaled by `weight` (clamped to [0, 1]): frame count, M2 and utterance count
 * multiplied by it, means unchanged — so merging it ({@link mergeVoiceProfiles}, Chan's formula,
 * which holds for fractional counts) moves the profile as if the recording counted `weight`
 * times. Weight 0 leaves a profile unchanged when merged; weight 1 returns an equal copy.
 * Training's `Normaliser.profile(members, weights)` (train.py) computes exactly these moments.
 */
export function weightedVoiceProfileContribution(contribution: VoiceProfileStats, weight: number): VoiceProfileStats {
  const w = Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
  const scale = (values: number[]) => values.map((v) => v * w);
  return {
    ...contribution,
    frameCount: contribution.frameCount * w,
    melMeanDb: contribution.melMeanDb.slice(),
    melM2: scale(contribution.melM2),
    utteranceCount: contribution.utteranceCount * w,
    statsMean: contribution.statsMean.slice(),
    statsM2: scale(contribution.statsM2),
  };
}

/** What {@link profileWeight} reads: a *cold* reading (population normalisation) of the recording. */
export interface ColdReading {
  /** Calibrated probability of neutral, 0–1. */
  pNeutral: number;
  /** The model's valence and arousal outputs, −1…1. */
  valence: number;
  arousal: number;
}

/** The metadata's profile weighting; a missing field means `none` (see `SpeechModelMetadata.adaptation`). */
export function profileWeightingOf(metadata: SpeechModelMetadata): ProfileWeighting {
  return metadata.adaptation.profileWeighting ?? { kind: 'none' };
}

/**
 * How much one recording counts in the speaker's voice profile (0–1), from its **cold** reading
 * — never an adapted one: an adapted reading of a speaker heard in one mood drifts toward neutral
 * and would feed itself back. So a profile learns the voice, not the mood: utterances that sound
 * far from neutral count little, and the blend's prior keeps a one-mood profile near the
 * population. Training (train.py `profile_weight`) computes exactly this.
 * - `none`: 1;
 * - `p-neutral`: the calibrated probability of neutral;
 * - `neutral-distance`: exp(−d² / (2·sigma²)), d = distance of (valence, arousal) from `target`.
 */
export function profileWeight(weighting: ProfileWeighting, cold: ColdReading): number {
  switch (weighting.kind) {
    case 'none':
    case 'balanced-only':
      return 1;
    case 'p-neutral':
      return Number.isFinite(cold.pNeutral) ? Math.min(1, Math.max(0, cold.pNeutral)) : 0;
    case 'neutral-distance': {
      const d2 = (cold.valence - weighting.target[0]) ** 2 + (cold.arousal - weighting.target[1]) ** 2;
      const w = Math.exp(-d2 / (2 * weighting.sigma ** 2));
      return Number.isFinite(w) ? w : 0;
    }
  }
}

/** Chan et al. merge of (count, mean, M2) per element. */
function mergeMoments(countA: number, meanA: number[], m2A: number[], countB: number, meanB: number[], m2B: number[]): { mean: number[]; m2: number[] } {
  const total = countA + countB;
  if (countA === 0) return { mean: meanB.slice(), m2: m2B.slice() };
  if (countB === 0) return { mean: meanA.slice(), m2: m2A.slice() };
  const mean = meanA.map((a, i) => a + ((meanB[i] - a) * countB) / total);
  const m2 = m2A.map((a, i) => a + m2B[i] + ((meanB[i] - meanA[i]) ** 2 * countA * countB) / total);
  return { mean, m2 };
}

/** A contribution that also records its cold reading's top emotion (for the `balanced-only` gate). */
export function withColdTop(contribution: VoiceProfileStats, coldTop: string): VoiceProfileStats {
  return { ...contribution, coldTopCounts: { [coldTop]: 1 } };
}

/**
 * True when no emotion is the top cold reading of more than `maxShare` of the profile's
 * recordings and it holds at least 2 (weighting `balanced-only`). No counts: false.
 * Training's summary.py `balanced_readings` applies the same test.
 */
export function coldReadingsBalanced(profile: VoiceProfileStats, maxShare: number): boolean {
  const counts = Object.values(profile.coldTopCounts ?? {});
  const total = counts.reduce((s, n) => s + n, 0);
  return total >= 2 && Math.max(...counts) / total <= maxShare;
}

/** The profile of both recordings' speech together (neither argument is changed). */
export function mergeVoiceProfiles(a: VoiceProfileStats, b: VoiceProfileStats): VoiceProfileStats {
  if (a.featureKey !== b.featureKey) throw new RangeError(`cannot merge voice profiles of different feature layouts (${a.featureKey} vs ${b.featureKey})`);
  const mel = mergeMoments(a.frameCount, a.melMeanDb, a.melM2, b.frameCount, b.melMeanDb, b.melM2);
  const stats = mergeMoments(a.utteranceCount, a.statsMean, a.statsM2, b.utteranceCount, b.statsMean, b.statsM2);
  let coldTopCounts: Record<string, number> | undefined;
  if (a.coldTopCounts || b.coldTopCounts) {
    coldTopCounts = { ...a.coldTopCounts };
    for (const [label, n] of Object.entries(b.coldTopCounts ?? {})) coldTopCounts[label] = (coldTopCounts[label] ?? 0) + n;
  }
  return {
    ...a,
    ...(coldTopCounts ? { coldTopCounts } : {}),
    frameCount: a.frameCount + b.frameCount,
    melMeanDb: mel.mean,
    melM2: mel.m2,
    utteranceCount: a.utteranceCount + b.utteranceCount,
    statsMean: stats.mean,
    statsM2: stats.m2,
  };
}

/**
 * Reads a stored profile. Returns null (start afresh) when it is malformed or was gathered
 * with another feature layout, e.g. after a model update changed the mel bands.
 */
export function parseVoiceProfile(json: unknown, metadata: SpeechModelMetadata): VoiceProfileStats | null {
  if (typeof json !== 'object' || json === null) return null;
  const p = json as Partial<VoiceProfileStats>;
  const empty = emptyVoiceProfile(metadata);
  const okArray = (value: unknown, length: number) => Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (p.format !== empty.format || p.version !== 1 || p.featureKey !== empty.featureKey) return null;
  if (!(typeof p.frameCount === 'number' && p.frameCount >= 0 && typeof p.utteranceCount === 'number' && p.utteranceCount >= 0)) return null;
  if (!okArray(p.melMeanDb, empty.melMeanDb.length) || !okArray(p.melM2, empty.melM2.length)) return null;
  if (!okArray(p.statsMean, empty.statsMean.length) || !okArray(p.statsM2, empty.statsM2.length)) return null;
  if (p.coldTopCounts !== undefined) {
    const c = p.coldTopCounts as unknown;
    const valid = typeof c === 'object' && c !== null && !Array.isArray(c) && Object.values(c).every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0);
    // Malformed counts are dropped (unknown balance), not the profile.
    if (!valid) {
      const rest = { ...p };
      delete rest.coldTopCounts;
      return rest as VoiceProfileStats;
    }
  }
  return p as VoiceProfileStats;
}

/**
 * True once `profile` holds enough utterances for adapting to help (metadata
 * `adaptation.minProfileUtterances`). The count is the *weighted* one when contributions were
 * weighted ({@link weightedVoiceProfileContribution}): a profile of recordings that sounded far
 * from neutral matures slowly. Weighting `balanced-only`: also only while its cold readings are
 * balanced ({@link coldReadingsBalanced}).
 */
export function isProfileMature(metadata: SpeechModelMetadata, profile: VoiceProfileStats | null | undefined): boolean {
  if (profile == null || !(profile.utteranceCount >= metadata.adaptation.minProfileUtterances)) return false;
  const weighting = profileWeightingOf(metadata);
  // `balanced-only`: a profile whose cold readings are dominated by one emotion is not used.
  return weighting.kind !== 'balanced-only' || coldReadingsBalanced(profile, weighting.maxShare);
}

/** What the features are normalised with for one prediction: `(x − mean) · invStd`, statistics with `statsKeep` 0 set to 0. */
export interface EffectiveNormalisation {
  melMeanDb: Float32Array;
  melInvStd: Float32Array;
  statsMean: Float32Array;
  statsInvStd: Float32Array;
  statsKeep: Uint8Array;
  /** True when a voice profile contributed (not the population statistics alone). */
  adapted: boolean;
}

/**
 * Blends the population statistics (weight `priorFrames` / `priorUtterances`) with the
 * profile's (weight = its counts): mean = weighted mean; variance = weighted second moment
 * − mean². A young profile therefore moves the normalisation only part of the way, and one of
 * dozens is essentially the speaker's own. A profile with fewer than
 * `adaptation.minProfileUtterances` utterances is not used at all (cold): below that size,
 * adapting was measured not to help (the model card's profile-size curve). No profile, or an
 * immature one: the population statistics, and microphone-dependent statistics
 * (`coldMaskedStats`) zeroed. Training (train.py) applies exactly this formula.
 */
export function effectiveNormalisation(metadata: SpeechModelMetadata, profile?: VoiceProfileStats | null): EffectiveNormalisation {
  const n = metadata.normalisation;
  const blend = (priorWeight: number, priorMean: number[], priorStd: number[], count: number, mean: number[], m2: number[]) => {
    const outMean = new Float32Array(priorMean.length);
    const outInvStd = new Float32Array(priorMean.length);
    for (let i = 0; i < priorMean.length; i++) {
      if (count <= 0) {
        outMean[i] = priorMean[i];
        outInvStd[i] = 1 / priorStd[i];
        continue;
      }
      const w = priorWeight + count;
      const mu = (priorWeight * priorMean[i] + count * mean[i]) / w;
      const second = (priorWeight * (priorStd[i] ** 2 + priorMean[i] ** 2) + count * (m2[i] / count + mean[i] ** 2)) / w;
      // Floor at a tenth of the population spread: a constant feature must not explode.
      const sd = Math.max(Math.sqrt(Math.max(0, second - mu * mu)), 0.1 * priorStd[i]);
      outMean[i] = mu;
      outInvStd[i] = 1 / sd;
    }
    return { mean: outMean, invStd: outInvStd };
  };
  const useProfile = profile != null && profile.featureKey === voiceProfileKey(metadata) && isProfileMature(metadata, profile);
  const frames = useProfile ? profile.frameCount : 0;
  const utterances = useProfile ? profile.utteranceCount : 0;
  const mel = blend(n.priorFrames, n.melMeanDb, n.melStdDb, frames, profile?.melMeanDb ?? [], profile?.melM2 ?? []);
  const stats = blend(n.priorUtterances, n.statsMean, n.statsStd, utterances, profile?.statsMean ?? [], profile?.statsM2 ?? []);
  const statsKeep = new Uint8Array(metadata.statsFeatureNames.length).fill(1);
  if (utterances < n.minProfileUtterancesForMasked) {
    for (const name of n.coldMaskedStats) statsKeep[metadata.statsFeatureNames.indexOf(name)] = 0;
  }
  return { melMeanDb: mel.mean, melInvStd: mel.invStd, statsMean: stats.mean, statsInvStd: stats.invStd, statsKeep, adapted: frames > 0 || utterances > 0 };
}
