import { describe, expect, it } from 'vitest';
import { concatBytes, concatSamples } from '../../../src/core/typed-arrays.ts';

describe('typed arrays joined', () => {
  it('puts bytes one after another, empty parts and all, in a new array', () => {
    const a = Uint8Array.of(1, 2);
    const joined = concatBytes([a, new Uint8Array(0), Uint8Array.of(3)]);
    expect([...joined]).toEqual([1, 2, 3]);
    expect(joined).toBeInstanceOf(Uint8Array);
    joined[0] = 9;
    expect(a[0]).toBe(1);
    expect(concatBytes([]).length).toBe(0);
  });

  it('keeps samples as floats', () => {
    const joined = concatSamples([Float32Array.of(0.25), Float32Array.of(-0.5, 1.5)]);
    expect(joined).toBeInstanceOf(Float32Array);
    expect([...joined]).toEqual([0.25, -0.5, 1.5]);
  });
});
