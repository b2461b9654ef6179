import { describe, expect, it } from 'vitest';
import {
  effectiveNormalisation,
  emptyVoiceProfile,
  isProfileMature,
  mergeVoiceProfiles,
  parseVoiceProfile,
} from '../../../../src/core/speech/voice-profile.ts';
import { contributionOf, testMetadata } from './metadata-fixture.ts';
import { concat, speechLike } from './fixtures.ts';

const metadata = testMetadata();
const contribution = contributionOf;

describe('voice profile', () => {
  it('merges recordings exactly like pooling their frames (Chan update)', () => {
    const a = speechLike(2, 16000, 120);
    const b = speechLike(1.5, 16000, 200);
    const merged = mergeVoiceProfiles(contribution(a), contribution(b));
    const pa = contribution(a);
    const pb = contribution(b);
    expect(merged.frameCount).toBe(pa.frameCount + pb.frameCount);
    expect(merged.utteranceCount).toBe(2);
    for (let m = 0; m < 64; m++) {
      const pooled = (pa.melMeanDb[m] * pa.frameCount + pb.melMeanDb[m] * pb.frameCount) / merged.frameCount;
      expect(merged.melMeanDb[m]).toBeCloseTo(pooled, 6);
    }
    // Merging with an empty profile changes nothing; order does not matter.
    const again = mergeVoiceProfiles(emptyVoiceProfile(metadata), mergeVoiceProfiles(pb, pa));
    for (let m = 0; m < 64; m++) expect(again.melM2[m]).toBeCloseTo(merged.melM2[m], 4);
  });

  it('survives JSON and refuses another feature layout', () => {
    const p = contribution(concat(speechLike(1.5), speechLike(1.5, 16000, 180)));
    expect(parseVoiceProfile(JSON.parse(JSON.stringify(p)), metadata)).toEqual(p);
    expect(parseVoiceProfile({ ...p, featureKey: 'other' }, metadata)).toBeNull();
    expect(parseVoiceProfile({ ...p, melMeanDb: [1, 2] }, metadata)).toBeNull();
    expect(parseVoiceProfile('nonsense', metadata)).toBeNull();
  });

  it('uses population statistics cold and masks the microphone level', () => {
    const cold = effectiveNormalisation(metadata);
    expect(cold.adapted).toBe(false);
    expect(cold.melMeanDb[3]).toBeCloseTo(metadata.normalisation.melMeanDb[3], 5);
    expect(cold.melInvStd[3]).toBeCloseTo(1 / metadata.normalisation.melStdDb[3], 5);
    const level = metadata.statsFeatureNames.indexOf('level_dbfs');
    expect(cold.statsKeep[level]).toBe(0);
    expect(cold.statsKeep[0]).toBe(1);
    expect(effectiveNormalisation(metadata, emptyVoiceProfile(metadata)).adapted).toBe(false);
  });

  it('stays cold until the profile holds the model\'s mature number of utterances', () => {
    expect(metadata.adaptation.minProfileUtterances).toBe(3);
    let profile = contribution(speechLike(2, 16000, 220));
    for (let n = 1; n <= 4; n++) {
      expect(isProfileMature(metadata, profile)).toBe(n >= 3);
      const norm = effectiveNormalisation(metadata, profile);
      expect(norm.adapted).toBe(n >= 3);
      if (n < 3) expect(Array.from(norm.melMeanDb)).toEqual(Array.from(effectiveNormalisation(metadata, null).melMeanDb));
      profile = mergeVoiceProfiles(profile, contribution(speechLike(2, 16000, 200 + 10 * n)));
    }
  });

  it('blends a young profile with the prior and converges to the speaker with many recordings', () => {
    const clip = contribution(speechLike(2, 16000, 220));
    const one = mergeVoiceProfiles(mergeVoiceProfiles(clip, clip), clip);
    const blended = effectiveNormalisation(metadata, one);
    expect(blended.adapted).toBe(true);
    const prior = metadata.normalisation;
    const w = one.frameCount / (one.frameCount + prior.priorFrames);
    expect(blended.melMeanDb[5]).toBeCloseTo((1 - w) * prior.melMeanDb[5] + w * one.melMeanDb[5], 4);
    let many = one;
    for (let i = 0; i < 200; i++) many = mergeVoiceProfiles(many, one);
    const converged = effectiveNormalisation(metadata, many);
    expect(converged.melMeanDb[5]).toBeCloseTo(one.melMeanDb[5], 0);
    const level = metadata.statsFeatureNames.indexOf('level_dbfs');
    expect(converged.statsKeep[level]).toBe(1);
    for (const v of converged.melInvStd) expect(Number.isFinite(v) && v > 0).toBe(true);
    // Standard deviations never fall below a tenth of the population's (no division blow-up).
    for (let i = 0; i < converged.statsInvStd.length; i++) expect(1 / converged.statsInvStd[i]).toBeGreaterThanOrEqual(0.1 * prior.statsStd[i] - 1e-9);
  });
});
