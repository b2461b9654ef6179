import { describe, expect, it } from 'vitest';
import { buildModelInputs, planSegments } from '../../../../src/core/speech/model-input.ts';
import { SpeechAnalyser } from '../../../../src/core/speech/speech-analysis.ts';
import { effectiveNormalisation } from '../../../../src/core/speech/voice-profile.ts';
import { testMetadata } from './metadata-fixture.ts';
import { TEST_FEATURES, concat, speechLike } from './fixtures.ts';

const analyser = new SpeechAnalyser(TEST_FEATURES);
const metadata = testMetadata();

describe('planSegments / buildModelInputs', () => {
  it('gives a short utterance one segment and one window that repeats it', () => {
    const a = analyser.analyse(speechLike(1.2), 16000);
    expect(a.frameCount).toBeLessThan(TEST_FEATURES.windowFrames);
    const segments = planSegments(a, TEST_FEATURES);
    expect(segments).toHaveLength(1);
    expect(segments[0].windowStarts).toEqual([0]);
    const norm = effectiveNormalisation(metadata);
    const inputs = buildModelInputs(a, segments, TEST_FEATURES, norm);
    expect(inputs.windowCount).toBe(1);
    expect(inputs.logMel).toHaveLength(192 * 64);
    // Row t ≥ frameCount repeats row t − frameCount; values are (x − mean) / std.
    const row = (t: number) => inputs.logMel.subarray(t * 64, t * 64 + 64);
    expect(Array.from(row(a.frameCount + 3))).toEqual(Array.from(row(3)));
    expect(row(7)[5]).toBeCloseTo((a.logMelDb[7 * 64 + 5] - norm.melMeanDb[5]) * norm.melInvStd[5], 5);
    const level = metadata.statsFeatureNames.indexOf('level_dbfs');
    expect(inputs.stats[level]).toBe(0);
    expect(inputs.stats[0]).toBeCloseTo((segments[0].stats[0] - 1) / 2, 5);
  });

  it('covers a longer utterance with overlapping windows, the last flush with the end', () => {
    const a = analyser.analyse(speechLike(5), 16000);
    const [segment] = planSegments(a, TEST_FEATURES);
    const starts = segment.windowStarts;
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)).toBe(a.frameCount - 192);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeLessThanOrEqual(96);
  });

  it('cuts long audio into segments of ≤ segmentMaxFrames and skips long silences', () => {
    const silence = new Float32Array(16000 * 20);
    const a = analyser.analyse(concat(speechLike(10), silence, speechLike(10)), 16000);
    const segments = planSegments(a, TEST_FEATURES);
    for (const s of segments) expect(s.endFrame - s.startFrame).toBeLessThanOrEqual(800);
    // 40 s → 5 segments of 8 s; the middle one (all silence) is dropped.
    expect(segments.length).toBe(4);
    expect(segments.every((s) => s.endFrame <= 1700 || s.startFrame >= 2300)).toBe(true);
    const inputs = buildModelInputs(a, segments, TEST_FEATURES, effectiveNormalisation(metadata));
    expect(inputs.windowCount).toBe(segments.reduce((n, s) => n + s.windowStarts.length, 0));
    expect(new Set(inputs.windowSegment).size).toBe(segments.length);
  });
});
