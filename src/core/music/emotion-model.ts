import { moodOf, type MoodId } from '../emotion/circumplex.ts';
import { AnalysisError } from './analysis-error.ts';
import { SONG_FEATURE_NAMES, type SongFeatureName, type SongFeatures } from './song-features.ts';

/**
 * Version of the whole analysis (features + shipped model). The app stores it with each song
 * and re-analyses songs whose stored version differs, so bump it whenever the analyser's
 * features or `models/music-emotion/model-v*.json` change. A unit test checks that the shipped
 * model names this same version. Analyser 2: songs are analysed as up to three 30-s excerpts
 * (core/music/excerpts.ts) instead of whole; the 30-s clips, and so the model, are unchanged.
 */
export const ANALYSER_VERSION = 'music-analyser-2/model-1';

/** Normalisation of one input: a fixed reference range from the training data, never the user's library. */
export interface ModelFeature {
  name: SongFeatureName;
  /** Optional compression applied before normalising: `log` = ln(max(x, 1e-6)). */
  transform?: 'log';
  /** Reference range (5th and 95th percentile of the training clips, after the transform). */
  referenceLow: number;
  referenceHigh: number;
}

/** One linear head: logit z = bias + Σ weight · normalised feature (+ arousal-gated terms for valence). */
export interface ModelHead {
  bias: number;
  weights: Partial<Record<SongFeatureName, number>>;
  /**
   * Valence only, optional: extra weight per feature multiplied by the predicted arousal
   * (−1 … 1), so a feature may mean something different in calm and in excited music
   * (e.g. noisiness: angry when loud, neither when quiet). Still linear per feature.
   */
  arousalGatedWeights?: Partial<Record<SongFeatureName, number>>;
  arousalGatedBias?: number;
}

export interface MusicEmotionModel {
  format: 'norae-music-emotion';
  version: number;
  /** Must equal {@link ANALYSER_VERSION} for the shipped model. */
  analyserVersion: string;
  features: ModelFeature[];
  valence: ModelHead;
  arousal: ModelHead;
  /** Free-form provenance (training data, method, cross-validated figures). */
  training?: unknown;
}

/** One feature's signed push on a score, in logit units (the score is tanh(logit / 2)). */
export interface FeatureContribution {
  feature: SongFeatureName;
  value: number;
}

export interface SongEmotion {
  /** Unpleasant (−1) … pleasant (+1): tanh(valence logit / 2) = 2·P(positive) − 1. */
  valence: number;
  /** Calm (−1) … excited (+1). */
  arousal: number;
  /** Circumplex octant of (valence, arousal). */
  mood: MoodId;
  /** Distance from the centre, 0 … 1. */
  intensity: number;
  /** Per-feature pushes, largest magnitude first (only non-zero ones). */
  contributions: { valence: FeatureContribution[]; arousal: FeatureContribution[] };
}

/** Normalised value of a feature: the reference range maps to [−1, 1], clamped to [−3, 3]. */
export function normaliseFeature(value: number, feature: ModelFeature): number {
  let x = Number.isFinite(value) ? value : 0;
  if (feature.transform === 'log') x = Math.log(Math.max(x, 1e-6));
  const mid = (feature.referenceHigh + feature.referenceLow) / 2;
  const half = (feature.referenceHigh - feature.referenceLow) / 2;
  const z = half > 0 ? (x - mid) / half : 0;
  return Math.max(-3, Math.min(3, z));
}

function headLogit(
  head: ModelHead,
  normalised: Map<SongFeatureName, number>,
  gate: number,
): { logit: number; contributions: FeatureContribution[] } {
  let logit = head.bias + (head.arousalGatedBias ?? 0) * gate;
  const contributions: FeatureContribution[] = [];
  const names = new Set<SongFeatureName>([
    ...(Object.keys(head.weights) as SongFeatureName[]),
    ...(Object.keys(head.arousalGatedWeights ?? {}) as SongFeatureName[]),
  ]);
  for (const name of names) {
    const weight = (head.weights[name] ?? 0) + (head.arousalGatedWeights?.[name] ?? 0) * gate;
    const value = weight * (normalised.get(name) ?? 0);
    logit += value;
    if (value !== 0) contributions.push({ feature: name, value });
  }
  contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return { logit, contributions };
}

/** Below this share of audible frames a song has no emotion to read (silence, a lone click). */
export const MIN_AUDIBLE_FRACTION = 0.05;

/**
 * Places a song on the valence–arousal plane and says which features put it there. A
 * (nearly) silent song sits at the centre with intensity 0 and no contributions, rather than
 * wherever its out-of-range features would throw it.
 */
export function predictSongEmotion(features: SongFeatures, model: MusicEmotionModel): SongEmotion {
  if (!(features.audibleFraction >= MIN_AUDIBLE_FRACTION)) {
    const { mood } = moodOf({ valence: 0, arousal: 0 });
    return { valence: 0, arousal: 0, mood, intensity: 0, contributions: { valence: [], arousal: [] } };
  }
  const normalised = new Map<SongFeatureName, number>();
  for (const feature of model.features) normalised.set(feature.name, normaliseFeature(features[feature.name], feature));
  const arousalHead = headLogit(model.arousal, normalised, 0);
  const arousal = Math.tanh(arousalHead.logit / 2);
  const valenceHead = headLogit(model.valence, normalised, arousal);
  const valence = Math.tanh(valenceHead.logit / 2);
  const safe = (v: number): number => (Number.isFinite(v) ? v : 0);
  const { mood, intensity } = moodOf({ valence: safe(valence), arousal: safe(arousal) });
  return {
    valence: safe(valence),
    arousal: safe(arousal),
    mood,
    intensity,
    contributions: { valence: valenceHead.contributions, arousal: arousalHead.contributions },
  };
}

const FEATURE_NAME_SET = new Set<string>(SONG_FEATURE_NAMES);

function fail(path: string, message: string): never {
  throw new AnalysisError('invalid-model', `music emotion model: ${path} ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

function parseWeights(value: unknown, path: string, declared: Set<string>): Partial<Record<SongFeatureName, number>> {
  if (!isRecord(value)) fail(path, 'must be an object of feature → weight');
  const weights: Partial<Record<SongFeatureName, number>> = {};
  for (const [name, weight] of Object.entries(value)) {
    if (!declared.has(name)) fail(`${path}.${name}`, 'is not one of the model\'s declared features');
    weights[name as SongFeatureName] = finiteNumber(weight, `${path}.${name}`);
  }
  return weights;
}

function parseHead(value: unknown, path: string, declared: Set<string>, gated: boolean): ModelHead {
  if (!isRecord(value)) fail(path, 'must be an object');
  const head: ModelHead = {
    bias: finiteNumber(value.bias, `${path}.bias`),
    weights: parseWeights(value.weights, `${path}.weights`, declared),
  };
  if (value.arousalGatedWeights !== undefined) {
    if (!gated) fail(`${path}.arousalGatedWeights`, 'is only allowed on the valence head');
    head.arousalGatedWeights = parseWeights(value.arousalGatedWeights, `${path}.arousalGatedWeights`, declared);
  }
  if (value.arousalGatedBias !== undefined) {
    if (!gated) fail(`${path}.arousalGatedBias`, 'is only allowed on the valence head');
    head.arousalGatedBias = finiteNumber(value.arousalGatedBias, `${path}.arousalGatedBias`);
  }
  return head;
}

/** Validates a model JSON (already `JSON.parse`d); throws `AnalysisError('invalid-model')` saying what is wrong. */
export function parseMusicEmotionModel(json: unknown): MusicEmotionModel {
  if (!isRecord(json)) fail('(root)', 'must be an object');
  if (json.format !== 'norae-music-emotion') fail('format', `must be "norae-music-emotion", got ${JSON.stringify(json.format)}`);
  const version = finiteNumber(json.version, 'version');
  if (!Number.isInteger(version) || version < 1) fail('version', 'must be a positive integer');
  if (typeof json.analyserVersion !== 'string' || !json.analyserVersion) fail('analyserVersion', 'must be a non-empty string');
  if (!Array.isArray(json.features) || json.features.length === 0) fail('features', 'must be a non-empty array');
  const declared = new Set<string>();
  const features: ModelFeature[] = json.features.map((entry: unknown, i: number) => {
    const path = `features[${i}]`;
    if (!isRecord(entry)) fail(path, 'must be an object');
    if (typeof entry.name !== 'string' || !FEATURE_NAME_SET.has(entry.name)) fail(`${path}.name`, `must name a SongFeatures field, got ${JSON.stringify(entry.name)}`);
    if (declared.has(entry.name)) fail(`${path}.name`, `declares ${entry.name} twice`);
    declared.add(entry.name);
    if (entry.transform !== undefined && entry.transform !== 'log') fail(`${path}.transform`, 'must be "log" when present');
    const referenceLow = finiteNumber(entry.referenceLow, `${path}.referenceLow`);
    const referenceHigh = finiteNumber(entry.referenceHigh, `${path}.referenceHigh`);
    if (!(referenceHigh > referenceLow)) fail(path, 'needs referenceHigh > referenceLow');
    const feature: ModelFeature = { name: entry.name as SongFeatureName, referenceLow, referenceHigh };
    if (entry.transform === 'log') feature.transform = 'log';
    return feature;
  });
  return {
    format: 'norae-music-emotion',
    version,
    analyserVersion: json.analyserVersion,
    features,
    valence: parseHead(json.valence, 'valence', declared, true),
    arousal: parseHead(json.arousal, 'arousal', declared, false),
    training: json.training,
  };
}
