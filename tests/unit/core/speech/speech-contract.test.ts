import { describe, expect, it } from 'vitest';
import { SpeechModelContractError, parseSpeechModelMetadata } from '../../../../src/core/speech/speech-contract.ts';
import { utteranceStatNames } from '../../../../src/core/speech/utterance-stats.ts';
import { testMetadataJson } from './metadata-fixture.ts';

const names = utteranceStatNames(64);
const parse = (json: unknown) => parseSpeechModelMetadata(json, names);
/** The metadata fixture's fields the cases break. */
interface Draft {
  format: unknown;
  contractVersion: unknown;
  labels: unknown;
  unsupportedLabels: unknown;
  features: Record<string, unknown>;
  statsFeatureNames: string[];
  normalisation: Record<string, unknown>;
  inputs: { logMel: { shape: unknown } };
  output: { shape: unknown };
}
type Loose = Draft;
const withChange = (change: (m: Loose) => void) => {
  const m = testMetadataJson() as unknown as Loose;
  change(m);
  return m;
};

describe('parseSpeechModelMetadata', () => {
  it('accepts a consistent contract', () => {
    const m = parse(testMetadataJson());
    expect(m.labels).toHaveLength(7);
    expect(m.unsupportedLabels).toEqual(['contempt']);
    expect(m.features.windowFrames).toBe(192);
  });

  it('names the first problem', () => {
    const cases: [(m: Loose) => void, RegExp][] = [
      [(m) => (m.format = 'other'), /format/],
      [(m) => (m.contractVersion = 2), /contractVersion 2/],
      [(m) => (m.labels = ['neutral', 'bored']), /labels/],
      [(m) => (m.unsupportedLabels = []), /cover all eight/],
      [(m) => (m.features.frameSizeSamples = 500), /power of two/],
      [(m) => (m.inputs.logMel.shape = [null, 100, 64, 1]), /windowFrames × melBandCount/],
      [(m) => (m.output.shape = [null, 8]), /one per label/],
      [(m) => (m.normalisation.melStdDb = [1, 2]), /melStdDb/],
      [(m) => m.statsFeatureNames.reverse(), /trained with other feature code/],
    ];
    for (const [change, message] of cases) {
      expect(() => parse(withChange(change))).toThrow(SpeechModelContractError);
      expect(() => parse(withChange(change))).toThrow(message);
    }
  });
});
