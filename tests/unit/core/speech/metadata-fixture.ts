import { parseSpeechModelMetadata, type SpeechModelMetadata } from '../../../../src/core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../../../src/core/speech/utterance-stats.ts';
import { TEST_FEATURES } from './fixtures.ts';
import { planSegments } from '../../../../src/core/speech/model-input.ts';
import { SpeechAnalyser } from '../../../../src/core/speech/speech-analysis.ts';
import { voiceProfileContribution, type VoiceProfileStats } from '../../../../src/core/speech/voice-profile.ts';

/** A valid metadata.json object (population statistics made up but plausible). */
export function testMetadataJson(): Record<string, unknown> {
  const names = utteranceStatNames(TEST_FEATURES.melBandCount);
  return {
    format: 'norae-speech-emotion',
    contractVersion: 2,
    modelVersion: 'test',
    labels: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'],
    unsupportedLabels: ['contempt'],
    calmHandling: 'test',
    features: { ...TEST_FEATURES },
    statsFeatureNames: names,
    normalisation: {
      melMeanDb: Array.from({ length: 64 }, (_, i) => -40 - i / 4),
      melStdDb: Array.from({ length: 64 }, () => 12),
      statsMean: names.map(() => 1),
      statsStd: names.map(() => 2),
      priorFrames: 300,
      priorUtterances: 3,
      coldMaskedStats: ['level_dbfs'],
      minProfileUtterancesForMasked: 3,
    },
    inputs: { logMel: { name: 'log_mel', shape: [null, 192, 64, 1] }, stats: { name: 'utterance_stats', shape: [null, names.length] } },
    outputs: { emotion: { name: 'emotion', shape: [null, 7] }, affect: { name: 'affect', shape: [null, 2] } },
    affectTargets: {
      neutral: [0, -0.25],
      happy: [0.7, 0.45],
      sad: [-0.6, -0.45],
      angry: [-0.6, 0.7],
      fearful: [-0.6, 0.5],
      disgust: [-0.6, 0.25],
      surprised: [0.35, 0.7],
      calm: [0.35, -0.55],
    },
    calibration: { temperature: 1.2 },
    adaptation: { minProfileUtterances: 3 },
    reliability: {
      cold: { perEmotion: { neutral: 0.7, happy: 0.5, sad: 0.4, angry: 0.7, fearful: 0.6, disgust: 0.5, surprised: 0.7 }, valence: 0.5, arousal: 0.7 },
      adapted: { perEmotion: { neutral: 0.8, happy: 0.6, sad: 0.5, angry: 0.8, fearful: 0.7, disgust: 0.6, surprised: 0.7 }, valence: 0.6, arousal: 0.8 },
    },
    uncertainty: { unsureBelow: 0.5 },
  };
}

export function testMetadata(): SpeechModelMetadata {
  return parseSpeechModelMetadata(testMetadataJson(), utteranceStatNames(64));
}

/** One recording's voice-profile contribution, as the adapter computes it (test metadata and features). */
export function contributionOf(x: Float32Array): VoiceProfileStats {
  const analysis = new SpeechAnalyser(TEST_FEATURES).analyse(x, TEST_FEATURES.sampleRateHz);
  return voiceProfileContribution(testMetadata(), analysis, planSegments(analysis, TEST_FEATURES).map((s) => s.stats));
}
