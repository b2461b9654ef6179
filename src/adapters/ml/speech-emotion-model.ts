import * as tf from '@tensorflow/tfjs';
import { EMOTIONS, normaliseDistribution, type EmotionDistribution, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { buildModelInputs, planSegments, type SpeechSegment } from '../../core/speech/model-input.ts';
import { SpeechAnalyser, type SpeechAnalysis } from '../../core/speech/speech-analysis.ts';
import { SpeechModelContractError, parseSpeechModelMetadata, type SpeechModelMetadata, type TensorSpec, type VoiceModeReliability } from '../../core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../core/speech/utterance-stats.ts';
import { effectiveNormalisation, profileWeight, profileWeightingOf, voiceProfileContribution, weightedVoiceProfileContribution, withColdTop, type EffectiveNormalisation, type VoiceProfileStats } from '../../core/speech/voice-profile.ts';

/**
 * The speech-emotion model in the app and in Node: loads `metadata.json` + the tfjs
 * LayersModel, checks them against each other and against this code, and turns mono audio
 * into an emotion distribution. Runs on whatever backend `selectBackend()` chose.
 */

/** Model files already in memory (Node eval/CI, tests, or an app that fetched them itself). */
export interface SpeechModelFiles {
  /** Parsed `metadata.json`. */
  metadata: unknown;
  /** Parsed `model.json` (tfjs LayersModel format). */
  modelJson: unknown;
  /** Weight files named in `model.json`'s `weightsManifest` paths → their bytes. */
  weightFiles: Record<string, ArrayBuffer | Uint8Array>;
}

/** A spectrogram for display: log-mel power in dB, band-major (`data[band · frameCount + frame]`, band 0 = lowest). */
export interface SpeechSpectrogram {
  data: Float32Array;
  melBandCount: number;
  frameCount: number;
  /** Seconds between columns. */
  hopSeconds: number;
  /** Where column 0 starts in the input, seconds (leading silence is trimmed). */
  startSeconds: number;
}

/** An analysed recording, ready for {@link SpeechEmotionPredictor.predictAnalysed} (features only; no model run). */
export interface AnalysedUtterance {
  analysis: SpeechAnalysis;
  segments: SpeechSegment[];
  /**
   * This recording's statistics as a voice profile, *unweighted* (features only, no reading yet):
   * what the app merges is {@link SpeechEmotionResult.profileContribution}, weighted by the reading.
   */
  profileContribution: VoiceProfileStats;
}

export interface SpeechEmotionResult {
  /** Calibrated probability of each of the eight emotions; the unsupported ones (contempt) are always 0. */
  distribution: EmotionDistribution;
  /**
   * The model's own valence and arousal outputs (−1…1), averaged over its windows: the voice's
   * point on the plane. Positive arousal = an activated voice (see metadata `affectTargets`).
   */
  valence: number;
  arousal: number;
  /** The most probable emotion. */
  top: EmotionLabel;
  /** Probability of `top` (0–1; calibrated: among readings at 0.6, about 60 % were right in cross-validation). */
  confidence: number;
  /** True when `confidence` is below the model's `unsureBelow`: the reading should say it is unsure and weigh less. */
  unsure: boolean;
  /** How far this mode (cold or adapted) can be trusted, from training's cross-validation: what fusion weighs the voice by. */
  reliability: VoiceModeReliability;
  /** The trimmed log-mel spectrogram, for display. */
  frames: SpeechSpectrogram;
  /** Seconds of speech found (frames above the silence thresholds). */
  speechSeconds: number;
  /** Model windows run and segments aggregated (long audio: many). */
  windowCount: number;
  segmentCount: number;
  /** True when a voice profile shaped the normalisation (only once it is mature: metadata `adaptation`). */
  adapted: boolean;
  /**
   * This recording's statistics, to merge into the speaker's voice profile (`mergeVoiceProfiles`):
   * **weighted** by {@link profileWeight} (frame count, M2 and utterance count × the weight), so the
   * profile learns the voice and not the mood.
   */
  profileContribution: VoiceProfileStats;
  /**
   * How much this recording counts in the voice profile, 0–1 (metadata `adaptation.profileWeighting`),
   * from its *cold* reading: when this reading was adapted, the cold one is computed too (a second
   * forward pass with the population normalisation); 1 when the weighting is `none`.
   */
  profileWeight: number;
  /** Fraction of clipped input samples (≥ 0.999 full scale): a hint to lower the input gain. */
  clippedFraction: number;
}

export interface SpeechEmotionPredictor {
  readonly metadata: SpeechModelMetadata;
  /** Emotions the model can recognise (seven: all but contempt). */
  readonly recognisedLabels: readonly EmotionLabel[];
  /** Emotions it cannot recognise (always probability 0): contempt. */
  readonly unsupportedLabels: readonly EmotionLabel[];
  /** Features only (no model): for calibration recordings, or to analyse once and predict later. */
  analyse(monoSamples: Float32Array, sampleRateHz: number): AnalysedUtterance;
  /** Runs the model on an analysed recording, normalised with `profile` when given (else population statistics). */
  predictAnalysed(utterance: AnalysedUtterance, profile?: VoiceProfileStats | null): Promise<SpeechEmotionResult>;
  /**
   * `analyse` + `predictAnalysed`. Throws `SpeechInputError` (`silent`, `too-short`,
   * `invalid-audio`) for unusable audio. 1 s … 10 minutes and more: long audio is cut into
   * segments and windows whose probabilities are averaged.
   */
  predict(monoSamples: Float32Array, sampleRateHz: number, profile?: VoiceProfileStats | null): Promise<SpeechEmotionResult>;
  /**
   * Runs the model once on zeros so the first real prediction does not pay for kernel set-up
   * (WebGL shader compilation, wasm initialisation): call after loading, while the user is
   * still speaking. Leaves no tensors behind.
   */
  warmUp(): Promise<void>;
  /** Frees the model's weights. */
  dispose(): void;
}

/** Windows per `model.predict` call: bounds memory for 10-minute inputs. */
const WINDOWS_PER_BATCH = 32;

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
}

/** Fails with a descriptive error unless the model's inputs/output match metadata.json. */
export function checkModelAgainstMetadata(model: tf.LayersModel, metadata: SpeechModelMetadata): void {
  const check = (role: string, actual: readonly (number | null)[] | undefined, spec: TensorSpec) => {
    if (!actual || shapeText(actual) !== shapeText(spec.shape)) {
      throw new SpeechModelContractError(
        `speech-emotion model: ${role} "${spec.name}" has shape ${actual ? shapeText(actual) : 'none'} but metadata.json says ${shapeText(spec.shape)} — model.json and metadata.json come from different trainings`,
      );
    }
  };
  // tfjs suffixes layer names that repeat within a session (`log_mel_3` when a second copy loads).
  const baseName = (name: string) => name.split('/')[0].replace(/_\d+$/, '');
  const inputNamed = (name: string) => model.inputs.find((input) => input.name === name || baseName(input.name) === name);
  const logMel = inputNamed(metadata.inputs.logMel.name);
  const stats = inputNamed(metadata.inputs.stats.name);
  if (!logMel || !stats || model.inputs.length !== 2) {
    throw new SpeechModelContractError(
      `speech-emotion model: inputs are ${model.inputs.map((i) => `"${i.name}"`).join(', ')}; metadata.json expects "${metadata.inputs.logMel.name}" and "${metadata.inputs.stats.name}"`,
    );
  }
  check('input', logMel.shape, metadata.inputs.logMel);
  check('input', stats.shape, metadata.inputs.stats);
  outputOrder(model, metadata).forEach((index, k) => check('output', model.outputs[index].shape, k === 0 ? metadata.outputs.emotion : metadata.outputs.affect));
}

/** Indices of the `emotion` and `affect` outputs in `model.outputs` (by layer name). */
function outputOrder(model: tf.LayersModel, metadata: SpeechModelMetadata): [number, number] {
  const baseName = (name: string) => name.replace(/_\d+$/, '');
  const find = (name: string) => model.outputNames.findIndex((n) => n === name || baseName(n) === name);
  const emotion = find(metadata.outputs.emotion.name);
  const affect = find(metadata.outputs.affect.name);
  if (model.outputs.length !== 2 || emotion < 0 || affect < 0) {
    throw new SpeechModelContractError(
      `speech-emotion model: outputs are ${model.outputNames.map((n) => `"${n}"`).join(', ')}; metadata.json expects "${metadata.outputs.emotion.name}" and "${metadata.outputs.affect.name}"`,
    );
  }
  return [emotion, affect];
}

async function fetchOk(fetcher: typeof fetch, url: string): Promise<Response> {
  const response = await fetcher(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return response;
}

/** Fetches metadata.json, model.json and its weight files from `baseUrl` (a folder URL). */
export async function fetchSpeechModelFiles(baseUrl: string, fetcher: typeof fetch = fetch): Promise<SpeechModelFiles> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const [metadata, modelJson] = await Promise.all([
    fetchOk(fetcher, `${base}metadata.json`).then((r) => r.json() as Promise<unknown>),
    fetchOk(fetcher, `${base}model.json`).then((r) => r.json() as Promise<unknown>),
  ]);
  const paths = weightPaths(modelJson);
  const buffers = await Promise.all(paths.map((path) => fetchOk(fetcher, `${base}${path}`).then((r) => r.arrayBuffer())));
  return { metadata, modelJson, weightFiles: Object.fromEntries(paths.map((path, i) => [path, buffers[i]])) };
}

interface LayersModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function asLayersModelJson(json: unknown): LayersModelJson {
  const m = json as Partial<LayersModelJson> | null;
  if (!m || typeof m !== 'object' || typeof m.modelTopology !== 'object' || !Array.isArray(m.weightsManifest)) {
    throw new SpeechModelContractError('speech-emotion model.json is not a tfjs LayersModel (needs modelTopology and weightsManifest)');
  }
  return m as LayersModelJson;
}

function weightPaths(modelJson: unknown): string[] {
  return asLayersModelJson(modelJson).weightsManifest.flatMap((group) => group.paths);
}

/**
 * Loads the speech-emotion model from a folder URL (browser: e.g. `/models/speech-emotion/`)
 * or from files in memory (Node), validates metadata.json against this code
 * ({@link parseSpeechModelMetadata}) and the model's input/output shapes against
 * metadata.json, and returns a predictor. Call `selectBackend()` first.
 */
export async function loadSpeechEmotionModel(source: string | SpeechModelFiles, options: { fetch?: typeof fetch } = {}): Promise<SpeechEmotionPredictor> {
  const files = typeof source === 'string' ? await fetchSpeechModelFiles(source, options.fetch ?? fetch) : source;
  const metadataProbe = files.metadata as { features?: { melBandCount?: unknown } } | null;
  const bands = typeof metadataProbe?.features?.melBandCount === 'number' ? metadataProbe.features.melBandCount : 0;
  const metadata = parseSpeechModelMetadata(files.metadata, utteranceStatNames(bands));
  const modelJson = asLayersModelJson(files.modelJson);
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const parts = modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((path) => {
      const bytes = files.weightFiles[path];
      if (!bytes) throw new SpeechModelContractError(`speech-emotion model: weight file "${path}" named in model.json is missing`);
      return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    }),
  );
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weightData.buffer }));
  try {
    checkModelAgainstMetadata(model, metadata);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return new TfSpeechEmotionPredictor(model, metadata);
}

class TfSpeechEmotionPredictor implements SpeechEmotionPredictor {
  readonly metadata: SpeechModelMetadata;
  readonly recognisedLabels: readonly EmotionLabel[];
  readonly unsupportedLabels: readonly EmotionLabel[];
  private readonly model: tf.LayersModel;
  private readonly analyser: SpeechAnalyser;
  private readonly outputIndex: [number, number];

  constructor(model: tf.LayersModel, metadata: SpeechModelMetadata) {
    this.model = model;
    this.metadata = metadata;
    this.outputIndex = outputOrder(model, metadata);
    this.recognisedLabels = metadata.labels;
    this.unsupportedLabels = metadata.unsupportedLabels;
    this.analyser = new SpeechAnalyser(metadata.features);
  }

  analyse(monoSamples: Float32Array, sampleRateHz: number): AnalysedUtterance {
    const analysis = this.analyser.analyse(monoSamples, sampleRateHz);
    const segments = planSegments(analysis, this.metadata.features);
    const profileContribution = voiceProfileContribution(
      this.metadata,
      analysis,
      segments.map((s) => s.stats),
    );
    return { analysis, segments, profileContribution };
  }

  async predict(monoSamples: Float32Array, sampleRateHz: number, profile?: VoiceProfileStats | null): Promise<SpeechEmotionResult> {
    return this.predictAnalysed(this.analyse(monoSamples, sampleRateHz), profile);
  }

  async predictAnalysed(utterance: AnalysedUtterance, profile?: VoiceProfileStats | null): Promise<SpeechEmotionResult> {
    const { analysis, segments } = utterance;
    const meta = this.metadata;
    const norm = effectiveNormalisation(meta, profile);
    const reading = await this.run(utterance, norm);
    const distribution = reading.distribution;
    const top = topOf(meta.labels, distribution);
    const confidence = distribution[top];
    // The profile weight comes from the cold reading, never the adapted one (which drifts toward
    // neutral for a speaker heard in one mood, and would feed itself back).
    const weighting = profileWeightingOf(meta);
    let weight = 1;
    let contribution = utterance.profileContribution;
    if (weighting.kind !== 'none') {
      const cold = norm.adapted ? await this.run(utterance, effectiveNormalisation(meta, null)) : reading;
      weight = profileWeight(weighting, { pNeutral: cold.distribution.neutral, valence: cold.valence, arousal: cold.arousal });
      if (weighting.kind === 'balanced-only') contribution = withColdTop(contribution, topOf(meta.labels, cold.distribution));
    }
    return {
      distribution,
      valence: reading.valence,
      arousal: reading.arousal,
      top,
      confidence,
      unsure: confidence < meta.uncertainty.unsureBelow,
      reliability: meta.reliability[norm.adapted ? 'adapted' : 'cold'],
      frames: bandMajorSpectrogram(analysis),
      speechSeconds: analysis.speechSeconds,
      windowCount: reading.windowCount,
      segmentCount: segments.length,
      adapted: norm.adapted,
      profileContribution: weightedVoiceProfileContribution(contribution, weight),
      profileWeight: weight,
      clippedFraction: analysis.clippedFraction,
    };
  }

  /** One forward pass over every window with `norm`: the mean probabilities (calibrated) and valence/arousal. Frees every tensor. */
  private async run(utterance: AnalysedUtterance, norm: EffectiveNormalisation): Promise<{ distribution: EmotionDistribution; valence: number; arousal: number; windowCount: number }> {
    const meta = this.metadata;
    const inputs = buildModelInputs(utterance.analysis, utterance.segments, meta.features, norm);
    const classes = meta.labels.length;
    const sums = new Float64Array(classes);
    const affectSums = new Float64Array(2);
    const frameSize = inputs.windowFrames * inputs.melBandCount;
    const [emotionIndex, affectIndex] = this.outputIndex;
    for (let start = 0; start < inputs.windowCount; start += WINDOWS_PER_BATCH) {
      const count = Math.min(WINDOWS_PER_BATCH, inputs.windowCount - start);
      const outputs = tf.tidy(() => {
        const logMel = tf.tensor4d(inputs.logMel.subarray(start * frameSize, (start + count) * frameSize), [count, inputs.windowFrames, inputs.melBandCount, 1]);
        const stats = tf.tensor2d(inputs.stats.subarray(start * inputs.statsCount, (start + count) * inputs.statsCount), [count, inputs.statsCount]);
        return this.model.predict([logMel, stats]) as tf.Tensor[];
      });
      try {
        const [probabilities, affect] = await Promise.all([outputs[emotionIndex].data(), outputs[affectIndex].data()]);
        for (let w = 0; w < count; w++) {
          for (let k = 0; k < classes; k++) sums[k] += probabilities[w * classes + k];
          affectSums[0] += affect[w * 2];
          affectSums[1] += affect[w * 2 + 1];
        }
      } finally {
        for (const output of outputs) output.dispose();
      }
    }
    const scores: Partial<Record<EmotionLabel, number>> = {};
    meta.labels.forEach((label, k) => (scores[label] = sums[k] / inputs.windowCount));
    return { distribution: normaliseDistribution(scores), valence: affectSums[0] / inputs.windowCount, arousal: affectSums[1] / inputs.windowCount, windowCount: inputs.windowCount };
  }

  async warmUp(): Promise<void> {
    // The whole pipeline, not only the network: the first run of the feature code (FFT, pitch,
    // spectral subtraction) is JIT-compiled too, and would otherwise land on the user's first reading.
    await this.predict(syntheticVoice(WARM_UP_SECONDS, this.metadata.features.sampleRateHz), this.metadata.features.sampleRateHz);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** The most probable emotion (the first label on ties). */
function topOf(labels: readonly EmotionLabel[], distribution: EmotionDistribution): EmotionLabel {
  let top: EmotionLabel = labels[0];
  for (const label of EMOTIONS) if (distribution[label] > distribution[top]) top = label;
  return top;
}

/** The analysis's frame-major log-mel transposed to band-major rows for drawing. */
function bandMajorSpectrogram(analysis: SpeechAnalysis): SpeechSpectrogram {
  const { frameCount, melBandCount, logMelDb } = analysis;
  const data = new Float32Array(frameCount * melBandCount);
  for (let t = 0; t < frameCount; t++) for (let m = 0; m < melBandCount; m++) data[m * frameCount + t] = logMelDb[t * melBandCount + m];
  return { data, melBandCount, frameCount, hopSeconds: analysis.hopSeconds, startSeconds: analysis.startFrame * analysis.hopSeconds };
}

/** Length of the warm-up utterance: long enough for two windows and the speech-length check. */
const WARM_UP_SECONDS = 2;

/**
 * A voiced, syllable-paced harmonic tone (150 Hz, 4 Hz envelope, 10 harmonics): speech-like
 * enough to pass every check of the analysis, so `warmUp()` runs exactly the code a reading runs.
 */
function syntheticVoice(durationSeconds: number, sampleRateHz: number): Float32Array {
  const samples = new Float32Array(Math.round(durationSeconds * sampleRateHz));
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRateHz;
    let value = 0;
    for (let h = 1; h <= 10; h++) value += Math.sin(2 * Math.PI * 150 * h * t) / h;
    samples[i] = 0.1 * value * (0.55 - 0.45 * Math.cos(2 * Math.PI * 4 * t));
  }
  return samples;
}
