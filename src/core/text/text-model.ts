import { EMOTIONS, type EmotionLabel } from '../emotion/emotions.ts';
import type { TextFeatureSpec } from './text-features.ts';

/**
 * The text model's arithmetic, pure: the mean of the feature rows of an embedding table (an
 * EmbeddingBag), an optional ReLU hidden layer, then an emotion head (softmax over
 * `classes`, divided by the calibration temperature) and an affect head (tanh → valence,
 * arousal). Training (PyTorch) writes the same layers; the adapter loads them and calls this.
 */

/** One weight tensor as stored in weights.bin, in order. */
export interface TextTensorSpec {
  name: string;
  shape: number[];
}

/** The model's contract, written by `npm run train:text` into models/text-emotion/metadata.json. */
export interface TextModelMetadata {
  kind: 'norae-text-emotion';
  version: 1;
  /** Languages the net was trained on (ISO 639-1). Other text is read by the lexicon. */
  languages: string[];
  features: TextFeatureSpec;
  /** Emotion head's classes, each one of Norae's emotions. */
  classes: EmotionLabel[];
  embeddingDim: number;
  /** 0: the heads read the pooled embedding directly. */
  hiddenUnits: number;
  weights: { file: string; dtype: 'float16' | 'float32'; tensors: TextTensorSpec[] };
  /** Softmax temperature fitted on cross-validated predictions. */
  temperature: number;
  /** Below this top probability a reading says it is unsure (weighs less in fusion). */
  unsureBelow: number;
  /** Cross-validated reliability: what fusion weighs the words by. */
  reliability: { perEmotion: Partial<Record<EmotionLabel, number>>; valence: number; arousal: number };
}

export class TextModelContractError extends Error {
  constructor(message: string) {
    super(`Text model: ${message}`);
    this.name = 'TextModelContractError';
  }
}

/** The loaded weights, each a flat row-major Float32Array. */
export interface TextModelWeights {
  embedding: Float32Array;
  hiddenWeight: Float32Array | null;
  hiddenBias: Float32Array | null;
  emotionWeight: Float32Array;
  emotionBias: Float32Array;
  affectWeight: Float32Array;
  affectBias: Float32Array;
}

/** What the net read from a text. */
export interface TextModelOutput {
  /** Probability of each of `classes`, calibrated. */
  probabilities: Float32Array;
  valence: number;
  arousal: number;
  /** Features the text gave (0: nothing to read). */
  featureCount: number;
}

/** The tensors a metadata's architecture needs, in weights.bin order. */
export function expectedTextTensors(meta: Pick<TextModelMetadata, 'features' | 'classes' | 'embeddingDim' | 'hiddenUnits'>): TextTensorSpec[] {
  const d = meta.embeddingDim;
  const h = meta.hiddenUnits;
  const top = h > 0 ? h : d;
  return [
    { name: 'embedding', shape: [meta.features.buckets, d] },
    ...(h > 0 ? [{ name: 'hidden.weight', shape: [h, d] }, { name: 'hidden.bias', shape: [h] }] : []),
    { name: 'emotion.weight', shape: [meta.classes.length, top] },
    { name: 'emotion.bias', shape: [meta.classes.length] },
    { name: 'affect.weight', shape: [2, top] },
    { name: 'affect.bias', shape: [2] },
  ];
}

/** Checks parsed metadata.json against this code; throws {@link TextModelContractError} naming what disagrees. */
export function parseTextModelMetadata(raw: unknown): TextModelMetadata {
  const m = raw as Partial<TextModelMetadata> | null;
  if (!m || m.kind !== 'norae-text-emotion' || m.version !== 1) throw new TextModelContractError(`metadata kind/version is ${String(m?.kind)}/${String(m?.version)}, expected norae-text-emotion/1`);
  const f = m.features;
  if (!f || f.kind !== 'hashed-ngrams' || f.version !== 1 || !(f.buckets > 0)) throw new TextModelContractError('features are not hashed-ngrams v1 with buckets > 0');
  if (!Array.isArray(m.classes) || m.classes.length === 0 || m.classes.some((c) => !(EMOTIONS as readonly string[]).includes(c))) {
    throw new TextModelContractError(`classes ${JSON.stringify(m.classes)} are not all Norae emotions`);
  }
  if (!(Number(m.embeddingDim) > 0) || !(Number(m.hiddenUnits) >= 0)) throw new TextModelContractError('embeddingDim must be > 0 and hiddenUnits ≥ 0');
  if (!m.weights || !Array.isArray(m.weights.tensors)) throw new TextModelContractError('weights.tensors missing');
  const expected = expectedTextTensors(m as TextModelMetadata);
  const found = m.weights.tensors;
  const same = expected.length === found.length && expected.every((e, i) => e.name === found[i].name && e.shape.join('×') === found[i].shape.join('×'));
  if (!same) {
    const show = (ts: TextTensorSpec[]): string => ts.map((t) => `${t.name}[${t.shape.join('×')}]`).join(', ');
    throw new TextModelContractError(`weights are ${show(found)}, this code expects ${show(expected)}`);
  }
  if (!(Number(m.temperature) > 0) || !(Number(m.unsureBelow) >= 0)) throw new TextModelContractError('temperature must be > 0 and unsureBelow ≥ 0');
  if (!m.reliability || !Number.isFinite(m.reliability.valence) || !Number.isFinite(m.reliability.arousal)) throw new TextModelContractError('reliability missing');
  return m as TextModelMetadata;
}

/** Elements of one tensor. */
function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Splits weights.bin into the tensors its metadata names (float16 or float32, little-endian),
 * checking the byte count.
 */
export function splitTextWeights(meta: TextModelMetadata, bytes: ArrayBuffer | Uint8Array): TextModelWeights {
  const view = bytes instanceof Uint8Array ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(bytes);
  const size = meta.weights.dtype === 'float16' ? 2 : 4;
  const total = meta.weights.tensors.reduce((s, t) => s + elements(t.shape), 0);
  if (view.byteLength !== total * size) throw new TextModelContractError(`weights.bin has ${view.byteLength} bytes, metadata describes ${total * size}`);
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const t of meta.weights.tensors) {
    const n = elements(t.shape);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, offset += size) a[i] = size === 2 ? float16ToFloat32(view.getUint16(offset, true)) : view.getFloat32(offset, true);
    out.set(t.name, a);
  }
  return {
    embedding: out.get('embedding') as Float32Array,
    hiddenWeight: out.get('hidden.weight') ?? null,
    hiddenBias: out.get('hidden.bias') ?? null,
    emotionWeight: out.get('emotion.weight') as Float32Array,
    emotionBias: out.get('emotion.bias') as Float32Array,
    affectWeight: out.get('affect.weight') as Float32Array,
    affectBias: out.get('affect.bias') as Float32Array,
  };
}

/** IEEE 754 half → single precision. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** y = W·x + b for a row-major W of `rows` × x.length. */
function dense(w: Float32Array, b: Float32Array, x: Float32Array, rows: number): Float32Array {
  const cols = x.length;
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b[r];
    for (let c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
    y[r] = s;
  }
  return y;
}

/** Runs the model on feature indices (from `textFeatureIndices` with `meta.features`). */
export function runTextModel(meta: TextModelMetadata, weights: TextModelWeights, indices: Uint32Array): TextModelOutput {
  const d = meta.embeddingDim;
  let x: Float32Array = new Float32Array(d);
  for (const row of indices) for (let j = 0; j < d; j++) x[j] += weights.embedding[row * d + j];
  if (indices.length > 0) for (let j = 0; j < d; j++) x[j] /= indices.length;
  if (meta.hiddenUnits > 0 && weights.hiddenWeight && weights.hiddenBias) {
    x = dense(weights.hiddenWeight, weights.hiddenBias, x, meta.hiddenUnits).map((v) => Math.max(0, v));
  }
  const logits = dense(weights.emotionWeight, weights.emotionBias, x, meta.classes.length);
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l / meta.temperature);
  const probabilities = new Float32Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += probabilities[i] = Math.exp(logits[i] / meta.temperature - max);
  for (let i = 0; i < logits.length; i++) probabilities[i] /= total;
  const affect = dense(weights.affectWeight, weights.affectBias, x, 2);
  return { probabilities, valence: Math.tanh(affect[0]), arousal: Math.tanh(affect[1]), featureCount: indices.length };
}
