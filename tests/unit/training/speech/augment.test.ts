import { describe, expect, it } from 'vitest';
import { addNoise, augmentUtterance, changeSpeed, colouredNoise, convolve, createRng, syntheticRoomImpulse } from '../../../../src/training/speech/augment.ts';

const tone = Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 200 * i) / 16000));
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('augmentation', () => {
  it('is reproducible from its seed', () => {
    const a = augmentUtterance(tone, 16000, createRng(42));
    const b = augmentUtterance(tone, 16000, createRng(42));
    expect(a.description).toBe(b.description);
    expect(Array.from(a.samples.subarray(0, 100))).toEqual(Array.from(b.samples.subarray(0, 100)));
    expect(augmentUtterance(tone, 16000, createRng(43)).description).not.toBe('');
  });

  it('changes speed by resampling (length shrinks by the factor)', () => {
    expect(changeSpeed(tone, 16000, 1.1).length).toBeCloseTo(16000 / 1.1, -1);
  });

  it('convolves like the direct sum, and a unit impulse is the identity', () => {
    const kernel = Float32Array.of(1, 0.5, -0.25);
    const y = convolve(tone, kernel);
    expect(y[10]).toBeCloseTo(tone[10] + 0.5 * tone[9] - 0.25 * tone[8], 5);
    const ir = syntheticRoomImpulse(16000, 0.3, 100, createRng(1));
    expect(ir[0]).toBe(1);
    expect(ir.length).toBe(4800);
  });

  it('adds noise at the requested SNR', () => {
    const x = tone.slice();
    addNoise(x, colouredNoise(x.length, 1, createRng(3)), 10);
    const noiseOnly = x.map((v, i) => v - tone[i]);
    expect(20 * Math.log10(rms(tone) / rms(noiseOnly))).toBeCloseTo(10, 0);
  });
});
