import { describe, expect, it } from 'vitest';
import { chooseEnsemble, crossCheckChoice, uarOf, type TwoNetReading } from '../../../../src/training/face/choose-ensemble.ts';

const oneHot = (k: number, sure: number) => Array.from({ length: 7 }, (_, i) => (i === k ? sure : (1 - sure) / 6));

/** A set where our net is right on `ownRight` faces and face-api (sure to `faceApiSure`) on the rest. */
function set(n: number, ownRight: (i: number) => boolean, faceApiSure: number, group = (i: number) => `g${i}`): TwoNetReading[] {
  return Array.from({ length: n }, (_, i) => {
    const target = i % 2;
    const wrong = 1 - target;
    return { target, group: group(i), own: oneHot(ownRight(i) ? target : wrong, 0.9), faceApi: oneHot(ownRight(i) ? wrong : target, faceApiSure) };
  });
}

describe('chooseEnsemble', () => {
  const wild = set(40, (i) => i % 4 < 3, 0.6); // ours right on 3 of 4, face-api only mildly sure
  const posed = set(40, () => false, 0.99); // face-api right and sure on every posed face

  it('never picks an ensemble below face-api alone on any set', () => {
    const candidates = [{ ownWeight: 0.9 }, { ownWeight: 0.9, faceApiTrustAbove: 0.95 }];
    const { chosen, table } = chooseEnsemble([{ name: 'wild', readings: wild }, { name: 'posed', readings: posed }], candidates);
    // Weight 0.9 alone wins the wild faces but loses every posed one; the rule keeps posed faces with face-api.
    expect(table.find((t) => t.ensemble.ownWeight === 0.9 && !t.ensemble.faceApiTrustAbove)?.feasible).toBe(false);
    expect(chosen).toEqual({ ownWeight: 0.9, faceApiTrustAbove: 0.95 });
    expect(uarOf(posed, posed.map((r) => r.faceApi))).toBe(1);
    // Only the infeasible candidate: face-api alone is what remains.
    expect(chooseEnsemble([{ name: 'wild', readings: wild }, { name: 'posed', readings: posed }], [{ ownWeight: 0.9 }]).chosen).toEqual({ ownWeight: 0 });
  });

  it('cross-checks a set by groups: every reading is made by a choice that did not see its group', () => {
    const grouped = set(40, () => false, 0.99, (i) => `s${Math.floor(i / 4)}`);
    const { probabilities, chosen } = crossCheckChoice([{ name: 'wild', readings: wild }, { name: 'posed', readings: grouped }], 'posed', [{ ownWeight: 0.9, faceApiTrustAbove: 0.95 }], 5, 1);
    expect(chosen).toHaveLength(5);
    expect(probabilities.every((p) => p !== null)).toBe(true);
    expect(uarOf(grouped, probabilities)).toBe(1);
    expect(() => crossCheckChoice([], 'posed', [], 5, 1)).toThrow(/no tuning set/);
  });

  it('counts a face without a reading as a miss', () => {
    const r: TwoNetReading[] = [{ target: 0, group: 'a', own: null, faceApi: null }, { target: 0, group: 'b', own: oneHot(0, 0.9), faceApi: oneHot(0, 0.9) }];
    expect(uarOf(r, [null, oneHot(0, 0.9)])).toBe(0.5);
  });
});
