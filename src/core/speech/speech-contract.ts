import { EMOTIONS, type EmotionLabel } from '../emotion/emotions.ts';

/**
 * The speech-emotion model contract: everything the feature code, the loader and the predictor
 * must agree on with the weights. Training writes it to `models/speech-emotion/metadata.json`;
 * nothing in the app hard-codes these numbers, so a retrained model with other settings needs
 * no code change, and a mismatch is caught on load (see {@link parseSpeechModelMetadata}).
 */
export interface SpeechFeatureConfig {
  /** Rate all audio is resampled to before analysis, Hz. */
  sampleRateHz: number;
  /** STFT frame length, samples; also the FFT size (a power of two). */
  frameSizeSamples: number;
  /** STFT hop, samples (one spectrogram column per hop). */
  hopSizeSamples: number;
  /** Number of mel bands (rows of the spectrogram). */
  melBandCount: number;
  /** Lowest mel filter edge, Hz (below it: hum and handling noise). */
  minFrequencyHz: number;
  /** Highest mel filter edge, Hz (≤ sampleRateHz / 2). */
  maxFrequencyHz: number;
  /** Mel scale of the filterbank (`slaney` = librosa's default). */
  melScale: 'slaney' | 'htk';
  /** Floor of the log-mel spectrogram after loudness normalisation, dB (power per band re full scale). */
  logFloorDb: number;
  /** A frame is speech when its energy is within this many dB of the loudest frame… */
  trimRelativeDb: number;
  /** …and above this absolute floor, dBFS (RMS). All frames below it: the input is silent. */
  silenceFloorDbfs: number;
  /** …and (noisy rooms) this many dB above the noise floor (5th percentile of frame energies). */
  trimNoiseMarginDb: number;
  /** Context kept before the first and after the last speech frame when trimming, seconds. */
  trimPaddingSeconds: number;
  /** Least speech (frames above the thresholds) the model accepts, seconds. */
  minSpeechSeconds: number;
  /** Loudness of the speech frames after normalisation, dBFS (RMS). */
  targetLoudnessDbfs: number;
  /**
   * Stationary-noise subtraction (power spectral subtraction, Berouti et al. 1979): each frame's
   * power spectrum loses this multiple of the noise spectrum measured in the recording's
   * non-speech frames (0 = off); what is left is never below `spectralFloorDb` of the original.
   * A fan or traffic 10–15 dB below the voice otherwise fills the spectrogram's quiet parts and
   * flattens the very dynamics emotion shows in.
   */
  spectralSubtractionFactor: number;
  /** Floor of spectral subtraction, dB relative to the frame's own power in that bin (≤ 0). */
  spectralFloorDb: number;
  /** Pitch search range, Hz. */
  pitchMinHz: number;
  pitchMaxHz: number;
  /** Normalised autocorrelation a frame needs to count as voiced (0–1). */
  voicingThreshold: number;
  /** CNN input length, frames (time rows of one model input). */
  windowFrames: number;
  /** Step between CNN windows within a segment, frames. */
  windowHopFrames: number;
  /** Long audio is cut into segments of at most this many frames; each gets its own utterance statistics. */
  segmentMaxFrames: number;
}

/**
 * Population statistics that stand in for a speaker's own when no voice profile exists (cold),
 * and the prior a young profile is blended with (see `voice-profile.ts`).
 */
export interface SpeechNormalisation {
  /** Mean log-mel of speech frames per band, dB (length melBandCount). */
  melMeanDb: number[];
  /** Standard deviation of log-mel per band, dB. */
  melStdDb: number[];
  /** Mean of each utterance statistic (length = statsFeatureNames.length), in its own unit. */
  statsMean: number[];
  /** Standard deviation of each utterance statistic. */
  statsStd: number[];
  /** Weight of the population statistics when blending with a profile, in speech frames. */
  priorFrames: number;
  /** Weight of the population statistics when blending with a profile, in utterances. */
  priorUtterances: number;
  /** Statistics that depend on the microphone's gain: zeroed unless the profile has at least `minProfileUtterancesForMasked` utterances. */
  coldMaskedStats: string[];
  minProfileUtterancesForMasked: number;
}

/** A model input or output as the weights see it (`null` = batch). */
export interface TensorSpec {
  name: string;
  shape: (number | null)[];
}

/**
 * How far the voice model can be trusted in one mode (cold: no voice profile; adapted: the
 * speaker's profile), measured by training's speaker-grouped cross-validation: recall of each
 * emotion, and the Pearson correlation of the valence/arousal outputs with the labels' points.
 * Fusion weighs the voice by these (src/core/emotion/fusion.ts).
 */
export interface VoiceModeReliability {
  perEmotion: Partial<Record<EmotionLabel, number>>;
  valence: number;
  arousal: number;
}

/** `models/speech-emotion/metadata.json`. */
export interface SpeechModelMetadata {
  format: 'norae-speech-emotion';
  /** Version of this contract's layout; the loader refuses others. */
  contractVersion: 2;
  /** Version of the trained weights (date-based), shown in the UI and the model card. */
  modelVersion: string;
  /** The model's output classes, in output order: a subset of EMOTIONS. */
  labels: EmotionLabel[];
  /** Emotions of our taxonomy the voice model cannot recognise (always probability 0). */
  unsupportedLabels: EmotionLabel[];
  /** How RAVDESS "calm" was used in training (documentation only). */
  calmHandling: string;
  features: SpeechFeatureConfig;
  /** Names of the utterance statistics, in input order (must equal `utteranceStatNames`). */
  statsFeatureNames: string[];
  normalisation: SpeechNormalisation;
  inputs: { logMel: TensorSpec; stats: TensorSpec };
  /** `emotion`: calibrated probabilities, one per label; `affect`: the voice's valence and arousal (−1…1, tanh). */
  outputs: { emotion: TensorSpec; affect: TensorSpec };
  /**
   * The points the valence/arousal outputs were trained toward, per training label (calm and
   * boredom included: they teach the plane, not a class). Positive arousal = an activated voice.
   */
  affectTargets: Record<string, [number, number]>;
  /** The temperature training divided the logits by (already folded into the weights). */
  calibration: { temperature: number };
  /**
   * A voice profile adapts readings only once it holds this many utterances (measured: below it
   * adapting did not help) — counted with their profile weights. `profileWeighting`: how much each
   * utterance counts in the profile, from its cold reading (see {@link ProfileWeighting}); missing
   * (metadata written before it existed) means `{ kind: 'none' }`, every utterance counting fully.
   * {@link parseSpeechModelMetadata} always fills it in.
   */
  adaptation: { minProfileUtterances: number; profileWeighting?: ProfileWeighting };
  reliability: { cold: VoiceModeReliability; adapted: VoiceModeReliability };
  /** A reading whose top probability is below this is shown, and fused, as unsure. */
  uncertainty: { unsureBelow: number };
  /** Free-form facts about training (data, command, wall time, figures). */
  training?: Record<string, unknown>;
}

/**
 * How much one utterance counts in the speaker's voice profile (a weight in [0, 1]), computed from
 * its *cold* reading (population normalisation, never the adapted one), so that a profile learns
 * the voice and not the mood: a speaker heard only angry keeps a profile near the population.
 * - `none`: every utterance counts fully (the unweighted profile);
 * - `p-neutral`: the calibrated probability of neutral;
 * - `neutral-distance`: exp(−d² / (2·sigma²)), d = distance of the cold (valence, arousal) output
 *   from `target` (the neutral target point);
 * - `balanced-only`: not a weighting but a gate — every utterance counts fully, and the profile is
 *   used only while its cold readings are balanced: no emotion is the top cold reading of more
 *   than `maxShare` of its recordings (and it holds at least 2); otherwise readings stay cold.
 * Chosen by training's cross-validation (model card, "Adaptation that never learns the mood").
 */
export type ProfileWeighting =
  | { kind: 'none' }
  | { kind: 'p-neutral' }
  | { kind: 'balanced-only'; /** Largest share of the profile's recordings one cold top emotion may have, 0–1. */ maxShare: number }
  | { kind: 'neutral-distance'; /** [valence, arousal], −1…1. */ target: [number, number]; /** Spread of the weight around the target, in valence/arousal units. */ sigma: number };

export const SPEECH_MODEL_FORMAT = 'norae-speech-emotion';
export const SPEECH_CONTRACT_VERSION = 2;

/** Thrown when metadata.json is malformed or disagrees with the weights or this code. */
export class SpeechModelContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpeechModelContractError';
  }
}

function fail(message: string): never {
  throw new SpeechModelContractError(`speech-emotion metadata.json: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumber(record: Record<string, unknown>, key: string, where: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where}.${key} must be a finite number`);
  return value;
}

function numberArray(value: unknown, length: number, where: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(`${where} must be an array of ${length} finite numbers`);
  }
  return value as number[];
}

function unitInterval(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(`${where} must be a number in [0, 1]`);
  return value;
}

function modeReliability(value: unknown, labels: readonly string[], where: string): VoiceModeReliability {
  if (!isRecord(value) || !isRecord(value.perEmotion)) fail(`${where} must be { perEmotion, valence, arousal }`);
  const perEmotion: Partial<Record<EmotionLabel, number>> = {};
  for (const [label, recall] of Object.entries(value.perEmotion)) {
    if (!labels.includes(label)) fail(`${where}.perEmotion names "${label}", not one of the model's labels`);
    perEmotion[label as EmotionLabel] = unitInterval(recall, `${where}.perEmotion.${label}`);
  }
  return { perEmotion, valence: unitInterval(value.valence, `${where}.valence`), arousal: unitInterval(value.arousal, `${where}.arousal`) };
}

function tensorSpec(value: unknown, where: string): TensorSpec {
  if (!isRecord(value) || typeof value.name !== 'string' || !Array.isArray(value.shape)) fail(`${where} must be { name, shape }`);
  if (!value.shape.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))) fail(`${where}.shape must hold positive integers or null`);
  return { name: value.name, shape: value.shape as (number | null)[] };
}

/** `adaptation.profileWeighting`: missing → `{ kind: 'none' }` (unweighted, as before the field existed); anything else must be well formed. */
function parseProfileWeighting(value: unknown, labels: readonly string[]): ProfileWeighting {
  if (value === undefined) return { kind: 'none' };
  if (!isRecord(value)) fail('adaptation.profileWeighting must be { kind, … }');
  switch (value.kind) {
    case 'none':
      return { kind: 'none' };
    case 'p-neutral':
      if (!labels.includes('neutral')) fail('adaptation.profileWeighting "p-neutral" needs a "neutral" label');
      return { kind: 'p-neutral' };
    case 'neutral-distance': {
      const t = value.target;
      if (!Array.isArray(t) || t.length !== 2 || !t.every((v) => typeof v === 'number' && v >= -1 && v <= 1)) fail('adaptation.profileWeighting.target must be [valence, arousal] in −1…1');
      const sigma = positiveNumber(value, 'sigma', 'adaptation.profileWeighting');
      if (!(sigma > 0)) fail('adaptation.profileWeighting.sigma must be > 0');
      return { kind: 'neutral-distance', target: [t[0] as number, t[1] as number], sigma };
    }
    case 'balanced-only':
      return { kind: 'balanced-only', maxShare: unitInterval(value.maxShare, 'adaptation.profileWeighting.maxShare') };
    default:
      fail(`adaptation.profileWeighting.kind ${JSON.stringify(value.kind)} is not one of "none", "p-neutral", "neutral-distance", "balanced-only"`);
  }
}

/** The model's emotions: `labels` (≥ 2, no repeats) and `unsupportedLabels` cover the eight between them. */
function parseLabels(json: Record<string, unknown>): { labels: EmotionLabel[]; unsupported: EmotionLabel[] } {
  const known = new Set<string>(EMOTIONS);
  const labels = json.labels;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string' && known.has(l))) fail(`labels must be ≥ 2 of ${EMOTIONS.join(', ')}`);
  if (new Set(labels).size !== labels.length) fail('labels repeat');
  const unsupported = json.unsupportedLabels;
  if (!Array.isArray(unsupported) || !unsupported.every((l) => typeof l === 'string' && known.has(l) && !labels.includes(l))) fail('unsupportedLabels must be emotions not in labels');
  if (labels.length + unsupported.length !== EMOTIONS.length) fail('labels and unsupportedLabels together must cover all eight emotions');
  return { labels: labels as EmotionLabel[], unsupported: unsupported as EmotionLabel[] };
}

/** `features`: every setting present and finite, and the STFT, mel range and windows consistent. */
function parseFeatureConfig(f: unknown): SpeechFeatureConfig {
  if (!isRecord(f)) fail('features missing');
  const numericKeys = [
    'sampleRateHz', 'frameSizeSamples', 'hopSizeSamples', 'melBandCount', 'minFrequencyHz', 'maxFrequencyHz', 'logFloorDb', 'trimRelativeDb',
    'silenceFloorDbfs', 'trimNoiseMarginDb', 'trimPaddingSeconds', 'minSpeechSeconds', 'targetLoudnessDbfs', 'spectralSubtractionFactor', 'spectralFloorDb', 'pitchMinHz', 'pitchMaxHz', 'voicingThreshold',
    'windowFrames', 'windowHopFrames', 'segmentMaxFrames',
  ] as const;
  for (const key of numericKeys) positiveNumber(f, key, 'features');
  const features = f as unknown as SpeechFeatureConfig;
  if (features.melScale !== 'slaney' && features.melScale !== 'htk') fail('features.melScale must be "slaney" or "htk"');
  const frame = features.frameSizeSamples;
  if (!Number.isInteger(frame) || frame < 64 || (frame & (frame - 1)) !== 0) fail('features.frameSizeSamples must be a power of two ≥ 64');
  if (!(features.hopSizeSamples > 0 && features.hopSizeSamples <= frame)) fail('features.hopSizeSamples must be in (0, frameSizeSamples]');
  if (!(features.spectralSubtractionFactor >= 0 && features.spectralFloorDb <= 0)) fail('features.spectralSubtractionFactor must be ≥ 0 and spectralFloorDb ≤ 0');
  if (!(features.maxFrequencyHz <= features.sampleRateHz / 2 && features.minFrequencyHz < features.maxFrequencyHz)) fail('mel range must lie within (0, Nyquist]');
  if (!(features.windowHopFrames > 0 && features.windowHopFrames <= features.windowFrames && features.segmentMaxFrames >= features.windowFrames)) {
    fail('need 0 < windowHopFrames ≤ windowFrames ≤ segmentMaxFrames');
  }
  return features;
}

/** `statsFeatureNames`: strings, and exactly `expected` (this code's statistics) when given. */
function parseStatNames(names: unknown, expected: readonly string[] | undefined): string[] {
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail('statsFeatureNames must be strings');
  if (expected && (names.length !== expected.length || names.some((n, i) => n !== expected[i]))) {
    const firstDiff = names.findIndex((n, i) => n !== expected[i]);
    fail(
      `statsFeatureNames (${names.length}) disagree with this app's utterance statistics (${expected.length})` +
        (firstDiff >= 0 ? ` from #${firstDiff}: "${String(names[firstDiff])}" vs "${String(expected[firstDiff])}"` : '') +
        ' — the model was trained with other feature code',
    );
  }
  return names as string[];
}

/** `normalisation`: one mean and spread per mel band and per statistic (spreads > 0), priors, cold-masked names. */
function parseNormalisation(n: unknown, melCount: number, names: readonly string[]): SpeechNormalisation {
  if (!isRecord(n)) fail('normalisation missing');
  const normalisation: SpeechNormalisation = {
    melMeanDb: numberArray(n.melMeanDb, melCount, 'normalisation.melMeanDb'),
    melStdDb: numberArray(n.melStdDb, melCount, 'normalisation.melStdDb'),
    statsMean: numberArray(n.statsMean, names.length, 'normalisation.statsMean'),
    statsStd: numberArray(n.statsStd, names.length, 'normalisation.statsStd'),
    priorFrames: positiveNumber(n, 'priorFrames', 'normalisation'),
    priorUtterances: positiveNumber(n, 'priorUtterances', 'normalisation'),
    coldMaskedStats: Array.isArray(n.coldMaskedStats) ? (n.coldMaskedStats as string[]) : fail('normalisation.coldMaskedStats must be an array'),
    minProfileUtterancesForMasked: positiveNumber(n, 'minProfileUtterancesForMasked', 'normalisation'),
  };
  if (normalisation.melStdDb.some((s) => !(s > 0)) || normalisation.statsStd.some((s) => !(s > 0))) fail('normalisation standard deviations must be > 0');
  for (const masked of normalisation.coldMaskedStats) if (!names.includes(masked)) fail(`coldMaskedStats names unknown statistic "${masked}"`);
  return normalisation;
}

/** `inputs` and `outputs`: the tensors' names, with the shapes the feature settings, statistics and labels imply. */
function parseTensors(
  json: Record<string, unknown>,
  features: SpeechFeatureConfig,
  statCount: number,
  labelCount: number,
): Pick<SpeechModelMetadata, 'inputs' | 'outputs'> {
  if (!isRecord(json.inputs)) fail('inputs missing');
  const logMel = tensorSpec(json.inputs.logMel, 'inputs.logMel');
  const stats = tensorSpec(json.inputs.stats, 'inputs.stats');
  if (!isRecord(json.outputs)) fail('outputs missing (emotion and affect)');
  const emotion = tensorSpec(json.outputs.emotion, 'outputs.emotion');
  const affect = tensorSpec(json.outputs.affect, 'outputs.affect');
  const expectLogMel = [null, features.windowFrames, features.melBandCount, 1];
  if (JSON.stringify(logMel.shape) !== JSON.stringify(expectLogMel)) fail(`inputs.logMel.shape ${JSON.stringify(logMel.shape)} must be ${JSON.stringify(expectLogMel)} (windowFrames × melBandCount × 1)`);
  if (JSON.stringify(stats.shape) !== JSON.stringify([null, statCount])) fail(`inputs.stats.shape ${JSON.stringify(stats.shape)} must be [null, ${statCount}]`);
  if (JSON.stringify(emotion.shape) !== JSON.stringify([null, labelCount])) fail(`outputs.emotion.shape ${JSON.stringify(emotion.shape)} must be [null, ${labelCount}] (one per label)`);
  if (JSON.stringify(affect.shape) !== JSON.stringify([null, 2])) fail(`outputs.affect.shape ${JSON.stringify(affect.shape)} must be [null, 2] (valence, arousal)`);
  return { inputs: { logMel, stats }, outputs: { emotion, affect } };
}

/** `affectTargets`: a [valence, arousal] point in −1…1 for every label (and only such points). */
function parseAffectTargets(targets: unknown, labels: readonly string[]): Record<string, [number, number]> {
  if (!isRecord(targets)) fail('affectTargets missing');
  for (const label of labels) if (!(label in targets)) fail(`affectTargets has no point for "${label}"`);
  for (const [label, point] of Object.entries(targets)) {
    if (!Array.isArray(point) || point.length !== 2 || !point.every((v) => typeof v === 'number' && v >= -1 && v <= 1)) fail(`affectTargets.${label} must be [valence, arousal] in −1…1`);
  }
  return targets as Record<string, [number, number]>;
}

/** `adaptation`: how many recordings a voice profile needs, and how its recordings are weighted. */
function parseAdaptation(adaptation: unknown, labels: readonly string[]): SpeechModelMetadata['adaptation'] {
  if (!isRecord(adaptation) || !Number.isInteger(adaptation.minProfileUtterances) || !((adaptation.minProfileUtterances as number) >= 1)) fail('adaptation.minProfileUtterances must be an integer ≥ 1');
  return { minProfileUtterances: adaptation.minProfileUtterances as number, profileWeighting: parseProfileWeighting(adaptation.profileWeighting, labels) };
}

/**
 * Validates parsed metadata.json and returns it typed. Checks internal consistency (input
 * shapes against the feature settings, normalisation lengths, labels in our taxonomy) and,
 * when `expectedStatNames` is given, that the model was trained on the statistics this code
 * computes. Throws {@link SpeechModelContractError} naming the first problem.
 */
export function parseSpeechModelMetadata(json: unknown, expectedStatNames?: readonly string[]): SpeechModelMetadata {
  if (!isRecord(json)) fail('not a JSON object');
  if (json.format !== SPEECH_MODEL_FORMAT) fail(`format is ${JSON.stringify(json.format)}, expected "${SPEECH_MODEL_FORMAT}"`);
  if (json.contractVersion !== SPEECH_CONTRACT_VERSION) fail(`contractVersion ${String(json.contractVersion)} is not supported (this app reads ${SPEECH_CONTRACT_VERSION})`);
  if (typeof json.modelVersion !== 'string') fail('modelVersion must be a string');
  const { labels, unsupported } = parseLabels(json);
  const features = parseFeatureConfig(json.features);
  const names = parseStatNames(json.statsFeatureNames, expectedStatNames);
  const normalisation = parseNormalisation(json.normalisation, features.melBandCount, names);
  const { inputs, outputs } = parseTensors(json, features, names.length, labels.length);
  const affectTargets = parseAffectTargets(json.affectTargets, labels);
  const calibration = json.calibration;
  if (!isRecord(calibration)) fail('calibration missing');
  const temperature = positiveNumber(calibration, 'temperature', 'calibration');
  if (!(temperature > 0)) fail('calibration.temperature must be > 0');
  const adaptation = parseAdaptation(json.adaptation, labels);
  const reliability = json.reliability;
  if (!isRecord(reliability)) fail('reliability missing (cold and adapted)');
  const uncertainty = json.uncertainty;
  if (!isRecord(uncertainty)) fail('uncertainty missing');
  const unsureBelow = unitInterval(uncertainty.unsureBelow, 'uncertainty.unsureBelow');

  return {
    format: SPEECH_MODEL_FORMAT,
    contractVersion: SPEECH_CONTRACT_VERSION,
    modelVersion: json.modelVersion,
    labels,
    unsupportedLabels: unsupported,
    calmHandling: typeof json.calmHandling === 'string' ? json.calmHandling : '',
    features,
    statsFeatureNames: names,
    normalisation,
    inputs,
    outputs,
    affectTargets,
    calibration: { temperature },
    adaptation,
    reliability: { cold: modeReliability(reliability.cold, labels, 'reliability.cold'), adapted: modeReliability(reliability.adapted, labels, 'reliability.adapted') },
    uncertainty: { unsureBelow },
    training: isRecord(json.training) ? json.training : undefined,
  };
}
