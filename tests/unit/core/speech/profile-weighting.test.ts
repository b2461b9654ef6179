import { describe, expect, it } from 'vitest';
import { SpeechModelContractError, parseSpeechModelMetadata, type ProfileWeighting } from '../../../../src/core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../../../src/core/speech/utterance-stats.ts';
import {
  effectiveNormalisation,
  emptyVoiceProfile,
  isProfileMature,
  mergeVoiceProfiles,
  profileWeight,
  profileWeightingOf,
  weightedVoiceProfileContribution,
  withColdTop,
  type VoiceProfileStats,
} from '../../../../src/core/speech/voice-profile.ts';
import { contributionOf, testMetadata, testMetadataJson } from './metadata-fixture.ts';
import { speechLike } from './fixtures.ts';

const metadata = testMetadata();
const contribution = contributionOf;
const pNeutral: ProfileWeighting = { kind: 'p-neutral' };
const distance: ProfileWeighting = { kind: 'neutral-distance', target: [0, -0.25], sigma: 0.35 };

/** Mean absolute shift of the adapted log-mel means from the population's, dB. */
function melShiftDb(profile: VoiceProfileStats): number {
  const norm = effectiveNormalisation(metadata, profile);
  const population = metadata.normalisation.melMeanDb;
  return population.reduce((s, m, i) => s + Math.abs(norm.melMeanDb[i] - m), 0) / population.length;
}

describe('weighted voice-profile contributions', () => {
  it('scales frame count, M2 and utterance count by the weight and keeps the means', () => {
    const c = contribution(speechLike(2, 16000, 180));
    const half = weightedVoiceProfileContribution(c, 0.5);
    expect(half.frameCount).toBeCloseTo(c.frameCount / 2, 9);
    expect(half.utteranceCount).toBeCloseTo(0.5, 9);
    expect(half.melMeanDb).toEqual(c.melMeanDb);
    expect(half.statsMean).toEqual(c.statsMean);
    half.melM2.forEach((v, i) => expect(v).toBeCloseTo(c.melM2[i] / 2, 6));
    expect(weightedVoiceProfileContribution(c, 1)).toEqual(c);
    // Out-of-range and non-finite weights are clamped, never amplify.
    expect(weightedVoiceProfileContribution(c, 3).utteranceCount).toBe(c.utteranceCount);
    expect(weightedVoiceProfileContribution(c, Number.NaN).utteranceCount).toBe(0);
  });

  it('a zero-weight recording leaves the profile as it was; a fractional one is Chan-merged like pooled weighted moments', () => {
    const a = contribution(speechLike(2, 16000, 120));
    const b = contribution(speechLike(1.5, 16000, 240));
    const unchanged = mergeVoiceProfiles(a, weightedVoiceProfileContribution(b, 0));
    expect(unchanged.melMeanDb).toEqual(a.melMeanDb);
    expect(unchanged.utteranceCount).toBe(a.utteranceCount);
    const w = 0.3;
    const merged = mergeVoiceProfiles(a, weightedVoiceProfileContribution(b, w));
    const frames = a.frameCount + w * b.frameCount;
    expect(merged.frameCount).toBeCloseTo(frames, 9);
    for (const m of [0, 20, 63]) {
      // Weighted pooled moments (what train.py Normaliser.profile computes from sums and sums of squares).
      const mean = (a.frameCount * a.melMeanDb[m] + w * b.frameCount * b.melMeanDb[m]) / frames;
      const sumSq = a.melM2[m] + a.frameCount * a.melMeanDb[m] ** 2 + w * (b.melM2[m] + b.frameCount * b.melMeanDb[m] ** 2);
      expect(merged.melMeanDb[m]).toBeCloseTo(mean, 8);
      expect(merged.melM2[m]).toBeCloseTo(sumSq - frames * mean ** 2, 3);
    }
  });
});

describe('profileWeight', () => {
  it('none: 1; p-neutral: the calibrated probability of neutral; neutral-distance: a Gaussian around the neutral point', () => {
    expect(profileWeight({ kind: 'none' }, { pNeutral: 0, valence: -0.6, arousal: 0.7 })).toBe(1);
    expect(profileWeight(pNeutral, { pNeutral: 0.42, valence: 0, arousal: 0 })).toBeCloseTo(0.42, 12);
    expect(profileWeight(pNeutral, { pNeutral: 1.2, valence: 0, arousal: 0 })).toBe(1);
    expect(profileWeight(distance, { pNeutral: 0, valence: 0, arousal: -0.25 })).toBe(1);
    const angry = profileWeight(distance, { pNeutral: 0, valence: -0.6, arousal: 0.7 });
    expect(angry).toBeCloseTo(Math.exp(-(0.36 + 0.9025) / (2 * 0.35 ** 2)), 12);
    expect(angry).toBeLessThan(0.01);
  });

  it('reads the weighting from the metadata; a missing field means none', () => {
    expect(profileWeightingOf(metadata)).toEqual({ kind: 'none' });
    const json = testMetadataJson();
    (json.adaptation as Record<string, unknown>).profileWeighting = { kind: 'neutral-distance', target: [0, -0.25], sigma: 0.35 };
    expect(profileWeightingOf(parseSpeechModelMetadata(json, utteranceStatNames(64)))).toEqual(distance);
    for (const bad of [{ kind: 'mood' }, { kind: 'neutral-distance', target: [0], sigma: 0.35 }, { kind: 'neutral-distance', target: [0, -0.25], sigma: 0 }, 'p-neutral']) {
      (json.adaptation as Record<string, unknown>).profileWeighting = bad;
      expect(() => parseSpeechModelMetadata(json, utteranceStatNames(64))).toThrow(SpeechModelContractError);
    }
  });
});

describe('a profile that learns the voice, not the mood', () => {
  // The same speaker (one voice, pitch 260 Hz), heard 20 times. Cold readings of an angry person:
  // p(neutral) 0.05, (valence, arousal) (−0.6, 0.7); of a neutral one: 0.9, (0, −0.25).
  const voice = contribution(speechLike(2, 16000, 260));
  const learn = (weight: number) => {
    let profile = emptyVoiceProfile(metadata);
    for (let i = 0; i < 20; i++) profile = mergeVoiceProfiles(profile, weightedVoiceProfileContribution(voice, weight));
    return profile;
  };
  const unweighted = learn(1);

  it('an all-angry sequence keeps the profile near the population; a neutral one moves it to the speaker', () => {
    const angry = learn(profileWeight(pNeutral, { pNeutral: 0.05, valence: -0.6, arousal: 0.7 }));
    const neutral = learn(profileWeight(pNeutral, { pNeutral: 0.9, valence: 0, arousal: -0.25 }));
    // 20 angry readings weigh as one utterance: against the prior (300 frames / 3 utterances) the
    // normalisation moves a small part of the way; unweighted it moves almost all the way.
    expect(angry.utteranceCount).toBeCloseTo(1, 9);
    expect(melShiftDb(angry)).toBeLessThan(0.4 * melShiftDb(unweighted));
    expect(melShiftDb(neutral)).toBeGreaterThan(0.9 * melShiftDb(unweighted));
    const byDistance = learn(profileWeight(distance, { pNeutral: 0.05, valence: -0.6, arousal: 0.7 }));
    expect(melShiftDb(byDistance)).toBeLessThan(0.05 * melShiftDb(unweighted));
  });

  it('maturity counts weighted utterances', () => {
    // metadata: mature at 3 utterances. Eight recordings at weight 0.25 are two utterances: not yet.
    let profile = emptyVoiceProfile(metadata);
    for (let i = 0; i < 8; i++) profile = mergeVoiceProfiles(profile, weightedVoiceProfileContribution(voice, 0.25));
    expect(isProfileMature(metadata, profile)).toBe(false);
    expect(effectiveNormalisation(metadata, profile).adapted).toBe(false);
    for (let i = 0; i < 4; i++) profile = mergeVoiceProfiles(profile, weightedVoiceProfileContribution(voice, 0.25));
    expect(isProfileMature(metadata, profile)).toBe(true);
  });
});

describe('balanced-only: cold until the profile\'s cold readings are balanced', () => {
  const json = testMetadataJson();
  (json.adaptation as Record<string, unknown>).profileWeighting = { kind: 'balanced-only', maxShare: 0.5 };
  const gated = parseSpeechModelMetadata(json, utteranceStatNames(64));
  const voice = contribution(speechLike(2, 16000, 200));
  const learn = (tops: string[]) => tops.reduce((p, top) => mergeVoiceProfiles(p, withColdTop(voice, top)), emptyVoiceProfile(gated));

  it('counts each recording\'s cold top emotion and uses the profile only while no emotion has more than half', () => {
    expect(profileWeight(profileWeightingOf(gated), { pNeutral: 0, valence: 0, arousal: 0 })).toBe(1);
    const angry = learn(['angry', 'angry', 'angry', 'angry']);
    expect(angry.coldTopCounts).toEqual({ angry: 4 });
    expect(isProfileMature(gated, angry)).toBe(false);
    expect(effectiveNormalisation(gated, angry).adapted).toBe(false);
    const mixed = learn(['angry', 'neutral', 'happy', 'angry']);
    expect(isProfileMature(gated, mixed)).toBe(true);
    expect(effectiveNormalisation(gated, mixed).adapted).toBe(true);
    // Without counts (a profile from before), balance is unknown: it stays cold under this gate only.
    const unknown = learn(['angry', 'neutral', 'happy']);
    delete unknown.coldTopCounts;
    expect(isProfileMature(gated, unknown)).toBe(false);
    expect(isProfileMature(metadata, unknown)).toBe(true);
  });
});
