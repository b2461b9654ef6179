import { parseSpeechModelMetadata, type SpeechModelMetadata } from '../../../../src/core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../../../src/core/speech/utterance-stats.ts';
import { TEST_FEATURES } from './fixtures.ts';

/** A valid metadata.json object (population statistics made up but plausible). */
export function testMetadataJson(): Record<string, unknown> {
  const names = utteranceStatNames(TEST_FEATURES.melBandCount);
  return {
    format: 'norae-speech-emotion',
    contractVersion: 1,
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
    output: { name: 'emotion', shape: [null, 7] },
  };
}

export function testMetadata(): SpeechModelMetadata {
  return parseSpeechModelMetadata(testMetadataJson(), utteranceStatNames(64));
}
