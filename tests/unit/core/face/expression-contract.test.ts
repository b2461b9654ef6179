import { describe, expect, it } from 'vitest';
import { combineExpressionProbabilities, FaceExpressionContractError, parseFaceExpressionMetadata } from '../../../../src/core/face/expression-contract.ts';
import shipped from '../../../../models/face-expression/metadata.json';

const own = [0.1, 0.6, 0.1, 0.05, 0.05, 0.05, 0.05];
const faceApi = [0.5, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05];

describe('face expression contract', () => {
  it('parses the shipped metadata.json: 48 px grey input, face-api class order, a weight in [0, 1]', () => {
    const m = parseFaceExpressionMetadata(shipped);
    expect(m.input).toEqual({ sizePx: 48, channels: 1 });
    expect(m.classes).toEqual(['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised']);
    expect(m.ensemble.ownWeight).toBeGreaterThanOrEqual(0);
    expect(m.ensemble.ownWeight).toBeLessThanOrEqual(1);
    expect(m.calibration.temperature).toBeGreaterThan(0);
    expect(m.reliability.perEmotion.happy).toBeGreaterThan(0.5);
  });

  it('refuses metadata that does not match, saying what is wrong', () => {
    const bad = (patch: object) => () => parseFaceExpressionMetadata({ ...shipped, ...patch });
    expect(bad({ contractVersion: 99 })).toThrow(/contract version 99/);
    expect(bad({ classes: ['happy', 'neutral', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] })).toThrow(FaceExpressionContractError);
    expect(bad({ input: { sizePx: 48, channels: 3 } })).toThrow(/channels: 1/);
    expect(bad({ ensemble: { ownWeight: 1.5 } })).toThrow(/ownWeight/);
    expect(bad({ ensemble: { ownWeight: 0.5, faceApiTrustAbove: 0 } })).toThrow(/faceApiTrustAbove/);
    expect(bad({ ensemble: { ownWeight: 0.5, faceApiTrustAbove: '0.9' } })).toThrow(/faceApiTrustAbove/);
    expect(bad({ calibration: { temperature: -1, biasLogit: [0, 0, 0, 0, 0, 0, 0] } })).toThrow(/temperature/);
    expect(() => parseFaceExpressionMetadata(null)).toThrow(/not an object/);
  });

  it('combines the nets as a weighted product of experts (golden)', () => {
    // Weight 0 and 1 give each net back unchanged.
    combineExpressionProbabilities(own, faceApi, 0).forEach((p, i) => expect(p).toBeCloseTo(faceApi[i], 9));
    combineExpressionProbabilities(own, faceApi, 1).forEach((p, i) => expect(p).toBeCloseTo(own[i], 9));
    // Weight ½: the normalised geometric mean. neutral √(0.1·0.5) = 0.22361, happy √(0.6·0.2) = 0.34641,
    // sad 0.1, the four others 0.05 each → total 0.87002.
    const half = combineExpressionProbabilities(own, faceApi, 0.5);
    expect(half[0]).toBeCloseTo(0.22361 / 0.87002, 4);
    expect(half[1]).toBeCloseTo(0.34641 / 0.87002, 4);
    expect(half.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => combineExpressionProbabilities([1], faceApi, 0.5)).toThrow(RangeError);
  });

  it('reads the per-face rule from metadata: a face face-api is sure of gets its reading alone', () => {
    const m = parseFaceExpressionMetadata({ ...shipped, ensemble: { ownWeight: 0.5, faceApiTrustAbove: 0.9 } });
    expect(m.ensemble.faceApiTrustAbove).toBe(0.9);
    const sure = [0.95, 0.01, 0.01, 0.01, 0.01, 0.005, 0.005];
    // face-api at 0.95 ≥ 0.9: its reading, unchanged.
    combineExpressionProbabilities(own, sure, 0.5, m.ensemble.faceApiTrustAbove).forEach((p, i) => expect(p).toBeCloseTo(sure[i], 9));
    // face-api at 0.5 < 0.9: the blend, as without the rule.
    const blended = combineExpressionProbabilities(own, faceApi, 0.5, 0.9);
    combineExpressionProbabilities(own, faceApi, 0.5).forEach((p, i) => expect(blended[i]).toBeCloseTo(p, 12));
    // Without the field the rule is off, even on a sure face.
    expect(combineExpressionProbabilities(own, sure, 0.5)[0]).toBeLessThan(0.9);
  });
});
