import { describe, expect, it } from 'vitest';
import { Dct } from '../../../../src/core/audio/dct.ts';
import { downmixToMono } from '../../../../src/core/audio/downmix.ts';
import { hzToMel, MelFilterbank, melToHz } from '../../../../src/core/audio/mel.ts';
import { StftFramer } from '../../../../src/core/audio/stft.ts';

describe('StftFramer', () => {
  it('emits the same frames whatever the chunking', () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7));
    const collect = (chunk: number): number[][] => {
      const framer = new StftFramer({ frameSizeSamples: 64, hopSizeSamples: 16 });
      const frames: number[][] = [];
      for (let i = 0; i < x.length; i += chunk) framer.push(x.subarray(i, i + chunk), (f) => frames.push(Array.from(f)));
      return frames;
    };
    const whole = collect(1000);
    expect(whole.length).toBe(Math.floor((1000 - 64) / 16) + 1);
    expect(collect(7)).toEqual(whole);
    expect(collect(64)).toEqual(whole);
    expect(whole[3][0]).toBeCloseTo(Math.sin(48 / 7), 6);
  });

  it('applies the window and passes the raw frame too', () => {
    const window = new Float32Array(4).fill(0.5);
    const framer = new StftFramer({ frameSizeSamples: 4, hopSizeSamples: 2, window });
    const seen: Array<[number[], number[]]> = [];
    framer.push(Float32Array.from([1, 2, 3, 4, 5, 6]), (f, _i, raw) => seen.push([Array.from(f), Array.from(raw)]));
    expect(seen).toEqual([
      [[0.5, 1, 1.5, 2], [1, 2, 3, 4]],
      [[1.5, 2, 2.5, 3], [3, 4, 5, 6]],
    ]);
  });
});

describe('mel scale', () => {
  it('matches the published scales', () => {
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 9);
    expect(hzToMel(200, 'slaney')).toBeCloseTo(3, 9);
    expect(hzToMel(1000, 'htk')).toBeCloseTo(999.9855, 3);
    for (const f of [0, 60, 440, 999, 1000, 4000, 11025]) {
      expect(melToHz(hzToMel(f, 'slaney'), 'slaney')).toBeCloseTo(f, 6);
      expect(melToHz(hzToMel(f, 'htk'), 'htk')).toBeCloseTo(f, 6);
    }
  });

  it('Slaney-normalised filters each have unit area in Hz (wide bands) and cover the range', () => {
    const rate = 22_050;
    const size = 2048;
    const bank = new MelFilterbank({ sampleRateHz: rate, fftSizeSamples: size, melBandCount: 40 });
    const binHz = rate / size;
    for (let m = 10; m < 40; m++) {
      const area = bank.weights[m].reduce((a, w) => a + w, 0) * binHz;
      expect(area).toBeGreaterThan(0.9);
      expect(area).toBeLessThan(1.1);
    }
    expect(bank.centreFrequenciesHz[0]).toBeGreaterThan(0);
    expect(bank.centreFrequenciesHz[39]).toBeLessThan(rate / 2);
  });

  it('unnormalised filters peak at 1 and a flat spectrum gives each band its weight sum', () => {
    const bank = new MelFilterbank({ sampleRateHz: 16_000, fftSizeSamples: 512, melBandCount: 26, norm: 'none', scale: 'htk', minFrequencyHz: 20, maxFrequencyHz: 8000 });
    for (const w of bank.weights) expect(Math.max(...w)).toBeLessThanOrEqual(1);
    const flat = new Float64Array(257).fill(1);
    const out = bank.apply(flat, new Float64Array(26));
    for (let m = 0; m < 26; m++) expect(out[m]).toBeCloseTo(bank.weights[m].reduce((a, w) => a + w, 0), 5);
  });
});

describe('Dct', () => {
  it('is orthonormal DCT-II: a constant maps to c0 = √N · value; energy is preserved', () => {
    const dct = new Dct(8);
    const out = dct.apply(new Float64Array(8).fill(2), new Float64Array(8));
    expect(out[0]).toBeCloseTo(2 * Math.sqrt(8), 9);
    for (let k = 1; k < 8; k++) expect(out[k]).toBeCloseTo(0, 9);
    const x = Float64Array.from([1, -2, 3, 0.5, 4, -1, 0, 2]);
    const y = dct.apply(x, new Float64Array(8));
    expect(y.reduce((a, v) => a + v * v, 0)).toBeCloseTo(x.reduce((a, v) => a + v * v, 0), 9);
  });

  it('keeps only the first coefficients when asked (MFCC use)', () => {
    const dct = new Dct(40, 13);
    expect(dct.apply(new Float64Array(40).fill(1), new Float64Array(13)).length).toBe(13);
    expect(() => new Dct(4, 5)).toThrow(RangeError);
  });
});

describe('downmixToMono', () => {
  it('averages channels and copies mono', () => {
    expect(Array.from(downmixToMono([Float32Array.from([1, 0]), Float32Array.from([0, 1])]))).toEqual([0.5, 0.5]);
    expect(Array.from(downmixToMono([Float32Array.from([0.25, 1])]))).toEqual([0.25, 1]);
    const three = downmixToMono([Float32Array.from([3]), Float32Array.from([0]), Float32Array.from([0])]);
    expect(three[0]).toBeCloseTo(1, 6);
    expect(downmixToMono([]).length).toBe(0);
  });
});
