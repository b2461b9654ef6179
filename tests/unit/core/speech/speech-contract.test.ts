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
  outputs: { emotion: { shape: unknown }; affect: { shape: unknown } };
  affectTargets: Record<string, unknown>;
  calibration: { temperature: unknown };
  adaptation: { minProfileUtterances: unknown };
  reliability: { cold: { perEmotion: Record<string, unknown>; valence: unknown } };
  uncertainty: { unsureBelow: unknown };
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
    expect(m.outputs.affect.shape).toEqual([null, 2]);
    expect(m.adaptation.minProfileUtterances).toBe(3);
    expect(m.reliability.adapted.perEmotion.angry).toBe(0.8);
    expect(m.affectTargets.calm).toEqual([0.35, -0.55]);
  });

  it('names the first problem', () => {
    const cases: [(m: Loose) => void, RegExp][] = [
      [(m) => (m.format = 'other'), /format/],
      [(m) => (m.contractVersion = 1), /contractVersion 1/],
      [(m) => (m.labels = ['neutral', 'bored']), /labels/],
      [(m) => (m.unsupportedLabels = []), /cover all eight/],
      [(m) => (m.features.frameSizeSamples = 500), /power of two/],
      [(m) => (m.inputs.logMel.shape = [null, 100, 64, 1]), /windowFrames × melBandCount/],
      [(m) => (m.outputs.emotion.shape = [null, 8]), /one per label/],
      [(m) => (m.outputs.affect.shape = [null, 3]), /valence, arousal/],
      [(m) => delete m.affectTargets.sad, /no point for "sad"/],
      [(m) => (m.affectTargets.happy = [2, 0]), /affectTargets.happy/],
      [(m) => (m.calibration.temperature = 0), /temperature must be > 0/],
      [(m) => (m.adaptation.minProfileUtterances = 0), /minProfileUtterances/],
      [(m) => (m.reliability.cold.perEmotion.contempt = 0.5), /not one of the model's labels/],
      [(m) => (m.reliability.cold.valence = 1.5), /reliability.cold.valence/],
      [(m) => (m.uncertainty.unsureBelow = 'half'), /unsureBelow/],
      [(m) => (m.features.spectralFloorDb = 3), /spectralFloorDb/],
      [(m) => (m.normalisation.melStdDb = [1, 2]), /melStdDb/],
      [(m) => m.statsFeatureNames.reverse(), /trained with other feature code/],
    ];
    for (const [change, message] of cases) {
      expect(() => parse(withChange(change))).toThrow(SpeechModelContractError);
      expect(() => parse(withChange(change))).toThrow(message);
    }
  });
});
