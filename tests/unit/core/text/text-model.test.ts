import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { expectedTextTensors, float16ToFloat32, parseTextModelMetadata, runTextModel, splitTextWeights, type TextModelMetadata } from '../../../../src/core/text/text-model.ts';

/** A two-dimensional model small enough to compute by hand. */
function tinyModel(dtype: 'float32' | 'float16' = 'float32', hiddenUnits = 0) {
  const base = {
    kind: 'norae-text-emotion' as const,
    version: 1 as const,
    languages: ['ko'],
    features: { kind: 'hashed-ngrams' as const, version: 1 as const, buckets: 3, charNgramMin: 1, charNgramMax: 3, wordNgramMax: 2, negation: true },
    classes: [...EMOTIONS],
    embeddingDim: 2,
    hiddenUnits,
    temperature: 2,
    unsureBelow: 0.3,
    reliability: { perEmotion: { happy: 0.8 }, valence: 0.7, arousal: 0.4 },
  };
  const tensors = expectedTextTensors(base);
  const meta: TextModelMetadata = { ...base, weights: { file: 'weights.bin', dtype, tensors } };
  const values: number[] = [];
  // embedding rows: [1, 0], [0, 1], [1, 1]
  values.push(1, 0, 0, 1, 1, 1);
  if (hiddenUnits > 0) values.push(1, 0, 0, -1, 0, 0); // hidden 2×2: [x0, −x1], bias 0 → ReLU
  // emotion head: only "happy" (index 1) reads dim 0 with weight 2; all biases 0
  for (let c = 0; c < 8; c++) values.push(c === 1 ? 2 : 0, 0);
  for (let c = 0; c < 8; c++) values.push(0);
  values.push(1, 0, 0, 1, 0, 0); // affect = tanh([x0, x1])
  const bytes = new DataView(new ArrayBuffer(values.length * (dtype === 'float16' ? 2 : 4)));
  values.forEach((v, i) => {
    if (dtype === 'float32') bytes.setFloat32(i * 4, v, true);
    else bytes.setUint16(i * 2, v === 0 ? 0 : v === 1 ? 0x3c00 : v === 2 ? 0x4000 : 0xbc00, true);
  });
  return { meta, bytes: new Uint8Array(bytes.buffer) };
}

describe('text model', () => {
  it('mean-pools the rows, applies the heads, the temperature and tanh', () => {
    const { meta, bytes } = tinyModel();
    const out = runTextModel(meta, splitTextWeights(meta, bytes), new Uint32Array([0, 2]));
    // pooled = ([1,0] + [1,1]) / 2 = [1, 0.5]; happy logit 2 / T 2 = 1, others 0.
    const e = Math.E;
    expect(out.probabilities[1]).toBeCloseTo(e / (e + 7), 6);
    expect(out.valence).toBeCloseTo(Math.tanh(1), 6);
    expect(out.arousal).toBeCloseTo(Math.tanh(0.5), 6);
    expect(out.featureCount).toBe(2);
    const nothing = runTextModel(meta, splitTextWeights(meta, bytes), new Uint32Array(0));
    expect(nothing.probabilities[1]).toBeCloseTo(1 / 8, 6);
  });

  it('reads float16 weights and a ReLU hidden layer', () => {
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x3555)).toBeCloseTo(0.33325, 5);
    const { meta, bytes } = tinyModel('float16', 2);
    const out = runTextModel(meta, splitTextWeights(meta, bytes), new Uint32Array([1]));
    // pooled [0, 1] → hidden ReLU([0, −1]) = [0, 0] → every logit 0, affect 0.
    expect(out.probabilities[1]).toBeCloseTo(1 / 8, 6);
    expect(out.arousal).toBe(0);
  });

  it('refuses metadata and weights that disagree, naming what', () => {
    const { meta, bytes } = tinyModel();
    expect(parseTextModelMetadata(JSON.parse(JSON.stringify(meta)))).toMatchObject({ embeddingDim: 2 });
    const wrongShape = { ...meta, weights: { ...meta.weights, tensors: meta.weights.tensors.map((t) => (t.name === 'embedding' ? { ...t, shape: [3, 4] } : t)) } };
    expect(() => parseTextModelMetadata(wrongShape)).toThrow(/embedding\[3×4\].*expects embedding\[3×2\]/);
    expect(() => parseTextModelMetadata({ ...meta, classes: ['happy', 'bored'] })).toThrow(/not all Norae emotions/);
    expect(() => parseTextModelMetadata({ ...meta, kind: 'other' })).toThrow(/norae-text-emotion/);
    expect(() => splitTextWeights(meta, bytes.slice(4))).toThrow(/bytes, metadata describes/);
  });
});
