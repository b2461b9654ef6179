import { describe, expect, it } from 'vitest';
import { estimateKey, KRUMHANSL_MAJOR, KRUMHANSL_MINOR } from '../../../../src/core/music/key-profiles.ts';
import { estimateTempo } from '../../../../src/core/music/tempo.ts';

const FRAME_RATE_HZ = 11_025 / 256;

/** An onset envelope with a unit pulse every beat (fractional periods rounded per beat). */
function pulses(bpm: number, seconds: number, offbeatGain = 0): Float32Array {
  const frames = Math.round(seconds * FRAME_RATE_HZ);
  const envelope = new Float32Array(frames).fill(0.05);
  const period = (60 / bpm) * FRAME_RATE_HZ;
  for (let beat = 0; beat * period < frames; beat++) {
    envelope[Math.round(beat * period)] = 1;
    const off = Math.round((beat + 0.5) * period);
    if (offbeatGain > 0 && off < frames) envelope[off] = offbeatGain;
  }
  return envelope;
}

describe('estimateTempo', () => {
  it('recovers 60–200 BPM pulse trains within 4 %', () => {
    for (let bpm = 60; bpm <= 200; bpm += 10) {
      const { bpm: estimate, confidence } = estimateTempo(pulses(bpm, 30), FRAME_RATE_HZ);
      expect(Math.abs(estimate / bpm - 1), `${bpm} → ${estimate}`).toBeLessThan(0.04);
      expect(confidence).toBeGreaterThan(0.3);
    }
  });

  it('keeps the beat when weaker off-beats are present', () => {
    const { bpm } = estimateTempo(pulses(90, 30, 0.4), FRAME_RATE_HZ);
    expect(Math.abs(bpm - 90)).toBeLessThan(3.6);
  });

  it('returns 0 for flat or too-short envelopes', () => {
    expect(estimateTempo(new Float32Array(2000).fill(1), FRAME_RATE_HZ)).toEqual({ bpm: 0, confidence: 0 });
    expect(estimateTempo(new Float32Array(10), FRAME_RATE_HZ).bpm).toBe(0);
  });
});

describe('estimateKey', () => {
  const rotate = (profile: readonly number[], tonic: number): number[] => Array.from({ length: 12 }, (_, pc) => profile[(pc - tonic + 12) % 12]);

  it('names every rotated Krumhansl profile correctly', () => {
    for (let tonic = 0; tonic < 12; tonic++) {
      const major = estimateKey(rotate(KRUMHANSL_MAJOR, tonic));
      expect(major).toMatchObject({ tonicPitchClass: tonic, mode: 'major' });
      expect(major.keyStrength).toBeCloseTo(1, 9);
      expect(major.majorness).toBeGreaterThan(0);
      const minor = estimateKey(rotate(KRUMHANSL_MINOR, tonic));
      expect(minor).toMatchObject({ tonicPitchClass: tonic, mode: 'minor' });
      expect(minor.majorness).toBeLessThan(0);
    }
  });

  it('hears a C major triad as C major and an A minor triad as A minor', () => {
    const chord = (...pcs: number[]): number[] => Array.from({ length: 12 }, (_, pc) => (pcs.includes(pc) ? 1 : 0.1));
    expect(estimateKey(chord(0, 4, 7))).toMatchObject({ tonicPitchClass: 0, mode: 'major' });
    expect(estimateKey(chord(9, 0, 4))).toMatchObject({ tonicPitchClass: 9, mode: 'minor' });
  });
});
