import { describe, expect, it } from 'vitest';
import { FaceCalibrationError, IDENTITY_CALIBRATION, applyCalibration, parseFaceCalibration } from '../../../../src/core/face/calibration.ts';
import metadata from '../../../../models/face-expression/metadata.json';

const shipped = metadata.calibration;

const p = [0.7, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03];

describe('face calibration', () => {
  it('the identity changes nothing', () => {
    applyCalibration(p, IDENTITY_CALIBRATION).forEach((q, i) => expect(q).toBeCloseTo(p[i], 12));
  });

  it('temperature T gives p^(1/T) renormalised (golden)', () => {
    const q = applyCalibration([0.9, 0.1, 0, 0, 0, 0, 0], { temperature: 2, biasLogit: [0, 0, 0, 0, 0, 0, 0] });
    // sqrt(0.9) = 0.948683, sqrt(0.1) = 0.316228, sqrt(1e-7) = 3.162e-4 for the five zeros.
    const total = Math.sqrt(0.9) + Math.sqrt(0.1) + 5 * Math.sqrt(1e-7);
    expect(q[0]).toBeCloseTo(Math.sqrt(0.9) / total, 9);
    expect(q[1]).toBeCloseTo(Math.sqrt(0.1) / total, 9);
    expect(q[0]).toBeCloseTo(0.74906, 4);
  });

  it('a bias of ln 2 on one class doubles its odds', () => {
    const q = applyCalibration(p, { temperature: 1, biasLogit: [0, Math.log(2), 0, 0, 0, 0, 0] });
    expect(q[1] / q[0]).toBeCloseTo((2 * 0.1) / 0.7, 9);
  });

  it('parses the shipped file and rejects malformed ones', () => {
    const c = parseFaceCalibration(shipped);
    expect(c.temperature).toBeGreaterThan(0);
    expect(c.biasLogit).toHaveLength(7);
    expect(() => parseFaceCalibration(null)).toThrow(FaceCalibrationError);
    expect(() => parseFaceCalibration({ temperature: 0, biasLogit: [0, 0, 0, 0, 0, 0, 0] })).toThrow(/temperature/);
    expect(() => parseFaceCalibration({ temperature: 1, biasLogit: [0, 0] })).toThrow(/biasLogit/);
    expect(() => parseFaceCalibration({ temperature: 1, biasLogit: [0, 0, 0, 0, 0, 0, 0], labels: ['happy'] })).toThrow(/labels/);
  });
});
