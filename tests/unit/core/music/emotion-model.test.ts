import { describe, expect, it } from 'vitest';
import { ANALYSER_VERSION, normaliseFeature, parseMusicEmotionModel, predictSongEmotion, type MusicEmotionModel } from '../../../../src/core/music/emotion-model.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../../../../src/core/music/shipped-model.ts';
import { SONG_FEATURE_NAMES, type SongFeatures } from '../../../../src/core/music/song-features.ts';
import shippedJson from '../../../../models/music-emotion/model-v1.json';

function features(overrides: Partial<SongFeatures> = {}): SongFeatures {
  const f = Object.fromEntries(SONG_FEATURE_NAMES.map((n) => [n, 0])) as unknown as SongFeatures;
  return { ...f, audibleFraction: 1, ...overrides };
}

const TOY: MusicEmotionModel = {
  format: 'norae-music-emotion',
  version: 1,
  analyserVersion: 'test',
  features: [
    { name: 'tempoBpm', referenceLow: 60, referenceHigh: 180 },
    { name: 'spectralFlatness', transform: 'log', referenceLow: Math.log(0.01), referenceHigh: Math.log(0.5) },
  ],
  arousal: { bias: 0, weights: { tempoBpm: 2 } },
  valence: { bias: 0.5, weights: { spectralFlatness: -1 }, arousalGatedWeights: { tempoBpm: 1 }, arousalGatedBias: 0 },
};

describe('normaliseFeature', () => {
  it('maps the reference range to [−1, 1] and clamps at ±3', () => {
    const spec = { name: 'tempoBpm' as const, referenceLow: 60, referenceHigh: 180 };
    expect(normaliseFeature(60, spec)).toBe(-1);
    expect(normaliseFeature(180, spec)).toBe(1);
    expect(normaliseFeature(120, spec)).toBe(0);
    expect(normaliseFeature(10_000, spec)).toBe(3);
    expect(normaliseFeature(Number.NaN, spec)).toBe(-2);
  });
});

describe('predictSongEmotion', () => {
  it('is tanh(logit / 2) of the linear heads, and the contributions add up to the logits', () => {
    const e = predictSongEmotion(features({ tempoBpm: 150, spectralFlatness: 0.05 }), TOY);
    const zTempo = 0.5;
    const zFlat = normaliseFeature(0.05, TOY.features[1]);
    const arousalLogit = 2 * zTempo;
    expect(e.arousal).toBeCloseTo(Math.tanh(arousalLogit / 2), 12);
    const valenceLogit = 0.5 - zFlat + e.arousal * zTempo;
    expect(e.valence).toBeCloseTo(Math.tanh(valenceLogit / 2), 12);
    expect(e.contributions.arousal).toEqual([{ feature: 'tempoBpm', value: expect.closeTo(1, 12) }]);
    const sum = e.contributions.valence.reduce((a, c) => a + c.value, 0);
    expect(0.5 + sum).toBeCloseTo(valenceLogit, 12);
    expect(Math.abs(e.contributions.valence[0].value)).toBeGreaterThanOrEqual(Math.abs(e.contributions.valence.at(-1)?.value ?? 0));
    expect(e.mood).toBe('excitement');
    expect(e.intensity).toBeCloseTo(Math.min(1, Math.hypot(e.valence, e.arousal)), 12);
  });

  it('stays finite and inside the plane for absurd inputs', () => {
    const e = predictSongEmotion(features({ tempoBpm: Number.POSITIVE_INFINITY, spectralFlatness: -5 }), SHIPPED_MUSIC_EMOTION_MODEL);
    for (const v of [e.valence, e.arousal, e.intensity]) expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(e.valence)).toBeLessThanOrEqual(1);
    expect(Math.abs(e.arousal)).toBeLessThanOrEqual(1);
  });
});

describe('the shipped model', () => {
  it('parses, names the current analyser version, and uses only real features', () => {
    expect(SHIPPED_MUSIC_EMOTION_MODEL.analyserVersion).toBe(ANALYSER_VERSION);
    expect(parseMusicEmotionModel(shippedJson).features.length).toBeGreaterThan(5);
    for (const f of SHIPPED_MUSIC_EMOTION_MODEL.features) expect(SONG_FEATURE_NAMES).toContain(f.name);
  });
});

describe('parseMusicEmotionModel', () => {
  const valid = JSON.parse(JSON.stringify(TOY)) as Record<string, unknown>;
  // Loose JSON on purpose: each case breaks one field.
  type Loose = { [key: string]: Loose } & Loose[] & { push(x: unknown): void };
  const broken = (patch: (m: Loose) => void): unknown => {
    const m = JSON.parse(JSON.stringify(valid)) as Loose;
    patch(m);
    return m;
  };

  it('accepts a valid model', () => {
    expect(parseMusicEmotionModel(valid).valence.arousalGatedWeights).toEqual({ tempoBpm: 1 });
  });

  it('says exactly what is wrong', () => {
    expect(() => parseMusicEmotionModel(null)).toThrow(/root/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.format = 'x' as unknown as Loose)))).toThrow(/format/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.version = 0 as unknown as Loose)))).toThrow(/version/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.features[0].name = 'bogus' as unknown as Loose)))).toThrow(/features\[0\]\.name/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.features[1].referenceHigh = -100 as unknown as Loose)))).toThrow(/features\[1\]/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.arousal.weights.tempoBpm = 'fast' as unknown as Loose)))).toThrow(/arousal\.weights\.tempoBpm/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.arousal.weights.rmsDb = 1 as unknown as Loose)))).toThrow(/not one of the model's declared features/);
    expect(() => parseMusicEmotionModel(broken((m) => (m.arousal.arousalGatedWeights = {} as Loose)))).toThrow(/only allowed on the valence head/);
    expect(() => parseMusicEmotionModel(broken((m) => m.features.push(m.features[0])))).toThrow(/twice/);
    try {
      parseMusicEmotionModel({});
    } catch (error) {
      expect((error as { code?: string }).code).toBe('invalid-model');
    }
  });
});
