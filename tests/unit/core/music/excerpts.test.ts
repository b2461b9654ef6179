import { describe, expect, it } from 'vitest';
import { EXCERPT_SECONDS, combineExcerptFeatures, consensusTempoBpm, planExcerpts } from '../../../../src/core/music/excerpts.ts';
import { SONG_FEATURE_NAMES, type SongFeatures } from '../../../../src/core/music/song-features.ts';

/** A feature record with every value `fill`, then the given ones. */
function featuresOf(values: Partial<SongFeatures>, fill = 0): SongFeatures {
  const features = Object.fromEntries(SONG_FEATURE_NAMES.map((name) => [name, fill])) as unknown as SongFeatures;
  return { ...features, ...values };
}

/** Key-relative profile of a chroma whose energy sits on `classes` (absolute pitch classes), read from `tonic`. */
function keyFeatures(tonic: number, modeMajor: number, classes: number[]): Partial<SongFeatures> {
  const profile: Record<string, number> = {};
  for (let i = 0; i < 12; i++) profile[`keyProfile${i}`] = classes.includes((tonic + i) % 12) ? 1 / classes.length : 0;
  return { keyTonicPitchClass: tonic, modeMajor, ...profile };
}

describe('planExcerpts', () => {
  it('analyses a 30-s training clip (and anything up to 36 s) whole, so the clips are measured as before', () => {
    expect(planExcerpts(30)).toEqual([{ startSeconds: 0, durationSeconds: 30 }]);
    expect(planExcerpts(36)).toEqual([{ startSeconds: 0, durationSeconds: 36 }]);
    expect(planExcerpts(2.5)).toEqual([{ startSeconds: 0, durationSeconds: 2.5 }]);
  });

  it('analyses a song of unknown length whole', () => {
    for (const unknown of [0, Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(planExcerpts(unknown)).toEqual([{ startSeconds: 0, durationSeconds: Number.POSITIVE_INFINITY }]);
    }
  });

  it('places three 30-s excerpts with equal gaps in a 4-minute song (the intro and outro skipped)', () => {
    // Gaps of (240 − 90) / 4 = 37.5 s.
    expect(planExcerpts(240)).toEqual([
      { startSeconds: 37.5, durationSeconds: 30 },
      { startSeconds: 105, durationSeconds: 30 },
      { startSeconds: 172.5, durationSeconds: 30 },
    ]);
  });

  it('uses one excerpt below 90 s, two below 120 s, never more than three', () => {
    expect(planExcerpts(37)).toEqual([{ startSeconds: 3.5, durationSeconds: 30 }]);
    expect(planExcerpts(89)).toEqual([{ startSeconds: 29.5, durationSeconds: 30 }]);
    expect(planExcerpts(90)).toEqual([
      { startSeconds: 10, durationSeconds: 30 },
      { startSeconds: 50, durationSeconds: 30 },
    ]);
    expect(planExcerpts(119).length).toBe(2);
    expect(planExcerpts(120).length).toBe(3);
    expect(planExcerpts(3600).length).toBe(3);
  });

  it('keeps every excerpt inside the song and apart from the others, for any length', () => {
    for (let duration = 36.5; duration < 1000; duration += 7.3) {
      const plan = planExcerpts(duration);
      let end = 0;
      for (const excerpt of plan) {
        expect(excerpt.durationSeconds).toBe(EXCERPT_SECONDS);
        expect(excerpt.startSeconds).toBeGreaterThanOrEqual(end);
        end = excerpt.startSeconds + excerpt.durationSeconds;
      }
      expect(end).toBeLessThanOrEqual(duration + 1e-9);
    }
  });
});

describe('consensusTempoBpm', () => {
  it('outvotes one excerpt at half tempo instead of averaging it', () => {
    const tempo = consensusTempoBpm([
      { tempoBpm: 120, tempoConfidence: 0.5 },
      { tempoBpm: 60, tempoConfidence: 0.6 },
      { tempoBpm: 121, tempoConfidence: 0.4 },
    ]);
    expect(tempo).toBe(120);
  });

  it('takes the clearer pulse when two excerpts disagree, and 0 when none has one', () => {
    expect(consensusTempoBpm([{ tempoBpm: 90, tempoConfidence: 0.2 }, { tempoBpm: 140, tempoConfidence: 0.7 }])).toBe(140);
    expect(consensusTempoBpm([{ tempoBpm: 0, tempoConfidence: 0 }, { tempoBpm: 0, tempoConfidence: 0 }])).toBe(0);
  });
});

describe('combineExcerptFeatures', () => {
  it('returns one excerpt as measured, with the song’s duration', () => {
    const part = featuresOf({ rmsDb: -12, tempoBpm: 128, analysedSeconds: 30, durationSeconds: 30 }, 0.5);
    expect(combineExcerptFeatures([part], 31.2)).toEqual({ ...part, durationSeconds: 31.2, analysedSeconds: 30 });
  });

  it('averages levels and spreads by excerpt length, so spreads stay spreads within 30 s', () => {
    const a = featuresOf({ analysedSeconds: 30, rmsDbStd: 2, loudnessRangeLu: 4, spectralCentroidHz: 1000, audibleFraction: 1 });
    const b = featuresOf({ analysedSeconds: 10, rmsDbStd: 6, loudnessRangeLu: 8, spectralCentroidHz: 2000, audibleFraction: 1 });
    const combined = combineExcerptFeatures([a, b], 200);
    expect(combined.rmsDbStd).toBeCloseTo(3, 12);
    expect(combined.loudnessRangeLu).toBeCloseTo(5, 12);
    expect(combined.spectralCentroidHz).toBeCloseTo(1250, 9);
    expect(combined.durationSeconds).toBe(200);
    expect(combined.analysedSeconds).toBe(40);
    expect(Object.keys(combined)).toEqual([...SONG_FEATURE_NAMES]);
  });

  it('reads the key from the pooled chroma of all excerpts', () => {
    // C major triad + scale weight in two excerpts (one read relative to C, one relative to G):
    // the same absolute pitch classes, so the pooled key is C major, whatever each excerpt said.
    const cMajorScale = [0, 2, 4, 5, 7, 9, 11, 0, 4, 7, 0];
    const cMajor = [...new Set(cMajorScale)];
    const fromC = featuresOf({ analysedSeconds: 30, audibleFraction: 1, ...keyFeatures(0, 1, cMajor) });
    const fromG = featuresOf({ analysedSeconds: 30, audibleFraction: 1, ...keyFeatures(7, 1, cMajor) });
    const combined = combineExcerptFeatures([fromC, fromG, fromC], 240);
    expect(combined.keyTonicPitchClass).toBe(0);
    expect(combined.modeMajor).toBe(1);
    const profile = Array.from({ length: 12 }, (_, i) => combined[`keyProfile${i}` as keyof SongFeatures]);
    expect(profile.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    // Relative to C: the scale degrees 0, 2, 4, 5, 7, 9, 11 carry the chroma, the others none.
    expect(profile.map((x) => (x > 0 ? 1 : 0))).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('takes the tempo by consensus, not by average', () => {
    const parts = [120, 60, 120].map((tempoBpm) => featuresOf({ analysedSeconds: 30, tempoBpm, tempoConfidence: 0.5, audibleFraction: 1 }));
    expect(combineExcerptFeatures(parts, 240).tempoBpm).toBe(120);
  });

  it('refuses no excerpts', () => {
    expect(() => combineExcerptFeatures([], 10)).toThrow(/no excerpts/);
  });
});
